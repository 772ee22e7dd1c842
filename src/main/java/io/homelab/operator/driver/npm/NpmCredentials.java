package io.homelab.operator.driver.npm;

import java.util.Objects;

/** An NPM login, as read from the Tunnel's credentials Secret. */
public record NpmCredentials(String identity, String secret) {

  public NpmCredentials {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(secret, "secret");
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "NpmCredentials[identity=" + identity + "]";
  }
}
