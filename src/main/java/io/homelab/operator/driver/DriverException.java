package io.homelab.operator.driver;

/**
 * A driver could not do what it was asked. The reason is a CamelCase condition reason that names
 * what failed ({@code HostKeyMismatch}, {@code SshUnreachable}); the message never carries a
 * credential.
 */
public class DriverException extends RuntimeException {

  private final String reason;
  private final boolean transientFailure;

  public DriverException(String reason, String message, boolean transientFailure) {
    super(message);
    this.reason = reason;
    this.transientFailure = transientFailure;
  }

  public DriverException(String reason, String message, boolean transientFailure, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.transientFailure = transientFailure;
  }

  /** The condition reason. */
  public String reason() {
    return reason;
  }

  /** Whether trying again later may succeed (a timeout, a refused connection). */
  public boolean isTransient() {
    return transientFailure;
  }
}
