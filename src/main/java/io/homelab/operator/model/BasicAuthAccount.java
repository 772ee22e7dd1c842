package io.homelab.operator.model;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The basic-auth account of a Route as Caddy's {@code http_basic} provider takes it: the user and
 * the base64 of the password's bcrypt hash ({@code $2b$}, cost {@value #COST}). Caddy's default
 * hash algorithm is bcrypt, so the route needs no {@code hash} field.
 *
 * <p>The result is deterministic: the same inputs always give the same account, so the rendered
 * routes compare equal to what Caddy holds and an unchanged Secret costs no write. The 16-byte salt
 * is the start of an HMAC-SHA256 over {@code saltContext + "\n" + username}, keyed by a fixed label
 * of this operator, so every route and user has a salt of its own. The salt does not depend on the
 * password on purpose: a salt is public (it is part of the hash), and one computed quickly from the
 * password would let anyone who reads Caddy's config test guesses at HMAC speed instead of
 * bcrypt's. The password still changes the hash.
 */
public final class BasicAuthAccount {

  /** The bcrypt cost (log2 of the rounds). */
  static final int COST = 10;

  /** bcrypt uses the first 72 bytes of a password and ignores the rest. */
  static final int MAX_PASSWORD_BYTES = 72;

  static final int SALT_BYTES = 16;

  private static final byte[] SALT_KEY =
      "homelab-operator basic-auth salt v1".getBytes(StandardCharsets.US_ASCII);

  private static final BCrypt.Hasher HASHER =
      BCrypt.with(
          BCrypt.Version.VERSION_2B, LongPasswordStrategies.strict(BCrypt.Version.VERSION_2B));

  private BasicAuthAccount() {}

  /**
   * The account for one user of one Route.
   *
   * @param saltContext what makes the salt the Route's own: its owner marker text
   * @param username the user: not empty, without a colon (RFC 7617) or control characters
   * @param password the password, 1 to 72 bytes in UTF-8
   * @throws IllegalArgumentException when the username or password cannot be used; the message
   *     never contains the password
   */
  public static CaddyRoute.Account of(String saltContext, String username, String password) {
    Objects.requireNonNull(saltContext, "saltContext");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (username.isEmpty()) {
      throw new IllegalArgumentException("the basic-auth username is empty");
    }
    if (username.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "the basic-auth username must not contain a colon (RFC 7617)");
    }
    // No control characters: they have no place in a header, and without a newline in the username
    // the salt's message reads back one way only.
    if (username.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "the basic-auth username must not contain control characters");
    }
    byte[] secret = password.getBytes(StandardCharsets.UTF_8);
    try {
      if (secret.length == 0) {
        throw new IllegalArgumentException("the basic-auth password is empty");
      }
      if (secret.length > MAX_PASSWORD_BYTES) {
        throw new IllegalArgumentException(
            "the basic-auth password is longer than bcrypt's "
                + MAX_PASSWORD_BYTES
                + " bytes (UTF-8)");
      }
      byte[] hash = HASHER.hash(COST, salt(saltContext, username), secret);
      return new CaddyRoute.Account(username, Base64.getEncoder().encodeToString(hash));
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /** The bcrypt salt of one user of one Route. */
  static byte[] salt(String saltContext, String username) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SALT_KEY, "HmacSHA256"));
      byte[] digest = mac.doFinal((saltContext + "\n" + username).getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(digest, SALT_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
