package io.homelab.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.homelab.operator.model.Backoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consecutive failures per object, for capped exponential backoff through {@code rescheduleAfter}.
 * The framework's own retry gives up after a few attempts; this never does, so an object recovers
 * by itself after an outage of any length.
 */
@ApplicationScoped
public class Failures {

  private final Map<String, Integer> counts = new ConcurrentHashMap<>();
  private final Backoff backoff = Backoff.DEFAULT;

  /** Records a failure of the object and returns how long to wait before the next attempt. */
  public Duration failed(HasMetadata object) {
    int count = counts.merge(object.getMetadata().getUid(), 1, Integer::sum);
    return backoff.delay(count);
  }

  /** The object reconciled without error: its next failure starts from the initial delay again. */
  public void succeeded(HasMetadata object) {
    counts.remove(object.getMetadata().getUid());
  }

  /** The object is gone. */
  public void forget(HasMetadata object) {
    counts.remove(object.getMetadata().getUid());
  }

  int count(HasMetadata object) {
    return counts.getOrDefault(object.getMetadata().getUid(), 0);
  }
}
