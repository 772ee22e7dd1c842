package io.homelab.operator.driver.wireguard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The output of {@code wg show <if> dump}: a line for the interface (private key, public key,
 * listen port, fwmark), then one per peer (public key, preshared key, endpoint, allowed IPs, latest
 * handshake in epoch seconds, bytes received, bytes sent, keepalive), tab-separated. Pure.
 *
 * @param publicKey the interface's public key
 * @param listenPort its listen port
 * @param peers its peers
 */
public record WireGuardDump(String publicKey, int listenPort, List<PeerState> peers) {

  public WireGuardDump {
    peers = List.copyOf(peers);
  }

  /** Reads a dump; empty for empty text (no such interface). */
  public static Optional<WireGuardDump> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String[] lines = text.strip().split("\n");
    String[] head = lines[0].split("\t");
    if (head.length < 4) {
      throw new IllegalArgumentException("Not a 'wg show dump' interface line: " + head.length);
    }
    List<PeerState> peers = new ArrayList<>();
    for (String line : Arrays.asList(lines).subList(1, lines.length)) {
      String[] f = line.split("\t");
      if (f.length < 8) {
        throw new IllegalArgumentException("Not a 'wg show dump' peer line: " + f.length);
      }
      long handshake = Long.parseLong(f[4]);
      peers.add(
          new PeerState(
              f[0],
              "(none)".equals(f[2]) ? null : f[2],
              "(none)".equals(f[3]) ? List.of() : Arrays.asList(f[3].split(",")),
              handshake == 0 ? null : Instant.ofEpochSecond(handshake),
              Long.parseLong(f[5]),
              Long.parseLong(f[6])));
    }
    return Optional.of(new WireGuardDump(head[1], Integer.parseInt(head[2]), peers));
  }

  /** The peer with this public key. */
  public Optional<PeerState> peer(String publicKey) {
    return peers.stream().filter(p -> p.publicKey().equals(publicKey)).findFirst();
  }
}
