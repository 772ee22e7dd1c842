package io.homelab.operator.model;

import java.time.Duration;

/**
 * Capped exponential backoff for transient failures: the delay doubles with each consecutive
 * failure, from {@code initial} up to {@code max}, and never gives up, so an object recovers by
 * itself after an outage of any length.
 */
public record Backoff(Duration initial, Duration max) {

  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5));

  /** The delay before retry number {@code failures} (1 for the first failure). */
  public Duration delay(int failures) {
    int doublings = failures <= 1 ? 0 : Math.min(failures - 1, 62);
    // Compare before multiplying, so that the product can neither overflow nor wrap around.
    if (initial.compareTo(max.dividedBy(1L << doublings)) > 0) {
      return max;
    }
    return initial.multipliedBy(1L << doublings);
  }
}
