package io.homelab.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.homelab.operator.model.Backoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consecutive failures per object, for capped exponential backoff through {@code rescheduleAfter}.
 * The framework's own retry gives up after a few attempts; this never does, so an object recovers
 * by itself after an outage of any length.
 *
 * <p>The backoff grows with the retries it scheduled, not with every attempt: an attempt that an
 * event brings before the scheduled retry (a Tunnel's status change waking its Edge, say) fails
 * again without doubling the delay, and keeps the retry time already set. So the delay a failing
 * object reaches stays in proportion to how long its system has been down (at most the cap), and it
 * recovers soon after the system does, however many events came meanwhile.
 */
@ApplicationScoped
public class Failures {

  /** How many retries failed in a row, when the next one is due, and for which generation. */
  private record State(int count, Instant retryAt, Long generation) {}

  private final Map<String, State> states = new ConcurrentHashMap<>();
  private final Backoff backoff = Backoff.DEFAULT;

  @Inject Clock clock;
  @Inject io.micrometer.core.instrument.MeterRegistry meters;

  /** Every kind's error counter is there from the start, at 0. */
  @jakarta.annotation.PostConstruct
  void registerCounters() {
    if (meters != null) {
      java.util.List.of("Edge", "Tunnel", "Route", "Guest").forEach(this::errors);
    }
  }

  /** {@code homelab_reconcile_errors_total{kind}}: reconciles that failed, by kind. */
  private io.micrometer.core.instrument.Counter errors(String kind) {
    return io.micrometer.core.instrument.Counter.builder("homelab.reconcile.errors")
        .description("Reconciles that failed (and were rescheduled with backoff), by kind")
        .tag("kind", kind)
        .register(meters);
  }

  /** Records a failure of the object and returns how long to wait before the next attempt. */
  public Duration failed(HasMetadata object) {
    if (meters != null) {
      errors(object.getKind()).increment();
    }
    Instant now = now();
    State next =
        states.compute(
            object.getMetadata().getUid(),
            (uid, state) -> {
              if (state != null && now.isBefore(state.retryAt())) {
                return state;
              }
              int count = state == null ? 1 : state.count() + 1;
              return new State(
                  count, now.plus(backoff.delay(count)), object.getMetadata().getGeneration());
            });
    return Duration.between(now, next.retryAt());
  }

  /**
   * How long the object still waits for its scheduled retry, when an event wakes it before then and
   * its spec is the one that failed: the caller skips the external calls, so that events (its own
   * status writes among them) never turn into a retry loop. Empty when the retry is due, the object
   * has no failure, or its spec changed (a change is tried at once).
   */
  public java.util.Optional<Duration> backingOff(HasMetadata object) {
    State state = states.get(object.getMetadata().getUid());
    Instant now = now();
    if (state == null
        || !now.isBefore(state.retryAt())
        || !java.util.Objects.equals(state.generation(), object.getMetadata().getGeneration())) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(Duration.between(now, state.retryAt()));
  }

  /** The object reconciled without error: its next failure starts from the initial delay again. */
  public void succeeded(HasMetadata object) {
    states.remove(object.getMetadata().getUid());
  }

  /** The object is gone. */
  public void forget(HasMetadata object) {
    states.remove(object.getMetadata().getUid());
  }

  int count(HasMetadata object) {
    State state = states.get(object.getMetadata().getUid());
    return state == null ? 0 : state.count();
  }

  private Instant now() {
    return (clock == null ? Clock.systemUTC() : clock).instant();
  }
}
