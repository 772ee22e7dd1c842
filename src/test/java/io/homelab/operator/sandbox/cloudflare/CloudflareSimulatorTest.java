package io.homelab.operator.sandbox.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.homelab.operator.driver.JsonHttp;
import io.homelab.operator.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Cloudflare simulator answers as the real API does: records, filters, batches, rate limit. */
class CloudflareSimulatorTest {

  private final ManualClock clock = new ManualClock();
  private JsonHttp http;
  private CloudflareSimulator cloudflare;
  private String zone;

  @BeforeEach
  void start() {
    cloudflare = new CloudflareSimulator(clock);
    cloudflare.addToken("t");
    zone = cloudflare.addZone("example.com");
    http = new JsonHttp(cloudflare.apiUrl(), Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    cloudflare.close();
  }

  private JsonHttp.Reply call(String method, String path, Object body) throws IOException {
    return http.send(method, path, Map.of("Authorization", "Bearer t"), body);
  }

  private static Map<String, Object> a(String name, String content, String comment) {
    return Map.of("type", "A", "name", name, "content", content, "comment", comment);
  }

  private String create(String name, String content) throws IOException {
    JsonHttp.Reply reply = call("POST", "/zones/" + zone + "/dns_records", a(name, content, "c"));
    assertThat(reply.status()).isEqualTo(200);
    return reply.body().path("result").path("id").asText();
  }

  private static int code(JsonHttp.Reply reply) {
    return reply.body().path("errors").path(0).path("code").asInt();
  }

  @Test
  void aRecordIsCreatedReadPatchedReplacedAndDeleted() throws IOException {
    String id = create("app", "192.0.2.1");
    String path = "/zones/" + zone + "/dns_records/" + id;

    assertThat(call("GET", path, null).body().at("/result/name").asText())
        .isEqualTo("app.example.com");
    assertThat(
            call("PATCH", path, Map.of("content", "192.0.2.2"))
                .body()
                .at("/result/content")
                .asText())
        .isEqualTo("192.0.2.2");
    JsonNode replaced = call("PUT", path, a("app", "192.0.2.3", "new")).body().get("result");
    assertThat(replaced.get("content").asText()).isEqualTo("192.0.2.3");
    assertThat(replaced.get("id").asText()).isEqualTo(id);
    assertThat(call("DELETE", path, null).status()).isEqualTo(200);
    assertThat(call("GET", path, null).status()).isEqualTo(404);
  }

  @Test
  void invalidRecordsAreRefused() throws IOException {
    String records = "/zones/" + zone + "/dns_records";

    assertThat(call("POST", records, a("x", "not-an-address", "c")).status()).isEqualTo(400);
    assertThat(call("POST", records, Map.of("type", "A", "name", "x")).status()).isEqualTo(400);
    JsonHttp.Reply longComment = call("POST", records, a("x", "192.0.2.1", "c".repeat(101)));
    assertThat(longComment.status()).isEqualTo(400);
    assertThat(call("POST", records, a("x", "192.0.2.1", "c".repeat(100))).status()).isEqualTo(200);
    JsonHttp.Reply identical = call("POST", records, a("x", "192.0.2.1", "other"));
    assertThat(identical.status()).isEqualTo(400);
    assertThat(code(identical)).isEqualTo(81058);
  }

  @Test
  void listsFilterAndPaginate() throws IOException {
    for (int i = 0; i < 7; i++) {
      create("h" + i, "192.0.2." + i);
    }
    String records = "/zones/" + zone + "/dns_records";

    JsonNode page = call("GET", records + "?page=2&per_page=3", null).body();
    assertThat(page.get("result")).hasSize(3);
    assertThat(page.at("/result_info/total_count").asInt()).isEqualTo(7);
    assertThat(page.at("/result_info/total_pages").asInt()).isEqualTo(3);
    assertThat(call("GET", records + "?page=3&per_page=3", null).body().get("result")).hasSize(1);
    assertThat(call("GET", records + "?name=h4.example.com", null).body().get("result")).hasSize(1);
    assertThat(call("GET", records + "?type=AAAA", null).body().get("result")).isEmpty();
    assertThat(call("GET", records + "?per_page=0", null).status()).isEqualTo(400);
    assertThat(call("GET", "/zones?name=example.com", null).body().at("/result/0/id").asText())
        .isEqualTo(zone);
  }

  @Test
  void aBatchRunsDeletesBeforePostsInOneTransaction() throws IOException {
    String id = create("app", "192.0.2.1");
    String batch = "/zones/" + zone + "/dns_records/batch";

    // Deletes go first, so re-creating the same record in the same batch is no duplicate.
    JsonHttp.Reply swap =
        call(
            "POST",
            batch,
            Map.of(
                "deletes",
                List.of(Map.of("id", id)),
                "posts",
                List.of(a("app", "192.0.2.1", "c"))));
    assertThat(swap.status()).isEqualTo(200);
    assertThat(cloudflare.records(zone)).hasSize(1);

    // One bad change and nothing of the batch is applied.
    JsonHttp.Reply failed =
        call(
            "POST",
            batch,
            Map.of(
                "posts",
                List.of(a("new", "192.0.2.9", "c")),
                "patches",
                List.of(Map.of("id", "missing", "content", "192.0.2.8"))));
    assertThat(failed.status()).isEqualTo(404);
    assertThat(cloudflare.records(zone)).hasSize(1);
    assertThat(cloudflare.batches()).isEqualTo(1);
  }

  @Test
  void aSpentBudgetAnswers429WithRetryAfterUntilTheWindowEnds() throws IOException {
    cloudflare.rateLimit(2, Duration.ofMinutes(5));
    call("GET", "/zones", null);
    call("GET", "/zones", null);
    clock.advance(Duration.ofSeconds(100));

    JsonHttp.Reply limited = call("GET", "/zones", null);

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("200");
    clock.advance(Duration.ofSeconds(200));
    assertThat(call("GET", "/zones", null).status()).isEqualTo(200);
  }

  @Test
  void aWrongTokenIs403() throws IOException {
    JsonHttp.Reply reply = http.send("GET", "/zones", Map.of(), null);

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.body().get("success").asBoolean()).isFalse();
  }
}
