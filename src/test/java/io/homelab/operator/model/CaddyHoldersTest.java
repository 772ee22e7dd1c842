package io.homelab.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.homelab.operator.api.SshAccess;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeCaddy;
import io.homelab.operator.api.edge.EdgeSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaddyHoldersTest {

  private static final String EARLY = "2026-12-01T10:00:00Z";
  private static final String LATE = "2026-12-01T11:00:00Z";

  @Test
  void aLaterEdgeOnTheSameCaddyIsHeldOffByTheFirst() {
    Edge first = edge("a", "vps", EARLY, "vps.example.net", 22, "localhost:2019");
    Edge second = edge("b", "vps", LATE, "VPS.example.net ", null, "localhost:2019");
    List<Edge> all = List.of(first, second);

    assertThat(CaddyHolders.heldByAnother(second, all)).contains(first);
    assertThat(CaddyHolders.heldByAnother(first, all)).as("the first holds it").isEmpty();
  }

  @Test
  void everySpellingOfTheVpsLoopbackIsOneCaddy() {
    Edge first = edge("a", "vps", EARLY, "vps.example.net", 22, "localhost:2019");
    for (String admin : List.of("127.0.0.1:2019", "[::1]:2019", "LOCALHOST:2019")) {
      Edge second = edge("b", "vps", LATE, "vps.example.net", 22, admin);
      assertThat(CaddyHolders.heldByAnother(second, List.of(first, second)))
          .as(admin)
          .contains(first);
    }
    Edge otherPort = edge("b", "vps", LATE, "vps.example.net", 22, "127.0.0.1:2020");
    assertThat(CaddyHolders.heldByAnother(otherPort, List.of(first, otherPort))).isEmpty();
    Edge otherAddress = edge("b", "vps", LATE, "vps.example.net", 22, "10.0.0.1:2019");
    assertThat(CaddyHolders.heldByAnother(otherAddress, List.of(first, otherAddress))).isEmpty();
  }

  @Test
  void anotherHostPortOrAdminAddressIsAnotherCaddy() {
    Edge first = edge("a", "vps", EARLY, "vps.example.net", 22, "localhost:2019");
    List<Edge> others =
        List.of(
            edge("b", "other-host", LATE, "vps2.example.net", 22, "localhost:2019"),
            edge("b", "other-port", LATE, "vps.example.net", 2222, "localhost:2019"),
            edge("b", "other-admin", LATE, "vps.example.net", 22, "localhost:2020"));
    for (Edge other : others) {
      assertThat(CaddyHolders.heldByAnother(other, List.of(first, other)))
          .as(other.getMetadata().getName())
          .isEmpty();
    }
  }

  @Test
  void anEdgeBeingDeletedHoldsNothingAndTiesGoByNamespaceAndName() {
    Edge going = edge("a", "vps", EARLY, "vps.example.net", 22, "localhost:2019");
    going.getMetadata().setDeletionTimestamp(LATE);
    Edge next = edge("b", "vps", LATE, "vps.example.net", 22, "localhost:2019");
    assertThat(CaddyHolders.heldByAnother(next, List.of(going, next))).isEmpty();

    Edge x = edge("a", "x", EARLY, "vps.example.net", 22, "localhost:2019");
    Edge y = edge("a", "y", EARLY, "vps.example.net", 22, "localhost:2019");
    assertThat(CaddyHolders.heldByAnother(y, List.of(x, y))).contains(x);
    assertThat(CaddyHolders.heldByAnother(x, List.of(x, y))).isEmpty();
  }

  private static Edge edge(
      String namespace, String name, String created, String host, Integer port, String admin) {
    Edge edge = new Edge();
    edge.getMetadata().setNamespace(namespace);
    edge.getMetadata().setName(name);
    edge.getMetadata().setCreationTimestamp(created);
    EdgeSpec spec = new EdgeSpec();
    SshAccess ssh = new SshAccess();
    ssh.setHost(host);
    ssh.setPort(port);
    spec.setSsh(ssh);
    EdgeCaddy caddy = new EdgeCaddy();
    caddy.setAdminAddress(admin);
    spec.setCaddy(caddy);
    edge.setSpec(spec);
    return edge;
  }
}
