package io.homelab.operator.driver.cloudflare;

import java.time.Duration;

/** What can go wrong with Cloudflare, one type per way the caller reacts. */
public abstract sealed class CloudflareException extends RuntimeException {

  CloudflareException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The rate budget is spent (429): Cloudflare work waits {@link #retryAfter()}; other systems go
   * on.
   */
  public static final class RateLimited extends CloudflareException {
    private final Duration retryAfter;

    public RateLimited(Duration retryAfter) {
      super("Cloudflare rate limit reached: retry after " + retryAfter.toSeconds() + "s", null);
      this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
      return retryAfter;
    }
  }

  /** Cloudflare could not be reached, timed out or answered 5xx: try again later. */
  public static final class Unavailable extends CloudflareException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Cloudflare refused the request (4xx): retrying the same request changes nothing. */
  public static final class Rejected extends CloudflareException {
    private final int status;

    public Rejected(int status, String errors) {
      super("Cloudflare answered " + status + ": " + errors, null);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** No zone of that name is visible to the token. */
  public static final class ZoneNotFound extends CloudflareException {
    public ZoneNotFound(String zone) {
      super("Cloudflare has no zone " + zone + " for this token", null);
    }
  }
}
