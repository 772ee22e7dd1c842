package io.homelab.operator.driver.caddy;

/** A failed exchange with Caddy's admin API. */
public class CaddyException extends RuntimeException {

  private final boolean transientFailure;

  public CaddyException(String message, boolean transientFailure, Throwable cause) {
    super(message, cause);
    this.transientFailure = transientFailure;
  }

  public CaddyException(String message, boolean transientFailure) {
    this(message, transientFailure, null);
  }

  /** Whether trying again later may succeed (a timeout, a refused connection, a 5xx). */
  public boolean isTransient() {
    return transientFailure;
  }
}
