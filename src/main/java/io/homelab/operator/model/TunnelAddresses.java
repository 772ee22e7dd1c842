package io.homelab.operator.model;

import java.util.Collection;
import java.util.Optional;

/**
 * Addresses inside an Edge's WireGuard network (IPv4). The Edge takes one (the first host address
 * unless its spec names another); each Tunnel another, the lowest free one, never one that is
 * taken. Pure.
 */
public final class TunnelAddresses {

  private TunnelAddresses() {}

  /** The Edge's own address: the one its spec names, or the first host address of the network. */
  public static String edgeAddress(String network, String explicit) {
    if (explicit != null) {
      return explicit;
    }
    return text(base(network) + 1);
  }

  /** The address with the network's prefix length, as an interface takes it: 10.77.0.1/24. */
  public static String onInterface(String address, String network) {
    return address + "/" + prefix(network);
  }

  /**
   * The lowest host address of the network that is neither the Edge's nor taken; empty when the
   * network is full.
   */
  public static Optional<String> allocate(
      String network, String edgeAddress, Collection<String> taken) {
    long base = base(network);
    long size = 1L << (32 - prefix(network));
    for (long a = base + 1; a < base + size - 1; a++) {
      String candidate = text(a);
      if (!candidate.equals(edgeAddress) && !taken.contains(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Whether an IPv4 CIDR lies inside the network. */
  public static boolean inside(String cidr, String network) {
    if (cidr.contains(":")) {
      return false;
    }
    String[] parts = cidr.split("/");
    int p = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
    return p >= prefix(network) && (value(parts[0]) & mask(prefix(network))) == base(network);
  }

  /** The address of a host CIDR ({@code 10.77.0.2/32} gives 10.77.0.2). */
  public static String hostOf(String cidr) {
    return cidr.split("/")[0];
  }

  private static int prefix(String network) {
    return Integer.parseInt(network.split("/")[1]);
  }

  private static long base(String network) {
    return value(network.split("/")[0]) & mask(prefix(network));
  }

  private static long mask(int prefix) {
    return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
  }

  private static long value(String address) {
    long v = 0;
    for (String octet : address.split("\\.")) {
      v = (v << 8) | Integer.parseInt(octet);
    }
    return v;
  }

  private static String text(long v) {
    return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
  }
}
