package io.homelab.operator.reconciler.route;

import io.homelab.operator.driver.npm.NpmDriver;
import io.homelab.operator.driver.npm.NpmInventory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The latest inventory of each NPM, shared by all the Routes it serves: one list per poll, kept up
 * to date from the answers of the operator's own writes in between. All work on one NPM happens
 * under its lock, so a list that was read while a write went on can never hide that write (which
 * would make the next reconcile create the host again).
 */
@ApplicationScoped
public class NpmInventories {

  /** One NPM's inventory and when it was listed. */
  private static final class Entry {
    NpmInventory inventory;
    Instant listedAt;
  }

  private final Map<NpmDriver, Entry> byDriver = new ConcurrentHashMap<>();
  private final Clock clock;

  @Inject
  public NpmInventories(Clock clock) {
    this.clock = clock;
  }

  /**
   * Runs {@code work} on the NPM's inventory, listed again when older than {@code maxAge}; {@code
   * work} answers the inventory as its writes left it, and the result it wants returned.
   */
  public <T> T with(NpmDriver driver, Duration maxAge, Function<NpmInventory, Result<T>> work) {
    Entry entry = byDriver.computeIfAbsent(driver, d -> new Entry());
    synchronized (entry) {
      Instant now = clock.instant();
      if (entry.inventory == null || !now.isBefore(entry.listedAt.plus(maxAge))) {
        entry.inventory = driver.inventory();
        entry.listedAt = now;
      }
      try {
        Result<T> result = work.apply(entry.inventory);
        entry.inventory = result.inventory();
        return result.value();
      } catch (RuntimeException e) {
        // A write may have gone through before the failure: list again next time.
        entry.inventory = null;
        throw e;
      }
    }
  }

  /** What a piece of work leaves: the inventory after its writes, and its answer. */
  public record Result<T>(NpmInventory inventory, T value) {}
}
