package io.homelab.operator.reconciler.edge;

import io.homelab.operator.api.DeletionPolicy;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeWireGuard;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.driver.wireguard.InterfaceConfig;
import io.homelab.operator.driver.wireguard.PeerConfig;
import io.homelab.operator.driver.wireguard.PeerState;
import io.homelab.operator.driver.wireguard.WireGuardDump;
import io.homelab.operator.driver.wireguard.WireGuardHost;
import io.homelab.operator.model.OwnerMarker;
import io.homelab.operator.model.TunnelAddresses;
import io.homelab.operator.model.TunnelNetworks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the Edge's interface should be, and whether the host differs from it. Pure.
 *
 * @param config the interface config, one peer per Tunnel that has an address and a key
 * @param routes the kernel routes the peers need (their networks outside the Edge's own)
 * @param staleRoutes routes the operator added earlier that no peer needs any more
 */
record EdgeWireGuardPlan(InterfaceConfig config, List<String> routes, List<String> staleRoutes) {

  static EdgeWireGuardPlan of(
      Edge edge, String ownerId, String privateKey, List<Tunnel> tunnels, WireGuardHost host) {
    EdgeWireGuard wg = edge.getSpec().getWireguard();
    String network = wg.getNetwork();
    List<PeerConfig> peers = new ArrayList<>();
    Set<String> routes = new LinkedHashSet<>();
    tunnels.stream()
        .filter(t -> t.getMetadata().getDeletionTimestamp() == null || retained(t))
        .filter(t -> t.getStatus() != null)
        .filter(t -> t.getStatus().getAddress() != null && t.getStatus().getPublicKey() != null)
        // A Tunnel whose address or networks collide with another's gets no peer at all.
        .filter(t -> TunnelNetworks.check(t, tunnels, edge).isEmpty())
        .sorted(Comparator.comparing(t -> t.getMetadata().getName()))
        .forEach(
            t -> {
              List<String> allowed = new ArrayList<>();
              allowed.add(t.getStatus().getAddress() + "/32");
              if (t.getSpec().getAllowedIPs() != null) {
                for (String cidr : t.getSpec().getAllowedIPs()) {
                  allowed.add(cidr);
                  if (!TunnelAddresses.inside(cidr, network)) {
                    routes.add(cidr);
                  }
                }
              }
              peers.add(
                  new PeerConfig(
                      marker(ownerId, t).text(),
                      t.getStatus().getPublicKey(),
                      allowed,
                      null,
                      null));
            });
    // A peer in our file whose Tunnel is gone was released (deletionPolicy Retain, or a forced
    // deletion): a Tunnel deleted with Delete takes its peer out before it goes. It stays, and a
    // Tunnel re-created under the same name takes it back by its marker.
    Set<String> known = new HashSet<>();
    tunnels.forEach(t -> known.add(marker(ownerId, t).text()));
    String edgeMarker =
        new OwnerMarker(
                ownerId, "Edge", edge.getMetadata().getNamespace(), edge.getMetadata().getName())
            .text();
    if (InterfaceConfig.isOurs(host.config(), edgeMarker)) {
      for (PeerConfig released : InterfaceConfig.peersOf(host.config())) {
        if (released.marker() != null && !known.contains(released.marker())) {
          peers.add(released);
          released.allowedIPs().stream()
              .filter(cidr -> !TunnelAddresses.inside(cidr, network))
              .forEach(routes::add);
        }
      }
    }
    String address = TunnelAddresses.edgeAddress(network, wg.getAddress());
    InterfaceConfig config =
        new InterfaceConfig(
            edgeMarker,
            TunnelAddresses.onInterface(address, network),
            wg.getListenPort(),
            privateKey,
            wg.getMtu(),
            peers);
    List<String> stale = host.routes().stream().filter(r -> !routes.contains(r)).toList();
    return new EdgeWireGuardPlan(config, List.copyOf(routes), stale);
  }

  private static boolean retained(Tunnel tunnel) {
    return tunnel.getSpec().getDeletionPolicy() == DeletionPolicy.Retain;
  }

  static OwnerMarker marker(String ownerId, Tunnel tunnel) {
    return new OwnerMarker(
        ownerId, "Tunnel", tunnel.getMetadata().getNamespace(), tunnel.getMetadata().getName());
  }

  /** Whether the host must be written: config, link, live peers or routes differ. */
  boolean differsFrom(WireGuardHost host, String publicKey) {
    if (!config.render().equals(host.config()) || !host.linkUp() || !staleRoutes.isEmpty()) {
      return true;
    }
    if (!routes.stream().filter(r -> !r.contains(":")).allMatch(host.routes()::contains)) {
      return true;
    }
    WireGuardDump dump = host.dump().orElse(null);
    if (dump == null
        || !dump.publicKey().equals(publicKey)
        || (config.listenPort() != null && dump.listenPort() != config.listenPort())) {
      return true;
    }
    Map<String, Set<String>> live = new HashMap<>();
    for (PeerState peer : dump.peers()) {
      live.put(peer.publicKey(), Set.copyOf(peer.allowedIPs()));
    }
    Map<String, Set<String>> wanted = new HashMap<>();
    for (PeerConfig peer : config.peers()) {
      wanted.put(peer.publicKey(), Set.copyOf(peer.allowedIPs()));
    }
    return !live.equals(wanted);
  }
}
