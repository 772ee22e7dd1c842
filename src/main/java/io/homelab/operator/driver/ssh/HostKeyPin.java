package io.homelab.operator.driver.ssh;

import java.security.PublicKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.digest.BuiltinDigests;

/**
 * A pinned SSH host key: the line {@code ssh-keyscan} prints without the host ({@code ssh-ed25519
 * AAAA...}, a trailing comment ignored), or the key's {@code SHA256:} fingerprint. There is no
 * trust on first use: a server presenting any other key is refused.
 */
public record HostKeyPin(String text) {

  /** Whether the server's key is the pinned one. */
  public boolean matches(PublicKey serverKey) {
    String pin = text.trim();
    if (pin.startsWith("SHA256:")) {
      return strip(pin).equals(strip(KeyUtils.getFingerPrint(BuiltinDigests.sha256, serverKey)));
    }
    String[] pinned = pin.split("\\s+");
    String[] presented = PublicKeyEntry.toString(serverKey).split("\\s+");
    return pinned.length >= 2
        && presented.length >= 2
        && pinned[0].equals(presented[0])
        && pinned[1].equals(presented[1]);
  }

  /** What the server presented, as a fingerprint for a message. */
  public static String fingerprint(PublicKey key) {
    return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
  }

  private static String strip(String fingerprint) {
    return fingerprint.replaceAll("=+$", "");
  }
}
