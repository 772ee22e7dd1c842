package io.homelab.operator.driver;

import java.time.Duration;
import java.util.Objects;

/**
 * How a driver logs in to a host over SSH, resolved from a spec and its Secret: the values, not the
 * references. The private key never leaves the driver that uses it.
 *
 * @param host host name or address
 * @param port SSH port
 * @param user login user
 * @param sudo run each privileged command through {@code sudo -n} (the scripts run as {@code user})
 * @param privateKey the private key, OpenSSH or PEM text
 * @param hostKey the pinned host key line ({@code ssh-ed25519 AAAA...}) or {@code SHA256:}
 *     fingerprint
 * @param connectTimeout for the connection and login
 * @param commandTimeout for each command
 */
public record HostAccess(
    String host,
    int port,
    String user,
    boolean sudo,
    String privateKey,
    String hostKey,
    Duration connectTimeout,
    Duration commandTimeout) {

  public HostAccess {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(hostKey, "hostKey");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
  }

  /** Everything but the private key, for logs and messages. */
  @Override
  public String toString() {
    return user + "@" + host + ":" + port + (sudo ? " (sudo)" : "");
  }
}
