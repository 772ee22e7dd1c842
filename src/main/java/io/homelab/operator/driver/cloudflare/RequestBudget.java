package io.homelab.operator.driver.cloudflare;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The requests this driver spent in the current window of Cloudflare's rate limit (1,200 per 5
 * minutes per user), for a metric. A window starts at its first request, as the limit's own does.
 */
public final class RequestBudget {

  private final Clock clock;
  private final int limit;
  private final Duration window;
  private Instant windowStart;
  private int used;

  public RequestBudget(Clock clock, int limit, Duration window) {
    this.clock = clock;
    this.limit = limit;
    this.window = window;
  }

  /** Cloudflare's limit: 1,200 requests per 5 minutes. */
  public static RequestBudget cloudflare(Clock clock) {
    return new RequestBudget(clock, 1200, Duration.ofMinutes(5));
  }

  synchronized void spend() {
    roll();
    used++;
  }

  /** Requests made in the current window. */
  public synchronized int used() {
    roll();
    return used;
  }

  /** Requests the window allows. */
  public int limit() {
    return limit;
  }

  private void roll() {
    Instant now = clock.instant();
    if (windowStart == null || !now.isBefore(windowStart.plus(window))) {
      windowStart = now;
      used = 0;
    }
  }
}
