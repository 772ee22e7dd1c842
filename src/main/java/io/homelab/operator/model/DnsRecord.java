package io.homelab.operator.model;

import java.util.Locale;
import java.util.Objects;

/**
 * One DNS record as the operator sees it: desired (no {@code id} yet) or observed in the zone. The
 * {@code comment} carries the owner marker; see {@link #ownerComment(OwnerMarker)}.
 */
public record DnsRecord(
    String id, String type, String name, String content, boolean proxied, int ttl, String comment) {

  /** Cloudflare's comment limit on the free plan. */
  public static final int COMMENT_MAX_LENGTH = 100;

  /** A record with automatic TTL (1). */
  public DnsRecord(
      String id, String type, String name, String content, boolean proxied, String comment) {
    this(id, type, name, content, proxied, 1, comment);
  }

  public DnsRecord {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(content, "content");
    name = name.toLowerCase(Locale.ROOT);
  }

  /** A record to create: no id yet. */
  public static DnsRecord desired(
      String type, String name, String content, boolean proxied, OwnerMarker owner) {
    return new DnsRecord(null, type, name, content, proxied, ownerComment(owner));
  }

  /** A record to create with a TTL (1 is automatic; Cloudflare keeps proxied records at 1). */
  public static DnsRecord desired(
      String type, String name, String content, boolean proxied, int ttl, OwnerMarker owner) {
    return new DnsRecord(
        null, type, name, content, proxied, proxied ? 1 : ttl, ownerComment(owner));
  }

  /** The marker as a comment: its full text when it fits, else its fixed-size short form. */
  public static String ownerComment(OwnerMarker owner) {
    String text = owner.text();
    return text.length() <= COMMENT_MAX_LENGTH ? text : owner.shortForm();
  }

  /** The same record with the id of an observed one. */
  public DnsRecord withId(String newId) {
    return new DnsRecord(newId, type, name, content, proxied, ttl, comment);
  }

  /** Whether two records would answer the same query: the same name and type. */
  boolean sameSlot(DnsRecord other) {
    return name.equals(other.name) && type.equals(other.type);
  }

  /** Whether the record already says what {@code desired} asks for. */
  boolean satisfies(DnsRecord desired) {
    return content.equals(desired.content)
        && proxied == desired.proxied
        && ttl == desired.ttl
        && Objects.equals(comment, desired.comment);
  }
}
