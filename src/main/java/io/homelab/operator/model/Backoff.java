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
    if (failures <= 1) {
      return initial;
    }
    int doublings = Math.min(failures - 1, 30);
    long millis = initial.toMillis() << doublings;
    return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
  }
}
