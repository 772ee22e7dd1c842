package io.homelab.operator.reconciler.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.homelab.operator.api.Condition;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeDnsName;
import io.homelab.operator.api.edge.EdgeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which Routes an Edge's update wakes: those of the host names it changed, or all. */
class EdgeUpdatesTest {

  @Test
  void aNewlyServedHostNameConcernsThatNameOnly() {
    Edge before = edge("1", List.of("a.example.com"), List.of());
    Edge after = edge("2", List.of("a.example.com", "B.example.com"), List.of());

    assertThat(EdgeUpdates.hostnamesConcerned(before, after)).contains(Set.of("b.example.com"));
  }

  @Test
  void aPublishedRecordConcernsItsNameOnly() {
    Edge before = edge("1", List.of("a.example.com"), List.of(dns("a.example.com", null)));
    Edge after =
        edge(
            "2",
            List.of("a.example.com"),
            List.of(dns("a.example.com", List.of("rec-1")), dns("c.example.com", null)));

    assertThat(EdgeUpdates.hostnamesConcerned(before, after))
        .contains(Set.of("a.example.com", "c.example.com"));
  }

  @Test
  void aConditionOrGenerationChangeConcernsEveryRoute() {
    Edge before = edge("1", List.of("a.example.com"), List.of());
    Edge notReachable = edge("2", List.of("a.example.com"), List.of());
    notReachable.getStatus().getConditions().get(0).setStatus("False");
    Edge newSpec = edge("3", List.of("a.example.com"), List.of());
    newSpec.getMetadata().setGeneration(2L);

    assertThat(EdgeUpdates.hostnamesConcerned(before, notReachable)).isEmpty();
    assertThat(EdgeUpdates.hostnamesConcerned(before, newSpec)).isEmpty();
  }

  @Test
  void theMapperGetsTheHintOfTheVersionTheFilterSawAndAllOtherwise() {
    EdgeUpdates updates = new EdgeUpdates();
    Edge before = edge("1", List.of(), List.of());
    Edge after = edge("2", List.of("a.example.com"), List.of());
    Edge unchanged = edge("3", List.of("a.example.com"), List.of());

    assertThat(updates.hostnames(before)).as("an Edge seen for the first time").isEmpty();
    assertThat(updates.accept(after, before)).isTrue();
    assertThat(updates.hostnames(after)).isEqualTo(Optional.of(Set.of("a.example.com")));
    assertThat(updates.accept(unchanged, after)).as("nothing a Route reads changed").isFalse();
    assertThat(updates.hostnames(edge("4", List.of("a.example.com"), List.of())))
        .as("a version the filter did not see")
        .isEmpty();
  }

  private static Edge edge(String resourceVersion, List<String> served, List<EdgeDnsName> dns) {
    Edge edge = new Edge();
    edge.setMetadata(
        new ObjectMetaBuilder()
            .withName("vps")
            .withNamespace("homelab")
            .withGeneration(1L)
            .withResourceVersion(resourceVersion)
            .build());
    EdgeStatus status = new EdgeStatus();
    status.setServedHostnames(new ArrayList<>(served));
    status.setDnsNames(new ArrayList<>(dns));
    Condition reachable = new Condition();
    reachable.setType("Reachable");
    reachable.setStatus("True");
    reachable.setReason("Connected");
    reachable.setMessage("Logged in");
    status.setConditions(new ArrayList<>(List.of(reachable)));
    edge.setStatus(status);
    return edge;
  }

  private static EdgeDnsName dns(String hostname, List<String> recordIds) {
    EdgeDnsName name = new EdgeDnsName();
    name.setHostname(hostname);
    name.setRecordIds(recordIds);
    return name;
  }
}
