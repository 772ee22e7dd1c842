package io.homelab.operator.driver.caddy;

import io.homelab.operator.driver.DriverException;

/** A failed exchange with Caddy's admin API. */
public class CaddyException extends DriverException {

  /** Caddy could not be reached or failed (timeouts, 5xx, a concurrent edit): try again later. */
  public static final String UNAVAILABLE = "CaddyUnavailable";

  /** Caddy refused what was asked (4xx): the config or the request is wrong. */
  public static final String REFUSED = "CaddyRefused";

  public CaddyException(String message, boolean transientFailure, Throwable cause) {
    super(transientFailure ? UNAVAILABLE : REFUSED, message, transientFailure, cause);
  }

  public CaddyException(String message, boolean transientFailure) {
    this(message, transientFailure, null);
  }

  protected CaddyException(String reason, String message, boolean transientFailure) {
    super(reason, message, transientFailure);
  }
}
