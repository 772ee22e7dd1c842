package io.homelab.operator.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who owns an external object: this installation ({@code ownerId}), the kind, and the object's
 * namespace and name. It is written into every external object the operator makes, and read back to
 * find them again (the UID is not part of it, so an object re-applied from Git finds its external
 * objects). Where space is short, {@link #shortForm()} gives a fixed-size hash of the same
 * identity.
 */
public record OwnerMarker(String ownerId, String kind, String namespace, String name) {

  private static final String PREFIX = "homelab-operator";
  private static final Pattern TEXT =
      Pattern.compile("^homelab-operator:([^/\\s]+)/([^/\\s]+)/([^/\\s]+)/([^/\\s]+)$");

  public OwnerMarker {
    Objects.requireNonNull(ownerId, "ownerId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** The full marker: {@code homelab-operator:<ownerId>/<kind>/<namespace>/<name>}. */
  public String text() {
    return PREFIX + ":" + ownerId + "/" + kind + "/" + namespace + "/" + name;
  }

  /**
   * A marker of fixed length (40 characters) for fields with little room: {@code homelab-operator:}
   * and the first 23 hex digits of the SHA-256 of {@link #text()}.
   */
  public String shortForm() {
    return PREFIX + ":" + sha256Hex(text()).substring(0, 23);
  }

  /**
   * A compact identifier for places that need a key rather than a marker, such as a Caddy route's
   * {@code @id}: {@code <ownerId>-<16 hex digits of the SHA-256 of text()>}. It starts with {@link
   * #idPrefix(String)} of the installation.
   */
  public String compactId() {
    return idPrefix(ownerId) + sha256Hex(text()).substring(0, 16);
  }

  /** What every {@link #compactId()} of an installation starts with. */
  public static String idPrefix(String ownerId) {
    return "homelab-" + ownerId + "-";
  }

  /** Whether this installation owns the object — the same ownerId, whatever kind or name. */
  public boolean sameInstallation(OwnerMarker other) {
    return other != null && ownerId.equals(other.ownerId);
  }

  /** Reads a full marker back; null when the text is not one. */
  public static OwnerMarker parse(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = TEXT.matcher(text.trim());
    return m.matches() ? new OwnerMarker(m.group(1), m.group(2), m.group(3), m.group(4)) : null;
  }

  private static String sha256Hex(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
