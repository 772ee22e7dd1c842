package io.homelab.operator.driver.wireguard;

import java.util.List;

/**
 * One {@code [Peer]} of an interface config.
 *
 * @param marker the owner marker written in a comment above it, or null
 * @param publicKey the peer's public key
 * @param allowedIPs networks routed to the peer, in order
 * @param endpoint {@code host:port} to reach the peer at, or null when the peer dials in
 * @param persistentKeepalive seconds between keepalives, or null (0 turns them off)
 */
public record PeerConfig(
    String marker,
    String publicKey,
    List<String> allowedIPs,
    String endpoint,
    Integer persistentKeepalive) {

  public PeerConfig {
    allowedIPs = List.copyOf(allowedIPs);
  }
}
