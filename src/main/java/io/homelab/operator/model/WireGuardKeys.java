package io.homelab.operator.model;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Base64;
import javax.crypto.KeyAgreement;

/**
 * WireGuard key pairs from Java's X25519, in WireGuard's form: 32 bytes in base64, the private key
 * clamped as {@code wg genkey} clamps it, so {@code wg pubkey} derives the same public key.
 */
public final class WireGuardKeys {

  private static final SecureRandom RANDOM = new SecureRandom();

  private WireGuardKeys() {}

  /** A private and a public key, base64. */
  public record Pair(String privateKey, String publicKey) {
    @Override
    public String toString() {
      return "Pair[publicKey=" + publicKey + "]";
    }
  }

  /** A new key pair. */
  public static Pair generate() {
    byte[] scalar = new byte[32];
    RANDOM.nextBytes(scalar);
    clamp(scalar);
    String privateKey = Base64.getEncoder().encodeToString(scalar);
    return new Pair(privateKey, publicKeyOf(privateKey));
  }

  /** The public key of a base64 private key, as {@code wg pubkey} prints it. */
  public static String publicKeyOf(String privateKey) {
    byte[] scalar = Base64.getDecoder().decode(privateKey.trim());
    if (scalar.length != 32) {
      throw new IllegalArgumentException("A WireGuard key is 32 bytes, not " + scalar.length);
    }
    clamp(scalar);
    try {
      KeyFactory factory = KeyFactory.getInstance("X25519");
      KeyAgreement agreement = KeyAgreement.getInstance("X25519");
      agreement.init(
          factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar)));
      // The public key is the private scalar times the base point, whose u-coordinate is 9.
      agreement.doPhase(
          factory.generatePublic(
              new XECPublicKeySpec(NamedParameterSpec.X25519, BigInteger.valueOf(9))),
          true);
      return Base64.getEncoder().encodeToString(agreement.generateSecret());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("X25519 is part of every Java 11+ runtime", e);
    }
  }

  /** Whether the text is a WireGuard key: 32 bytes in base64. */
  public static boolean isKey(String text) {
    try {
      return text != null && Base64.getDecoder().decode(text.trim()).length == 32;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void clamp(byte[] scalar) {
    scalar[0] &= (byte) 248;
    scalar[31] &= 127;
    scalar[31] |= 64;
  }
}
