package io.homelab.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.sandbox.caddy.CaddyAdminSimulator;
import io.homelab.operator.sandbox.edge.SimulatedEdge;
import io.homelab.operator.sandbox.npm.NpmSimulator;
import io.homelab.operator.status.ConditionType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A Tunnel whose deletion waits for its Routes keeps its key and address in its status meanwhile:
 * an operator restarted in that time goes by them to wait until the Edge has taken the peer out,
 * even before it has read the Edge again. (A wait that blanked the status let a restarted operator
 * drop the finalizer at once, and the Edge then kept the peer as a released one.) Once the Route is
 * gone, the peer goes, then the Tunnel.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class TunnelDeletionTest {

  private static final String NAMESPACE = "tunnel-deletion";

  private static final List<AutoCloseable> started = new ArrayList<>();

  @Inject KubernetesClient client;

  @ConfigProperty(name = "homelab.wireguard.config-dir")
  String configDir;

  @AfterAll
  static void stop() {
    Homelab.closeAll(started);
  }

  @Test
  void aTunnelWaitingForItsRoutesKeepsItsKeyAndAddressThenItsPeerGoes() throws IOException {
    SimulatedEdge edge = SimulatedEdge.start(Files.createTempDirectory("tunnel-deletion-edge"));
    started.add(edge);
    NpmSimulator npm = new NpmSimulator(Clock.systemUTC());
    started.add(npm);
    CaddyAdminSimulator caddy = new CaddyAdminSimulator();
    started.add(caddy);

    Homelab lab = new Homelab(client, NAMESPACE);
    lab.simulatedPath(
        edge,
        caddy,
        npm,
        "wgtundel",
        "10.95.0.0/24",
        "tundel.test",
        e -> e.getSpec().setDns(null),
        "10.96.0.0/24",
        "app.tundel.test",
        "10.96.0.20:5000",
        r -> r.getSpec().setDns(null));
    var before = lab.get(Tunnel.class, "home").getStatus();
    assertThat(before.getPublicKey()).isNotNull();
    assertThat(before.getAddress()).isNotNull();
    Path config = Path.of(configDir, "wgtundel.conf");
    await("the peer on the Edge")
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.readString(config).contains("PublicKey = " + before.getPublicKey()));

    lab.delete(Tunnel.class, "home");
    lab.awaitCondition(Tunnel.class, "home", ConditionType.READY, "False", "WaitingForDependents");
    assertThat(lab.get(Tunnel.class, "home").getStatus())
        .returns(before.getPublicKey(), s -> s.getPublicKey())
        .returns(before.getAddress(), s -> s.getAddress());

    lab.delete(Route.class, "app");
    await("the Tunnel gone")
        .atMost(Duration.ofSeconds(60))
        .until(() -> lab.get(Tunnel.class, "home") == null);
    assertThat(Files.readString(config)).doesNotContain(before.getPublicKey());
    lab.delete(Edge.class, "vps");
    await("the Edge gone")
        .atMost(Duration.ofSeconds(60))
        .until(() -> lab.get(Edge.class, "vps") == null);
  }
}
