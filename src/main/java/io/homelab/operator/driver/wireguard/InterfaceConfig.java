package io.homelab.operator.driver.wireguard;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A wg-quick interface config that the operator owns: a header naming the owner, the {@code
 * [Interface]} section, and one {@code [Peer]} per Tunnel, each with its owner marker in a comment.
 * Rendering and reading back are pure; {@code wg-quick strip} turns the text into what {@code wg
 * syncconf} takes.
 *
 * @param owner the owner marker of the whole file (the Edge, or the Tunnel for a home end)
 * @param address the interface address with its prefix length, for example 10.77.0.1/24
 * @param listenPort UDP port, or null to let WireGuard pick one (home ends)
 * @param privateKey the interface's private key, base64
 * @param mtu MTU, or null for the default
 * @param peers the peers, in order
 */
public record InterfaceConfig(
    String owner,
    String address,
    Integer listenPort,
    String privateKey,
    Integer mtu,
    List<PeerConfig> peers) {

  /** The first line of every file the operator writes; a file without it is someone else's. */
  public static final String HEADER = "# Managed by homelab-operator: edits here are overwritten.";

  private static final String OWNER_PREFIX = "# Owner: ";

  public InterfaceConfig {
    Objects.requireNonNull(owner, "owner");
    peers = List.copyOf(peers);
  }

  /** The wg-quick text. */
  public String render() {
    StringBuilder text = new StringBuilder();
    text.append(HEADER).append('\n');
    text.append(OWNER_PREFIX).append(owner).append('\n');
    text.append("[Interface]\n");
    text.append("Address = ").append(address).append('\n');
    if (listenPort != null) {
      text.append("ListenPort = ").append(listenPort).append('\n');
    }
    text.append("PrivateKey = ").append(privateKey).append('\n');
    if (mtu != null) {
      text.append("MTU = ").append(mtu).append('\n');
    }
    for (PeerConfig peer : peers) {
      text.append('\n');
      if (peer.marker() != null) {
        text.append("# ").append(peer.marker()).append('\n');
      }
      text.append("[Peer]\n");
      text.append("PublicKey = ").append(peer.publicKey()).append('\n');
      text.append("AllowedIPs = ").append(String.join(", ", peer.allowedIPs())).append('\n');
      if (peer.endpoint() != null) {
        text.append("Endpoint = ").append(peer.endpoint()).append('\n');
      }
      if (peer.persistentKeepalive() != null && peer.persistentKeepalive() > 0) {
        text.append("PersistentKeepalive = ").append(peer.persistentKeepalive()).append('\n');
      }
    }
    return text.toString();
  }

  /**
   * Whether a config file's text was written by the operator for this owner: our header, then the
   * owner line with this marker (its ownerId and object). A file of another installation, or of
   * another Edge, has another owner line and is not ours.
   */
  public static boolean isOurs(String text, String owner) {
    return text != null && text.startsWith(HEADER + "\n" + OWNER_PREFIX + owner + "\n");
  }

  /** The owner a file written by an operator names, or null when it has no such line. */
  public static String ownerOf(String text) {
    if (text == null || !text.startsWith(HEADER + "\n" + OWNER_PREFIX)) {
      return null;
    }
    String rest = text.substring(HEADER.length() + 1 + OWNER_PREFIX.length());
    int end = rest.indexOf('\n');
    return end < 0 ? rest : rest.substring(0, end);
  }

  /**
   * The peers of a config file, each with the marker in the comment just above its {@code [Peer]}
   * line (null when there is none). Keys other than PublicKey, AllowedIPs, Endpoint and
   * PersistentKeepalive are ignored.
   */
  public static List<PeerConfig> peersOf(String text) {
    List<PeerConfig> peers = new ArrayList<>();
    if (text == null) {
      return peers;
    }
    String lastComment = null;
    PeerBuilder current = null;
    for (String raw : text.split("\n")) {
      String line = raw.trim();
      if (line.startsWith("#")) {
        lastComment = line.substring(1).trim();
        continue;
      }
      if (line.startsWith("[")) {
        if (current != null) {
          peers.add(current.build());
        }
        current = line.equalsIgnoreCase("[Peer]") ? new PeerBuilder(lastComment) : null;
        lastComment = null;
        continue;
      }
      int eq = line.indexOf('=');
      if (current == null || eq < 0) {
        continue;
      }
      String key = line.substring(0, eq).trim().toLowerCase();
      String value = line.substring(eq + 1).trim();
      switch (key) {
        case "publickey" -> current.publicKey = value;
        case "allowedips" -> {
          for (String ip : value.split(",")) {
            if (!ip.isBlank()) {
              current.allowedIPs.add(ip.trim());
            }
          }
        }
        case "endpoint" -> current.endpoint = value;
        case "persistentkeepalive" -> current.keepalive = Integer.valueOf(value);
        default -> {}
      }
    }
    if (current != null) {
      peers.add(current.build());
    }
    return peers;
  }

  private static final class PeerBuilder {
    final String marker;
    String publicKey;
    final List<String> allowedIPs = new ArrayList<>();
    String endpoint;
    Integer keepalive;

    PeerBuilder(String marker) {
      this.marker = marker;
    }

    PeerConfig build() {
      return new PeerConfig(marker, publicKey, allowedIPs, endpoint, keepalive);
    }
  }
}
