package io.homelab.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.homelab.operator.api.SecretKeyRef;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeDns;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.sandbox.caddy.CaddyAdminSimulator;
import io.homelab.operator.sandbox.cloudflare.CloudflareSimulator;
import io.homelab.operator.sandbox.edge.SimulatedEdge;
import io.homelab.operator.sandbox.npm.NpmSimulator;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.testing.CloudflarePort;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.dns} removed from an Edge whose Routes have records: the operator no longer has the
 * token to delete them, so it leaves them (it never deletes what it cannot see) and says so once,
 * in a Warning naming the host names and the zone; the Edge and its Route stay Ready without DNS.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class EdgeDnsRemovedTest {

  private static final String NAMESPACE = "dns-removed";
  private static final String ZONE = "dnsoff.test";
  private static final String HOST = "app." + ZONE;
  private static final String TOKEN = "token-dns-removed";

  private static final List<AutoCloseable> started = new ArrayList<>();

  @Inject KubernetesClient client;

  @ConfigProperty(name = "homelab.cloudflare.api-url")
  URI cloudflareUrl;

  @AfterAll
  static void stop() {
    CloudflarePort.stopSimulator();
    Homelab.closeAll(started);
  }

  @Test
  void theRecordsStayAndOneWarningNamesThem() throws IOException {
    SimulatedEdge edge = SimulatedEdge.start(Files.createTempDirectory("dns-removed-edge"));
    started.add(edge);
    NpmSimulator npm = new NpmSimulator(Clock.systemUTC());
    started.add(npm);
    CaddyAdminSimulator caddy = new CaddyAdminSimulator();
    started.add(caddy);
    CloudflareSimulator cloudflare = CloudflarePort.simulator(cloudflareUrl);
    String zone = cloudflare.addZone(ZONE);
    cloudflare.addToken(TOKEN);

    Homelab lab = new Homelab(client, NAMESPACE);
    lab.secret("cloudflare", Map.of("apiToken", TOKEN));
    lab.simulatedPath(
        edge,
        caddy,
        npm,
        "wgdnsoff",
        "10.93.0.0/24",
        ZONE,
        e -> {
          e.getSpec().getDns().setZone(ZONE);
          e.getSpec().getDns().setApiTokenSecretRef(new SecretKeyRef("cloudflare", "apiToken"));
        },
        "10.94.0.0/24",
        HOST,
        "10.94.0.20:5000",
        r -> {});
    List<String> records = recordIds(cloudflare, zone);
    assertThat(records).as("records of %s", HOST).isNotEmpty();
    assertThat(lab.get(Edge.class, "vps").getStatus().getDnsZoneId()).isEqualTo(zone);

    lab.edit(Edge.class, "vps", e -> e.getSpec().setDns(null));
    await("the Warning that the records stay")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !left(lab).isEmpty());
    assertThat(left(lab))
        .singleElement()
        .asString()
        .startsWith("Warning DnsRecordsLeft: spec.dns was removed")
        .contains(HOST)
        .contains(zone);
    await("the Edge's status without DNS")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              var status = lab.get(Edge.class, "vps").getStatus();
              return status.getDnsZoneId() == null
                  && status.getDnsNames() == null
                  && Homelab.condition(lab.get(Edge.class, "vps"), ConditionType.DNS_READY)
                      .isEmpty();
            });
    lab.awaitCondition(Edge.class, "vps", ConditionType.READY, "True", "Ready");
    lab.awaitCondition(Route.class, "app", ConditionType.READY, "True", "Ready");
    assertThat(recordIds(cloudflare, zone)).as("the records, untouched").isEqualTo(records);

    // A change and more passes later: still one Warning.
    lab.edit(Route.class, "app", r -> r.getSpec().setWebsockets(true));
    lab.awaitCondition(Route.class, "app", ConditionType.READY, "True", "Ready");
    assertThat(left(lab)).hasSize(1);

    // spec.dns back: the same records are the operator's again (none made twice), and they go with
    // their Route.
    lab.edit(
        Edge.class,
        "vps",
        e -> {
          EdgeDns dns = new EdgeDns();
          dns.setZone(ZONE);
          dns.setApiTokenSecretRef(new SecretKeyRef("cloudflare", "apiToken"));
          e.getSpec().setDns(dns);
        });
    lab.awaitCondition(Edge.class, "vps", ConditionType.DNS_READY, "True", "Published");
    assertThat(recordIds(cloudflare, zone)).as("the records, managed again").isEqualTo(records);
    lab.awaitCondition(Route.class, "app", ConditionType.READY, "True", "Ready");

    for (var kind : List.of(Route.class, Tunnel.class, Edge.class)) {
      lab.delete(kind, kind == Tunnel.class ? "home" : kind == Edge.class ? "vps" : "app");
    }
    await("every object gone")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                lab.get(Route.class, "app") == null
                    && lab.get(Tunnel.class, "home") == null
                    && lab.get(Edge.class, "vps") == null);
    assertThat(recordIds(cloudflare, zone)).as("the records, removed with their Route").isEmpty();
  }

  private static List<String> left(Homelab lab) {
    return lab.events("Edge", "vps").stream().filter(e -> e.contains(" DnsRecordsLeft: ")).toList();
  }

  private static List<String> recordIds(CloudflareSimulator cloudflare, String zone) {
    return cloudflare.records(zone).stream()
        .filter(r -> r.path("name").asText().equals(HOST))
        .map(r -> r.path("id").asText())
        .sorted()
        .toList();
  }
}
