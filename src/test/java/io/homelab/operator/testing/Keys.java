package io.homelab.operator.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/** Fresh SSH keys for tests: a host key nobody pinned, a login key nobody authorised. */
public final class Keys {

  private Keys() {}

  /** A new Ed25519 public key line, {@code ssh-ed25519 AAAA...}. */
  public static String ed25519PublicKey() {
    return PublicKeyEntry.toString(pair().getPublic());
  }

  /** A new Ed25519 private key in OpenSSH format. */
  public static String ed25519PrivateKey() {
    try {
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair(), "test", null, text);
      return text.toString(StandardCharsets.UTF_8);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair pair() {
    try {
      return KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no Ed25519 keys", e);
    }
  }
}
