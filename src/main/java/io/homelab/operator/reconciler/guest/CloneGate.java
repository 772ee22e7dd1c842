package io.homelab.operator.reconciler.guest;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Who may start a clone now. Proxmox locks a template while it is copied, so a second clone of it
 * fails with a lock timeout: clones of one template go one at a time, and at most a set number run
 * on one node. A lease is held from the clone call until its task ends; one that is never released
 * (the operator restarted, the Guest went away) lapses.
 */
@ApplicationScoped
public class CloneGate {

  static final Duration LAPSE = Duration.ofMinutes(15);

  private record Lease(String holder, String node, Instant since) {}

  private final Map<String, Lease> byTemplate = new HashMap<>();

  /**
   * Takes the lease on {@code template} for {@code holder}; true when it holds it now (again).
   *
   * @param template identifies the template, endpoint included
   * @param node identifies the target node, endpoint included
   */
  public synchronized boolean tryAcquire(
      String template, String node, String holder, int perNode, Instant now) {
    byTemplate.values().removeIf(l -> l.since().plus(LAPSE).isBefore(now));
    Lease lease = byTemplate.get(template);
    if (lease != null) {
      return lease.holder().equals(holder);
    }
    long onNode = byTemplate.values().stream().filter(l -> l.node().equals(node)).count();
    if (onNode >= perNode) {
      return false;
    }
    byTemplate.put(template, new Lease(holder, node, now));
    return true;
  }

  /** Gives back every lease of {@code holder}. */
  public synchronized void release(String holder) {
    byTemplate.values().removeIf(l -> l.holder().equals(holder));
  }
}
