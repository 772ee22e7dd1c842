package io.homelab.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.status.ConditionType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** In dry-run mode every object says that the operator plans and reports but writes nothing. */
@QuarkusTest
@TestProfile(DryRunTest.DryRun.class)
@WithKubernetesTestServer(crud = true)
class DryRunTest {

  public static class DryRun implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("homelab.dry-run", "true");
    }
  }

  @Inject KubernetesClient client;

  @Test
  void everyKindShowsThatWritesAreSuspended() {
    Homelab lab = new Homelab(client, "dry");
    lab.secrets();
    lab.edge(e -> {});
    lab.tunnel("home", t -> {});
    lab.guest(g -> {});
    lab.route("app", "dry.example.com", r -> {});

    var route = lab.awaitCondition(Route.class, "app", ConditionType.PAUSED, "True", "DryRun");
    assertThat(route.getMessage()).contains("dry-run").contains("writes nothing");
    lab.awaitCondition(Edge.class, "vps", ConditionType.PAUSED, "True", "DryRun");
    lab.awaitCondition(Tunnel.class, "home", ConditionType.PAUSED, "True", "DryRun");
    lab.awaitCondition(Guest.class, "app", ConditionType.PAUSED, "True", "DryRun");
    // Dry-run changes what is written outside Kubernetes, not what is decided.
    lab.awaitCondition(Route.class, "app", ConditionType.ACCEPTED, "True", "Accepted");
  }
}
