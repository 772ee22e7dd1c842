package io.homelab.operator.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExternalCallsTest {

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET|/cluster/resources?type=vm|GET /cluster/resources",
        "PUT|/nodes/pve1/qemu/104/config|PUT /nodes/{}/qemu/{}/config",
        "GET|/nodes/pve2/tasks/UPID%3Apve2%3A0001/status|GET /nodes/{}/tasks/{}/status",
        "GET|/zones?name=example.com|GET /zones",
        "POST|/zones/023e105f4ecef8ad9ca31a8372d0c353/dns_records/batch"
            + "|POST /zones/{}/dns_records/batch",
        "POST|/nginx/proxy-hosts/17/disable|POST /nginx/proxy-hosts/{}/disable",
        "GET|/config/apps|GET /config/apps",
        "PATCH|/config/apps/http/servers/homelab/routes|PATCH /config/apps/http/servers/{}/routes",
        "DELETE|/config/apps/tls/automation/policies/3|DELETE /config/apps/tls/automation/policies/{}",
        "GET|/|GET /",
      })
  void anOperationNamesTheCallNeverTheObject(String method, String path, String expected) {
    assertThat(ExternalCalls.operation(method, path)).isEqualTo(expected);
  }

  @Test
  void aCallIsTimedBySystemOperationAndOutcome() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ExternalCalls.record(registry, "npm", "GET /tokens", ExternalCalls.Outcome.SUCCESS, 2_000_000);
    ExternalCalls.record(registry, "npm", "GET /tokens", ExternalCalls.Outcome.SUCCESS, 4_000_000);
    ExternalCalls.record(
        registry, "npm", "GET /tokens", ExternalCalls.Outcome.ofStatus(503), 1_000_000);

    Timer ok =
        registry
            .find(ExternalCalls.METER)
            .tags("system", "npm", "operation", "GET /tokens", "outcome", "success")
            .timer();
    assertThat(ok).isNotNull();
    assertThat(ok.count()).isEqualTo(2);
    assertThat(ok.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(6.0);
    assertThat(registry.find(ExternalCalls.METER).tag("outcome", "server_error").timer().count())
        .isEqualTo(1);
    // Both successful calls fall in the 5 ms bucket, neither in the one below.
    var buckets = ok.takeSnapshot().histogramCounts();
    assertThat(buckets).hasSize(12);
    assertThat(buckets[0].bucket(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(5.0);
    assertThat(buckets[0].count()).isEqualTo(2);
  }

  @Test
  void statusesMapToOutcomes() {
    assertThat(ExternalCalls.Outcome.ofStatus(204)).isEqualTo(ExternalCalls.Outcome.SUCCESS);
    assertThat(ExternalCalls.Outcome.ofStatus(400)).isEqualTo(ExternalCalls.Outcome.REJECTED);
    assertThat(ExternalCalls.Outcome.ofStatus(429)).isEqualTo(ExternalCalls.Outcome.RATE_LIMITED);
    assertThat(ExternalCalls.Outcome.ofStatus(502)).isEqualTo(ExternalCalls.Outcome.SERVER_ERROR);
  }
}
