package io.homelab.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeSpec;
import io.homelab.operator.api.edge.EdgeWireGuard;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.api.tunnel.TunnelSpec;
import io.homelab.operator.api.tunnel.TunnelStatus;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TunnelNetworksTest {

  private static final Edge EDGE = edge("10.77.0.0/24");

  @ParameterizedTest(name = "{0} and {1}: {2}")
  @CsvSource({
    "192.168.1.0/24, 192.168.1.0/24, true",
    "192.168.1.0/24, 192.168.1.128/25, true",
    "192.168.1.128/25, 192.168.1.0/24, true",
    "192.168.1.0/25, 192.168.1.128/25, false",
    "192.168.1.7, 192.168.1.0/24, true",
    "10.0.0.0/8, 10.77.0.0/24, true",
    "0.0.0.0/0, 203.0.113.0/24, true",
    "fd00::/64, fd00::1/128, true",
    "fd00::/64, fd01::/64, false",
    "192.168.1.0/24, fd00::/64, false",
  })
  void networksOverlapWhenTheyShareAnAddress(String a, String b, boolean overlap) {
    assertThat(TunnelNetworks.overlap(a, b)).isEqualTo(overlap);
  }

  @Test
  void anAddressOutsideTheNetworkOrTheEdgesOwnIsRefused() {
    Tunnel outside = tunnel("a", "2026-01-01T00:00:00Z", "10.78.0.2", List.of());
    Tunnel edgeOwn = tunnel("b", "2026-01-01T00:00:00Z", "10.77.0.1", List.of());

    assertThat(TunnelNetworks.check(outside, List.of(outside), EDGE).orElseThrow().reason())
        .isEqualTo(TunnelNetworks.ADDRESS_OUTSIDE_NETWORK);
    assertThat(TunnelNetworks.check(edgeOwn, List.of(edgeOwn), EDGE).orElseThrow().message())
        .contains("the Edge's own address");
  }

  @Test
  void anAddressAssignedToAnotherTunnelIsTakenWhateverItsAge() {
    Tunnel holder = tunnel("holder", "2026-02-01T00:00:00Z", null, List.of());
    holder.setStatus(new TunnelStatus());
    holder.getStatus().setAddress("10.77.0.2");
    Tunnel older = tunnel("older", "2026-01-01T00:00:00Z", "10.77.0.2", List.of());

    Verdict verdict = TunnelNetworks.check(older, List.of(holder, older), EDGE).orElseThrow();

    assertThat(verdict.reason()).isEqualTo(TunnelNetworks.ADDRESS_TAKEN);
    assertThat(verdict.message()).contains("ns/holder");
    assertThat(TunnelNetworks.check(holder, List.of(holder, older), EDGE)).isEmpty();
  }

  @Test
  void theOlderTunnelKeepsAnOverlappingNetwork() {
    Tunnel first = tunnel("first", "2026-01-01T00:00:00Z", null, List.of("192.168.1.0/24"));
    Tunnel second = tunnel("second", "2026-01-02T00:00:00Z", null, List.of("192.168.1.0/25"));
    List<Tunnel> both = List.of(second, first);

    assertThat(TunnelNetworks.check(first, both, EDGE)).isEmpty();
    Verdict verdict = TunnelNetworks.check(second, both, EDGE).orElseThrow();
    assertThat(verdict.reason()).isEqualTo(TunnelNetworks.NETWORK_OVERLAP);
    assertThat(verdict.message()).contains("192.168.1.0/24 of Tunnel ns/first");
  }

  @Test
  void aNetworkOverlappingTheEdgesTunnelNetworkIsRefused() {
    Tunnel wide = tunnel("wide", "2026-01-01T00:00:00Z", null, List.of("10.0.0.0/8"));

    assertThat(TunnelNetworks.check(wide, List.of(wide), EDGE).orElseThrow().message())
        .contains("overlaps the Edge's tunnel network 10.77.0.0/24");
    // A range inside it is routed by WireGuard alone.
    Tunnel inside = tunnel("inside", "2026-01-01T00:00:00Z", null, List.of("10.77.0.128/25"));
    assertThat(TunnelNetworks.check(inside, List.of(inside), EDGE)).isEmpty();
  }

  @Test
  void aTunnelBeingDeletedHoldsNothing() {
    Tunnel going = tunnel("going", "2026-01-01T00:00:00Z", null, List.of("192.168.1.0/24"));
    going.getMetadata().setDeletionTimestamp("2026-03-01T00:00:00Z");
    Tunnel next = tunnel("next", "2026-01-02T00:00:00Z", null, List.of("192.168.1.0/24"));

    assertThat(TunnelNetworks.check(next, List.of(going, next), EDGE)).isEmpty();
  }

  private static Tunnel tunnel(String name, String created, String address, List<String> lans) {
    Tunnel t = new Tunnel();
    t.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("ns")
            .withName(name)
            .withCreationTimestamp(created)
            .build());
    t.setSpec(new TunnelSpec());
    t.getSpec().setAddress(address);
    t.getSpec().setAllowedIPs(lans);
    return t;
  }

  private static Edge edge(String network) {
    Edge e = new Edge();
    e.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("vps").build());
    e.setSpec(new EdgeSpec());
    e.getSpec().setWireguard(new EdgeWireGuard());
    e.getSpec().getWireguard().setNetwork(network);
    return e;
  }
}
