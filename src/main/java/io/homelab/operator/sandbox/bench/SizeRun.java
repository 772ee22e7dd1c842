package io.homelab.operator.sandbox.bench;

import io.homelab.operator.sandbox.OperatorChild;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One size of the benchmark: a fresh {@link BenchLab} with the operator started cold, then, in this
 * order, {@code routes} Routes applied at once until all are Ready, {@code guests} Guests applied
 * at once until all are Ready, the steady state over a few poll intervals, one changed field of a
 * Route for each system, and single Routes applied one after another.
 */
public final class SizeRun {

  /**
   * What one size runs.
   *
   * @param routes Routes applied at once (with their Edge and Tunnel)
   * @param guests Guests cloned from the two templates
   * @param latency added to every external request
   * @param proxmoxTask how long a Proxmox task runs
   * @param poll the operator's poll interval of every system
   * @param steadyPolls poll intervals the steady state is counted over
   * @param singleRoutes Routes applied one at a time for the latency figures
   * @param deadline how long any one wait may take before the run fails
   * @param dir where the run keeps its files
   * @param jvm the {@code java} the operator runs on, and its options
   */
  public record Plan(
      int routes,
      int guests,
      Duration latency,
      Duration proxmoxTask,
      Duration poll,
      int steadyPolls,
      int singleRoutes,
      Duration deadline,
      Path dir,
      OperatorChild.Jvm jvm) {

    BenchLab.Settings lab() {
      return new BenchLab.Settings(latency, proxmoxTask, poll, dir, jvm);
    }
  }

  /**
   * What one size measured.
   *
   * @param startToReady from the operator's JVM start until it answered ready
   * @param quarkusStart what Quarkus logged as its start time, or null
   * @param coldRoutes from applying all Routes until all were Ready
   * @param coldCounts requests while the Routes became Ready
   * @param guestsTime from applying all Guests until all were Ready (null without Guests)
   * @param guestCounts requests while the Guests became Ready
   * @param lockRefusals Proxmox requests refused because of a lock, over the whole run
   * @param steady requests at steady state, over {@code steadyPolls} poll intervals
   * @param steadyPolls how many poll intervals {@code steady} covers
   * @param dnsChange writes after one Route's {@code dns.proxied} changed
   * @param npmChange writes after one Route's {@code websockets} changed
   * @param singleReady each single Route's time from apply to Ready
   * @param heapAfterGc heap used after a full GC at the end, bytes
   * @param heap heap used at the end before that GC, bytes
   * @param rss resident set size at the end, bytes
   */
  public record Figures(
      Plan plan,
      Duration startToReady,
      Duration quarkusStart,
      Duration coldRoutes,
      Counts coldCounts,
      Duration guestsTime,
      Counts guestCounts,
      int lockRefusals,
      Counts steady,
      int steadyPolls,
      Counts dnsChange,
      Counts npmChange,
      List<Duration> singleReady,
      long heapAfterGc,
      long heap,
      long rss) {}

  private final Plan plan;
  private final PrintStream out;

  public SizeRun(Plan plan, PrintStream out) {
    this.plan = plan;
    this.out = out;
  }

  /** Runs the size from a cold start and stops everything it started. */
  public Figures run() {
    try (BenchLab lab = BenchLab.start(plan.lab())) {
      say("operator ready in %d ms", lab.operatorStart().toMillis());
      await("the Edge and the Tunnel to be Ready", lab::edgeAndTunnelReady);

      Counts beforeRoutes = lab.counts();
      long start = System.nanoTime();
      for (int i = 0; i < plan.routes(); i++) {
        lab.createRoute(i);
      }
      await(plan.routes() + " Routes to be Ready", () -> lab.readyRoutes() == plan.routes());
      Duration coldRoutes = since(start);
      Counts coldCounts = lab.counts().minus(beforeRoutes);
      say("%d Routes Ready in %d ms: %s", plan.routes(), coldRoutes.toMillis(), coldCounts);

      Duration guestsTime = null;
      Counts guestCounts = null;
      if (plan.guests() > 0) {
        Counts beforeGuests = lab.counts();
        start = System.nanoTime();
        for (int i = 0; i < plan.guests(); i++) {
          lab.createGuest(i);
        }
        await(plan.guests() + " Guests to be Ready", () -> lab.readyGuests() == plan.guests());
        guestsTime = since(start);
        guestCounts = lab.counts().minus(beforeGuests);
        say("%d Guests Ready in %d ms: %s", plan.guests(), guestsTime.toMillis(), guestCounts);
      }

      // Steady state: let the last writes and their read-backs pass, then count whole intervals.
      pause(plan.poll().multipliedBy(2));
      Counts beforeSteady = lab.counts();
      pause(plan.poll().multipliedBy(plan.steadyPolls()));
      Counts steady = lab.counts().minus(beforeSteady);
      say("steady state over %d polls: %s", plan.steadyPolls(), steady);

      Counts dnsChange = change(lab, 0, r -> r.getSpec().getDns().setProxied(true));
      say("dns.proxied changed: writes %s", dnsChange.writesText());
      Counts npmChange = change(lab, 1, r -> r.getSpec().setWebsockets(true));
      say("websockets changed: writes %s", npmChange.writesText());

      List<Duration> singles = new ArrayList<>();
      for (int k = 0; k < plan.singleRoutes(); k++) {
        int i = plan.routes() + k;
        long t = System.nanoTime();
        lab.createRoute(i);
        awaitFast("Route " + BenchLab.routeName(i) + " to be Ready", () -> lab.routeReady(i));
        singles.add(since(t));
      }
      say("single Routes: %s", singles.stream().map(Duration::toMillis).toList());

      long heap = lab.heapUsed(false);
      long heapAfterGc = lab.heapUsed(true);
      long rss = lab.rss();
      say("heap %d MiB (after GC %d MiB), RSS %d MiB", heap >> 20, heapAfterGc >> 20, rss >> 20);
      return new Figures(
          plan,
          lab.operatorStart(),
          lab.quarkusStartedIn().orElse(null),
          coldRoutes,
          coldCounts,
          guestsTime,
          guestCounts,
          lab.proxmoxLockRefusals(),
          steady,
          plan.steadyPolls(),
          dnsChange,
          npmChange,
          singles,
          heapAfterGc,
          heap,
          rss);
    }
  }

  /**
   * Changes one field of Route {@code i}, waits until it is Ready for the new generation and a
   * little longer for writes that follow, and returns the requests in between.
   */
  private Counts change(
      BenchLab lab, int i, java.util.function.Consumer<io.homelab.operator.api.route.Route> edit) {
    Counts before = lab.counts();
    lab.editRoute(i, edit);
    awaitFast("Route " + BenchLab.routeName(i) + " to be Ready again", () -> lab.routeReady(i));
    pause(Duration.ofSeconds(2));
    return lab.counts().minus(before);
  }

  private void await(String what, BooleanSupplier condition) {
    awaitEvery(what, condition, Duration.ofMillis(250));
  }

  private void awaitFast(String what, BooleanSupplier condition) {
    awaitEvery(what, condition, Duration.ofMillis(10));
  }

  private void awaitEvery(String what, BooleanSupplier condition, Duration every) {
    awaitEvery(what, condition, every, plan.deadline());
  }

  /** Checks {@code condition} every {@code every} until it holds; fails after {@code limit}. */
  static void awaitEvery(String what, BooleanSupplier condition, Duration every, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "timed out after " + limit.toSeconds() + " s waiting for " + what);
      }
      pause(every);
    }
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  private void say(String format, Object... args) {
    out.printf(
        "bench | %d Routes, %d Guests | %s%n",
        plan.routes(), plan.guests(), String.format(format, args));
  }

  static void pause(Duration duration) {
    try {
      // The benchmark watches real time pass: the operator runs in another process.
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
