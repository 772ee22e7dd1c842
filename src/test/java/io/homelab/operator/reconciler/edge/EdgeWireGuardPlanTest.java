package io.homelab.operator.reconciler.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.homelab.operator.api.DeletionPolicy;
import io.homelab.operator.api.LocalObjectRef;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeSpec;
import io.homelab.operator.api.edge.EdgeWireGuard;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.api.tunnel.TunnelSpec;
import io.homelab.operator.api.tunnel.TunnelStatus;
import io.homelab.operator.driver.wireguard.InterfaceConfig;
import io.homelab.operator.driver.wireguard.PeerConfig;
import io.homelab.operator.driver.wireguard.PeerState;
import io.homelab.operator.driver.wireguard.WireGuardDump;
import io.homelab.operator.driver.wireguard.WireGuardHost;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Edge's interface plan: peers of live Tunnels, released peers kept, what makes a write. */
class EdgeWireGuardPlanTest {

  static final String EDGE_PRIVATE = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
  static final String EDGE_PUBLIC = "edge-public";
  static final String KEY_A = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
  static final String KEY_B = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=";
  static final String KEY_C = "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=";

  @Test
  void onePeerPerTunnelWithAnAddressAndAKeyAndARoutePerNetworkOutsideTheEdges() {
    EdgeWireGuardPlan plan =
        EdgeWireGuardPlan.of(
            edge(),
            "test",
            EDGE_PRIVATE,
            List.of(
                tunnel("b", "10.77.0.3", KEY_B, List.of("10.77.0.128/25"), false, null),
                tunnel("a", "10.77.0.2", KEY_A, List.of("192.168.1.0/24"), false, null),
                tunnel("new", null, null, List.of(), false, null)),
            host(null, List.of()));
    assertThat(plan.config().address()).isEqualTo("10.77.0.1/24");
    assertThat(plan.config().peers())
        .containsExactly(
            new PeerConfig(
                "homelab-operator:test/Tunnel/ns/a",
                KEY_A,
                List.of("10.77.0.2/32", "192.168.1.0/24"),
                null,
                null),
            new PeerConfig(
                "homelab-operator:test/Tunnel/ns/b",
                KEY_B,
                List.of("10.77.0.3/32", "10.77.0.128/25"),
                null,
                null));
    assertThat(plan.routes()).containsExactly("192.168.1.0/24");
  }

  @Test
  void aTunnelDeletedWithDeleteLosesItsPeerAndRouteOneWithRetainOrAlreadyGoneKeepsIt() {
    Tunnel deleting = tunnel("a", "10.77.0.2", KEY_A, List.of("192.168.1.0/24"), true, null);
    Tunnel retained =
        tunnel("b", "10.77.0.3", KEY_B, List.of("192.168.2.0/24"), true, DeletionPolicy.Retain);
    PeerConfig gone =
        new PeerConfig(
            "homelab-operator:test/Tunnel/ns/gone",
            KEY_C,
            List.of("10.77.0.4/32", "192.168.3.0/24"),
            null,
            null);
    String before =
        new InterfaceConfig(
                "homelab-operator:test/Edge/ns/vps",
                "10.77.0.1/24",
                51820,
                EDGE_PRIVATE,
                1420,
                List.of(
                    new PeerConfig(
                        "homelab-operator:test/Tunnel/ns/a",
                        KEY_A,
                        List.of("10.77.0.2/32", "192.168.1.0/24"),
                        null,
                        null),
                    gone))
            .render();
    EdgeWireGuardPlan plan =
        EdgeWireGuardPlan.of(
            edge(),
            "test",
            EDGE_PRIVATE,
            List.of(deleting, retained),
            host(before, List.of("192.168.1.0/24", "192.168.3.0/24")));
    assertThat(plan.config().peers())
        .extracting(PeerConfig::publicKey)
        .containsExactly(KEY_B, KEY_C);
    assertThat(plan.routes()).containsExactly("192.168.2.0/24", "192.168.3.0/24");
    assertThat(plan.staleRoutes()).containsExactly("192.168.1.0/24");
  }

  @Test
  void nothingIsWrittenWhenTheHostMatchesThePlan() {
    List<Tunnel> tunnels = List.of(tunnel("a", "10.77.0.2", KEY_A, List.of(), false, null));
    EdgeWireGuardPlan first =
        EdgeWireGuardPlan.of(edge(), "test", EDGE_PRIVATE, tunnels, host(null, List.of()));
    WireGuardHost same =
        new WireGuardHost(
            List.of(),
            first.config().render(),
            true,
            true,
            Optional.of(
                new WireGuardDump(
                    EDGE_PUBLIC,
                    51820,
                    List.of(new PeerState(KEY_A, null, List.of("10.77.0.2/32"), null, 0, 0)))),
            List.of());
    EdgeWireGuardPlan plan = EdgeWireGuardPlan.of(edge(), "test", EDGE_PRIVATE, tunnels, same);
    assertThat(plan.differsFrom(same, EDGE_PUBLIC)).isFalse();

    WireGuardHost down =
        new WireGuardHost(List.of(), same.config(), true, false, same.dump(), same.routes());
    assertThat(plan.differsFrom(down, EDGE_PUBLIC)).as("link down").isTrue();
    WireGuardHost peerMissing =
        new WireGuardHost(
            List.of(),
            same.config(),
            true,
            true,
            Optional.of(new WireGuardDump(EDGE_PUBLIC, 51820, List.of())),
            List.of());
    assertThat(plan.differsFrom(peerMissing, EDGE_PUBLIC)).as("live peer missing").isTrue();
    WireGuardHost rebooted =
        new WireGuardHost(List.of(), same.config(), false, false, Optional.empty(), List.of());
    assertThat(plan.differsFrom(rebooted, EDGE_PUBLIC)).as("interface gone").isTrue();
  }

  private static WireGuardHost host(String config, List<String> routes) {
    return new WireGuardHost(List.of(), config, false, false, Optional.empty(), routes);
  }

  private static Edge edge() {
    Edge edge = new Edge();
    edge.setMetadata(new ObjectMetaBuilder().withName("vps").withNamespace("ns").build());
    EdgeSpec spec = new EdgeSpec();
    EdgeWireGuard wg = new EdgeWireGuard();
    wg.setNetwork("10.77.0.0/24");
    spec.setWireguard(wg);
    edge.setSpec(spec);
    return edge;
  }

  private static Tunnel tunnel(
      String name,
      String address,
      String key,
      List<String> allowedIPs,
      boolean deleting,
      DeletionPolicy policy) {
    Tunnel tunnel = new Tunnel();
    tunnel.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("ns")
            .withDeletionTimestamp(deleting ? "2026-11-28T10:00:00Z" : null)
            .build());
    TunnelSpec spec = new TunnelSpec();
    spec.setEdgeRef(new LocalObjectRef("vps"));
    spec.setAllowedIPs(allowedIPs);
    if (policy != null) {
      spec.setDeletionPolicy(policy);
    }
    tunnel.setSpec(spec);
    TunnelStatus status = new TunnelStatus();
    status.setAddress(address);
    status.setPublicKey(key);
    tunnel.setStatus(status);
    return tunnel;
  }
}
