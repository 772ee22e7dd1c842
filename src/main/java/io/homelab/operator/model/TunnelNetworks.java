package io.homelab.operator.model;

import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.status.ConditionType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a Tunnel's addresses fit its Edge: its {@code spec.address} inside the Edge's network and
 * not held by the Edge or another Tunnel, and its {@code allowedIPs} neither around the Edge's
 * network nor overlapping another Tunnel's (WireGuard sends each address to one peer only, so an
 * overlap would quietly take traffic from the other home). The older Tunnel (creation time, then
 * namespace/name) keeps what both ask for, as with host names. Pure.
 */
public final class TunnelNetworks {

  public static final String ADDRESS_OUTSIDE_NETWORK = "AddressOutsideNetwork";
  public static final String ADDRESS_TAKEN = "AddressTaken";
  public static final String NETWORK_OVERLAP = "NetworkOverlap";

  private static final Comparator<Tunnel> AGE = FirstCome.order();

  private TunnelNetworks() {}

  /**
   * Why the Tunnel cannot have a peer on the Edge, as an {@code Accepted=False} verdict; empty when
   * it can.
   *
   * @param onEdge every Tunnel of the Edge (the Tunnel itself may be among them)
   */
  public static Optional<Verdict> check(Tunnel tunnel, Collection<Tunnel> onEdge, Edge edge) {
    String network = edge.getSpec().getWireguard().getNetwork();
    String edgeAddress =
        TunnelAddresses.edgeAddress(network, edge.getSpec().getWireguard().getAddress());
    List<Tunnel> others =
        onEdge.stream()
            .filter(o -> !key(o).equals(key(tunnel)))
            .filter(o -> o.getMetadata().getDeletionTimestamp() == null)
            .toList();
    String address = tunnel.getSpec().getAddress();
    if (address != null) {
      if (!TunnelAddresses.inside(address + "/32", network)) {
        return rejected(
            ADDRESS_OUTSIDE_NETWORK,
            "spec.address "
                + address
                + " is outside the Edge's network "
                + network
                + ": choose an address inside it, or leave it out to get a free one");
      }
      if (address.equals(edgeAddress)) {
        return rejected(
            ADDRESS_TAKEN, "spec.address " + address + " is the Edge's own address in " + network);
      }
      for (Tunnel other : others) {
        boolean assigned =
            other.getStatus() != null && address.equals(other.getStatus().getAddress());
        boolean claimedFirst =
            address.equals(other.getSpec().getAddress()) && AGE.compare(other, tunnel) < 0;
        if (assigned || claimedFirst) {
          return rejected(
              ADDRESS_TAKEN,
              "spec.address " + address + " is held by Tunnel " + key(other) + ": choose another");
        }
      }
    }
    for (String cidr : allowed(tunnel)) {
      // A range inside the tunnel network is routed by WireGuard alone; one around it would take
      // every Tunnel's address.
      if (overlap(cidr, network) && !TunnelAddresses.inside(cidr, network)) {
        return rejected(
            NETWORK_OVERLAP,
            "allowedIPs "
                + cidr
                + " overlaps the Edge's tunnel network "
                + network
                + ": list only the home networks behind this Tunnel");
      }
      for (Tunnel other : others) {
        if (AGE.compare(other, tunnel) > 0) {
          continue;
        }
        for (String theirs : allowed(other)) {
          if (overlap(cidr, theirs)) {
            return rejected(
                NETWORK_OVERLAP,
                "allowedIPs "
                    + cidr
                    + " overlaps "
                    + theirs
                    + " of Tunnel "
                    + key(other)
                    + ": WireGuard sends a network to one peer only, so each home needs networks"
                    + " of its own");
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Whether two CIDRs (or addresses) of one family share an address. */
  public static boolean overlap(String a, String b) {
    byte[] x = bytes(a);
    byte[] y = bytes(b);
    if (x.length != y.length) {
      return false;
    }
    int bits = Math.min(prefix(a, x.length * 8), prefix(b, y.length * 8));
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >> (i % 8);
      if ((x[i / 8] & mask) != (y[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static List<String> allowed(Tunnel tunnel) {
    return tunnel.getSpec().getAllowedIPs() == null
        ? List.of()
        : tunnel.getSpec().getAllowedIPs().stream().filter(Objects::nonNull).toList();
  }

  private static byte[] bytes(String cidr) {
    try {
      // A literal address: no name is looked up.
      return InetAddress.getByName(cidr.split("/")[0]).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + cidr, e);
    }
  }

  private static int prefix(String cidr, int max) {
    String[] parts = cidr.split("/");
    return parts.length > 1 ? Integer.parseInt(parts[1]) : max;
  }

  private static Optional<Verdict> rejected(String reason, String message) {
    return Optional.of(Verdict.isFalse(ConditionType.ACCEPTED, reason, message));
  }

  private static String key(Tunnel tunnel) {
    return tunnel.getMetadata().getNamespace() + "/" + tunnel.getMetadata().getName();
  }
}
