package io.homelab.operator.driver.wireguard;

import java.time.Instant;
import java.util.List;

/**
 * A peer as {@code wg show <if> dump} reports it.
 *
 * @param publicKey the peer's public key
 * @param endpoint the address it was last seen at, or null
 * @param allowedIPs its allowed IPs
 * @param latestHandshake the latest handshake, or null when there was none
 * @param receivedBytes bytes received from it
 * @param sentBytes bytes sent to it
 */
public record PeerState(
    String publicKey,
    String endpoint,
    List<String> allowedIPs,
    Instant latestHandshake,
    long receivedBytes,
    long sentBytes) {

  public PeerState {
    allowedIPs = List.copyOf(allowedIPs);
  }
}
