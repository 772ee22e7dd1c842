package io.homelab.operator.reconciler.route;

import io.homelab.operator.driver.npm.NpmDriver;
import io.homelab.operator.driver.npm.NpmInventory;
import io.homelab.operator.driver.npm.ProxyHost;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The latest inventory of each NPM, shared by all the Routes it serves: one list per poll, kept up
 * to date from the answers of the operator's own writes in between.
 *
 * <p>Work on different domains of one NPM runs side by side, up to {@value #WRITES_IN_FLIGHT} at a
 * time (a thousand Routes would otherwise wait for each other's round trips); work on one domain
 * runs alone. A list is only ever read while none of the operator's writes is in flight, so it can
 * never hide one of them (which would make the next reconcile create the host again). Each piece of
 * work sees the inventory as it was when it began; what its writes changed (proxy hosts added,
 * replaced or removed) is then laid over the inventory as the other writes have left it.
 */
@ApplicationScoped
public class NpmInventories {

  /** Works on one NPM running at once; NPM reloads its nginx on every write. */
  static final int WRITES_IN_FLIGHT = 4;

  /** One NPM's inventory, when it was listed, and the work running on it. */
  private static final class Entry {
    NpmInventory inventory;
    Instant listedAt;
    boolean stale;
    int running;
    final Set<String> domains = new HashSet<>();
  }

  private final Map<NpmDriver, Entry> byDriver = new ConcurrentHashMap<>();
  private final Clock clock;

  @Inject
  public NpmInventories(Clock clock) {
    this.clock = clock;
  }

  /**
   * Runs {@code work} for {@code domain} on the NPM's inventory, listed again when older than
   * {@code maxAge}; {@code work} answers the inventory as its writes left it, and the result it
   * wants returned.
   */
  public <T> T with(
      NpmDriver driver, Duration maxAge, String domain, Function<NpmInventory, Result<T>> work) {
    Entry entry = byDriver.computeIfAbsent(driver, d -> new Entry());
    NpmInventory before = begin(entry, driver, maxAge, domain);
    try {
      Result<T> result = work.apply(before);
      end(entry, domain, before, result.inventory());
      return result.value();
    } catch (RuntimeException e) {
      // A write may have gone through before the failure: list again before the next work.
      end(entry, domain, before, null);
      throw e;
    }
  }

  private NpmInventory begin(Entry entry, NpmDriver driver, Duration maxAge, String domain) {
    synchronized (entry) {
      while (true) {
        Instant now = clock.instant();
        boolean listNeeded =
            entry.inventory == null || entry.stale || !now.isBefore(entry.listedAt.plus(maxAge));
        if (listNeeded && entry.running == 0) {
          entry.inventory = driver.inventory();
          entry.listedAt = now;
          entry.stale = false;
          listNeeded = false;
        }
        if (!listNeeded && entry.running < WRITES_IN_FLIGHT && !entry.domains.contains(domain)) {
          entry.running++;
          entry.domains.add(domain);
          return entry.inventory;
        }
        await(entry);
      }
    }
  }

  private static void end(Entry entry, String domain, NpmInventory before, NpmInventory after) {
    synchronized (entry) {
      entry.running--;
      entry.domains.remove(domain);
      if (after == null) {
        entry.stale = true;
      } else if (after != before) {
        entry.inventory = overlay(entry.inventory, before, after);
      }
      entry.notifyAll();
    }
  }

  /** {@code current} with the proxy hosts that {@code after} added, replaced or removed. */
  static NpmInventory overlay(NpmInventory current, NpmInventory before, NpmInventory after) {
    Map<Integer, ProxyHost> was = new LinkedHashMap<>();
    before.proxyHosts().forEach(h -> was.put(h.id(), h));
    Map<Integer, ProxyHost> changed = new LinkedHashMap<>();
    for (ProxyHost host : after.proxyHosts()) {
      if (was.remove(host.id()) != host) {
        changed.put(host.id(), host);
      }
    }
    // What is left of `was` is what the work removed.
    List<ProxyHost> hosts = new ArrayList<>();
    for (ProxyHost host : current.proxyHosts()) {
      if (!was.containsKey(host.id()) && !changed.containsKey(host.id())) {
        hosts.add(host);
      }
    }
    hosts.addAll(changed.values());
    return new NpmInventory(hosts, current.redirectionHosts(), current.deadHosts());
  }

  private static void await(Entry entry) {
    try {
      entry.wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for NPM", e);
    }
  }

  /** What a piece of work leaves: the inventory after its writes, and its answer. */
  public record Result<T>(NpmInventory inventory, T value) {}
}
