package io.homelab.operator.driver.proxmox;

import java.net.URI;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * How to reach one Proxmox VE API: its URL, the API token, and how to trust its certificate (a CA
 * bundle, a pinned SHA-256 fingerprint, or, explicitly, not at all).
 *
 * @param url {@code https://HOST:8006}
 * @param tokenId {@code USER@REALM!TOKENID}
 * @param tokenSecret the token's secret; never printed
 * @param caBundle PEM certificates to trust, or null
 * @param fingerprint the server certificate's SHA-256, hex with or without colons, or null
 * @param insecure skip verification altogether
 */
public record ProxmoxEndpoint(
    String url,
    String tokenId,
    String tokenSecret,
    String caBundle,
    String fingerprint,
    boolean insecure) {

  public ProxmoxEndpoint {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(tokenSecret, "tokenSecret");
    URI uri = URI.create(url.trim());
    if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("url must be https://HOST:PORT, not '" + url + "'");
    }
    url = url.trim().replaceAll("/+$", "");
    if (fingerprint != null && !insecure) {
      pinnedSha256(fingerprint);
    }
    if (!insecure && caBundle == null && fingerprint == null) {
      throw new IllegalArgumentException("neither caBundle nor fingerprint says whom to trust");
    }
  }

  /** The API base, {@code URL/api2/json}. */
  public URI apiBase() {
    return URI.create(url + "/api2/json");
  }

  /** Which cluster this is, for logs and bulk-read sharing: URL and token id, never the secret. */
  public String name() {
    return url + " as " + tokenId;
  }

  /** The pinned fingerprint as 32 bytes. */
  static byte[] pinnedSha256(String fingerprint) {
    String hex = fingerprint.replace(":", "").trim().toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "fingerprint must be a SHA-256: 32 hex byte pairs, with or without colons");
    }
    return HexFormat.of().parseHex(hex);
  }

  @Override
  public String toString() {
    return "ProxmoxEndpoint[" + name() + "]";
  }
}
