package io.homelab.operator.reconciler.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.homelab.operator.driver.npm.NpmDriver;
import io.homelab.operator.driver.npm.NpmInventory;
import io.homelab.operator.driver.npm.ProxyHost;
import io.homelab.operator.driver.npm.ProxyHostSpec;
import io.homelab.operator.model.OwnerMarker;
import io.homelab.operator.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The shared NPM inventory: work on different domains runs side by side, work on one domain alone,
 * a list is never read while a write is in flight, and each write's changes land on the inventory
 * as the others left it.
 */
class NpmInventoriesTest {

  static final Duration POLL = Duration.ofSeconds(60);
  static final long WAIT_SECONDS = 10;

  private final ManualClock clock = new ManualClock();
  private final NpmInventories inventories = new NpmInventories(clock);
  private final ListingNpm npm = new ListingNpm();

  @Test
  void writesOnDifferentDomainsRunSideBySideAndBothLand() throws Exception {
    CountDownLatch bothInside = new CountDownLatch(2);
    CompletableFuture<Void> a =
        CompletableFuture.runAsync(() -> create("a.example.com", 1, bothInside));
    CompletableFuture<Void> b =
        CompletableFuture.runAsync(() -> create("b.example.com", 2, bothInside));
    a.get(WAIT_SECONDS, TimeUnit.SECONDS);
    b.get(WAIT_SECONDS, TimeUnit.SECONDS);

    NpmInventory now =
        inventories.with(npm, POLL, "c.example.com", i -> new NpmInventories.Result<>(i, i));
    assertThat(now.proxyHosts()).extracting(ProxyHost::id).containsExactlyInAnyOrder(1, 2);
    assertThat(npm.lists.get()).as("lists of NPM").isEqualTo(1);
  }

  @Test
  void workOnOneDomainWaitsForTheWorkBeforeIt() throws Exception {
    CountDownLatch firstInside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> order = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> first =
        CompletableFuture.runAsync(
            () ->
                inventories.with(
                    npm,
                    POLL,
                    "a.example.com",
                    i -> {
                      order.add("first begins");
                      firstInside.countDown();
                      awaitLatch(release);
                      order.add("first ends");
                      return new NpmInventories.Result<>(i, null);
                    }));
    assertThat(firstInside.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> second =
        CompletableFuture.runAsync(
            () ->
                inventories.with(
                    npm,
                    POLL,
                    "a.example.com",
                    i -> {
                      order.add("second begins");
                      return new NpmInventories.Result<>(i, null);
                    }));
    // The second must go on waiting: nothing else may run for the domain meanwhile.
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> order.size() == 1);
    assertThat(order).containsExactly("first begins");
    release.countDown();
    first.get(WAIT_SECONDS, TimeUnit.SECONDS);
    second.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(order).containsExactly("first begins", "first ends", "second begins");
  }

  @Test
  void anOldInventoryIsListedAgainOnlyOnceNoWriteIsInFlight() throws Exception {
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> write =
        CompletableFuture.runAsync(
            () ->
                inventories.with(
                    npm,
                    POLL,
                    "a.example.com",
                    i -> {
                      writing.countDown();
                      awaitLatch(release);
                      ProxyHost host = npm.save(1, "a.example.com");
                      return new NpmInventories.Result<>(i.with(host), null);
                    }));
    assertThat(writing.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    clock.advance(POLL.plusSeconds(1));
    CompletableFuture<NpmInventory> read =
        CompletableFuture.supplyAsync(
            () ->
                inventories.with(
                    npm, POLL, "b.example.com", i -> new NpmInventories.Result<>(i, i)));
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> npm.lists.get() == 1 && !read.isDone());
    assertThat(npm.lists.get()).as("lists while the write is in flight").isEqualTo(1);
    release.countDown();
    write.get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertThat(read.get(WAIT_SECONDS, TimeUnit.SECONDS).proxyHosts())
        .extracting(ProxyHost::id)
        .containsExactly(1);
    assertThat(npm.lists.get()).isEqualTo(2);
  }

  @Test
  void aFailedWriteMakesTheNextWorkListFirst() {
    inventories.with(npm, POLL, "a.example.com", i -> new NpmInventories.Result<>(i, null));
    try {
      inventories.with(
          npm,
          POLL,
          "a.example.com",
          i -> {
            npm.save(1, "a.example.com");
            throw new IllegalStateException("the reply was lost");
          });
    } catch (IllegalStateException expected) {
      // the write went through all the same
    }
    NpmInventory after =
        inventories.with(npm, POLL, "a.example.com", i -> new NpmInventories.Result<>(i, i));
    assertThat(npm.lists.get()).isEqualTo(2);
    assertThat(after.proxyHosts()).extracting(ProxyHost::id).containsExactly(1);
  }

  @Test
  void overlayKeepsWhatOthersChangedAndAppliesThisWorksChanges() {
    ProxyHost a = host(1, "a.example.com");
    ProxyHost b = host(2, "b.example.com");
    ProxyHost c = host(3, "c.example.com");
    ProxyHost d = host(4, "d.example.com");
    NpmInventory before = inventory(a, b);
    NpmInventory current = inventory(a, b, c); // another work added c meanwhile
    NpmInventory after = before.with(d).without(1);

    assertThat(NpmInventories.overlay(current, before, after).proxyHosts())
        .containsExactlyInAnyOrder(b, c, d);
  }

  private void create(String domain, int id, CountDownLatch bothInside) {
    inventories.with(
        npm,
        POLL,
        domain,
        i -> {
          bothInside.countDown();
          // Each waits for the other inside its work: this returns only if both run at once.
          awaitLatch(bothInside);
          return new NpmInventories.Result<>(i.with(npm.save(id, domain)), null);
        });
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("timed out waiting inside a piece of work");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static ProxyHost host(int id, String domain) {
    return new ProxyHost(
        id, List.of(domain), "http", "10.0.0.1", 80, false, true, true, false, true, Map.of());
  }

  static NpmInventory inventory(ProxyHost... hosts) {
    return new NpmInventory(List.of(hosts), List.of(), List.of());
  }

  /** An NPM whose list answers the hosts saved so far, and counts the lists. */
  static final class ListingNpm implements NpmDriver {
    final AtomicInteger lists = new AtomicInteger();
    final List<ProxyHost> saved = new CopyOnWriteArrayList<>();

    ProxyHost save(int id, String domain) {
      ProxyHost host = host(id, domain);
      saved.add(host);
      return host;
    }

    @Override
    public NpmInventory inventory() {
      lists.incrementAndGet();
      return new NpmInventory(saved, List.of(), List.of());
    }

    @Override
    public ProxyHost proxyHost(int id) {
      throw new AssertionError("not used");
    }

    @Override
    public ProxyHost ensure(NpmInventory observed, ProxyHostSpec spec, OwnerMarker owner) {
      throw new AssertionError("not used");
    }

    @Override
    public Optional<ProxyHost> disable(NpmInventory observed, String domain, OwnerMarker owner) {
      throw new AssertionError("not used");
    }

    @Override
    public boolean delete(NpmInventory observed, String domain, OwnerMarker owner) {
      throw new AssertionError("not used");
    }
  }
}
