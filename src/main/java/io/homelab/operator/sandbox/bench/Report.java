package io.homelab.operator.sandbox.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The benchmark's table: one row per figure of the goals, one column per size, and whether the goal
 * is met. Goals stated for 1000 Routes are judged at the largest size only.
 */
public final class Report {

  /** Reads per poll the design allows per system: one list per endpoint (NPM has three lists). */
  static final Map<String, Integer> READS_PER_POLL =
      Map.of(
          Counts.PROXMOX, 1, Counts.NPM, 3, Counts.CLOUDFLARE, 1, Counts.CADDY, 1, Counts.SSH, 1);

  /**
   * Sequential calls a new Route needs at the least: NPM's create, Caddy's write, the DNS write.
   */
  static final int ROUTE_CHAIN = 3;

  /** Tasks a Guest of the samples needs after its clone: its disk's resize, then its start. */
  static final int TASKS_AFTER_CLONE = 2;

  private static final long MIB = 1024 * 1024;

  private final List<SizeRun.Figures> sizes;
  private final List<String> lines = new ArrayList<>();

  public Report(List<SizeRun.Figures> sizes) {
    this.sizes = List.copyOf(sizes);
  }

  /** The table in Markdown. */
  public String table() {
    lines.clear();
    StringBuilder header = new StringBuilder("| Figure | Goal |");
    StringBuilder rule = new StringBuilder("| --- | --- |");
    for (SizeRun.Figures f : sizes) {
      header.append(' ').append(f.plan().routes()).append(" Routes, ");
      header.append(f.plan().guests()).append(" Guests |");
      rule.append(" ---: |");
    }
    header.append(" Met |");
    rule.append(" --- |");
    lines.add(header.toString());
    lines.add(rule.toString());

    row(
        "External reads per poll interval at steady state",
        "one per endpoint, the same at every size",
        f -> String.format("%.1f (%s)", readsPerPoll(f), perPoll(f.steady(), f.steadyPolls())),
        all(Report::readsWithinFloor)
            .and(x -> sameReadsAtEverySize() ? Verdict.MET : Verdict.MISSED));
    row(
        "External writes per poll interval at steady state",
        "0",
        f -> String.valueOf(f.steady().totalWrites()),
        all(f -> f.steady().totalWrites() == 0));
    row(
        "Writes for one changed Route field: `dns.proxied`",
        "one, to Cloudflare",
        f -> f.dnsChange().writesText(),
        all(f -> onlyOne(f.dnsChange(), Counts.CLOUDFLARE)));
    row(
        "Writes for one changed Route field: `websockets`",
        "one, to NPM",
        f -> f.npmChange().writesText(),
        all(f -> onlyOne(f.npmChange(), Counts.NPM)));
    row(
        "One Route applied → `Ready`, p50 / p99",
        "p50 under 1 s",
        f ->
            String.format(
                "%d / %d ms (%.0f× / %.0f× the floor of %d ms)",
                percentile(f, 50).toMillis(),
                percentile(f, 99).toMillis(),
                ratio(percentile(f, 50), routeFloor(f)),
                ratio(percentile(f, 99), routeFloor(f)),
                routeFloor(f).toMillis()),
        all(f -> percentile(f, 50).compareTo(Duration.ofSeconds(1)) < 0));
    row(
        "All Routes from cold → all `Ready`",
        "1000 under 60 s; no Cloudflare 429",
        f ->
            String.format(
                "%.1f s, %d × 429",
                f.coldRoutes().toMillis() / 1000.0, f.coldCounts().cloudflare429()),
        largest(f -> f.coldRoutes().compareTo(Duration.ofSeconds(60)) < 0)
            .and(all(f -> f.coldCounts().cloudflare429() == 0)));
    row(
        "Cloudflare requests to create the records",
        "at most 50 for 1000",
        f -> String.valueOf(cloudflareRequests(f.coldCounts())),
        largest(f -> cloudflareRequests(f.coldCounts()) <= 50));
    row(
        "Caddy admin writes to add the routes",
        "at most 100 for 1000",
        f -> String.valueOf(f.coldCounts().writes(Counts.CADDY)),
        largest(f -> f.coldCounts().writes(Counts.CADDY) <= 100));
    row(
        "Guests from two templates → all `Ready`",
        "no lock failure; time against the floor",
        f ->
            f.guestsTime() == null
                ? "-"
                : String.format(
                    "%.1f s (%.1f× the floor of %.0f s), %d lock refusal(s)",
                    f.guestsTime().toMillis() / 1000.0,
                    ratio(f.guestsTime(), guestFloor(f)),
                    guestFloor(f).toMillis() / 1000.0,
                    f.lockRefusals()),
        all(f -> f.lockRefusals() == 0));
    row(
        "Heap used after convergence (after a full GC; before it); RSS",
        "heap under 200 MiB",
        f ->
            String.format(
                "%d MiB (%d MiB); RSS %d MiB",
                f.heapAfterGc() / MIB, f.heap() / MIB, f.rss() / MIB),
        all(f -> f.heapAfterGc() < 200 * MIB));
    row(
        "Start to ready (JVM)",
        "under 3 s",
        f ->
            String.format(
                "%.2f s (Quarkus: %s)",
                f.startToReady().toMillis() / 1000.0,
                f.quarkusStart() == null
                    ? "-"
                    : String.format("%.2f s", f.quarkusStart().toMillis() / 1000.0)),
        all(f -> f.startToReady().compareTo(Duration.ofSeconds(3)) < 0));
    row(
        "Reads per poll against per-object polling (Kubemox, Crossplane providers)",
        "(ratio)",
        f ->
            String.format(
                "%.1f vs %d: %.1f%%",
                readsPerPoll(f), perObjectReads(f), 100.0 * readsPerPoll(f) / perObjectReads(f)),
        x -> Verdict.INFO);
    return String.join("\n", lines) + "\n";
  }

  /** Writes the table to {@code file}. */
  public void write(Path file, String preamble) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, preamble + table());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  enum Verdict {
    MET,
    MISSED,
    INFO
  }

  private void row(
      String figure,
      String goal,
      Function<SizeRun.Figures, String> cell,
      Function<List<SizeRun.Figures>, Verdict> verdict) {
    StringBuilder s =
        new StringBuilder("| ").append(figure).append(" | ").append(goal).append(" |");
    for (SizeRun.Figures f : sizes) {
      s.append(' ').append(cell.apply(f)).append(" |");
    }
    Verdict v = verdict.apply(sizes);
    s.append(' ')
        .append(v == Verdict.MET ? "yes" : v == Verdict.MISSED ? "**no**" : "-")
        .append(" |");
    lines.add(s.toString());
  }

  private static Judge all(Predicate<SizeRun.Figures> goal) {
    return sizes -> sizes.stream().allMatch(goal) ? Verdict.MET : Verdict.MISSED;
  }

  private static Judge largest(Predicate<SizeRun.Figures> goal) {
    return sizes ->
        sizes.stream()
                .max(java.util.Comparator.comparingInt(f -> f.plan().routes()))
                .filter(goal)
                .isPresent()
            ? Verdict.MET
            : Verdict.MISSED;
  }

  /** A verdict over all sizes; two combine into one that is met when both are. */
  @FunctionalInterface
  interface Judge extends Function<List<SizeRun.Figures>, Verdict> {
    default Judge and(Function<List<SizeRun.Figures>, Verdict> other) {
      return sizes ->
          apply(sizes) == Verdict.MET && other.apply(sizes) == Verdict.MET
              ? Verdict.MET
              : Verdict.MISSED;
    }
  }

  private boolean sameReadsAtEverySize() {
    double min = sizes.stream().mapToDouble(Report::readsPerPoll).min().orElse(0);
    double max = sizes.stream().mapToDouble(Report::readsPerPoll).max().orElse(0);
    // A count over k intervals may catch one poll more or less of a system than another.
    return max - min <= READS_PER_POLL.values().stream().mapToInt(Integer::intValue).sum() / 2.0;
  }

  static double readsPerPoll(SizeRun.Figures f) {
    return (double) f.steady().totalReads() / f.steadyPolls();
  }

  /**
   * Whether every system was read no more than the design allows: its lists once per interval, plus
   * one interval's worth, since a count over k intervals can catch k + 1 polls.
   */
  static boolean readsWithinFloor(SizeRun.Figures f) {
    return READS_PER_POLL.entrySet().stream()
        .allMatch(e -> f.steady().reads(e.getKey()) <= (long) e.getValue() * (f.steadyPolls() + 1));
  }

  private static String perPoll(Counts counts, int polls) {
    StringBuilder s = new StringBuilder();
    for (String system : Counts.SYSTEMS) {
      s.append(s.isEmpty() ? "" : ", ")
          .append(system)
          .append(' ')
          .append(String.format("%.1f", (double) counts.reads(system) / polls));
    }
    return s.toString();
  }

  /** Whether the only write was one to {@code system}. */
  static boolean onlyOne(Counts change, String system) {
    return change.totalWrites() == 1 && change.writes(system) == 1;
  }

  static long cloudflareRequests(Counts counts) {
    return counts.reads(Counts.CLOUDFLARE) + counts.writes(Counts.CLOUDFLARE);
  }

  static Duration percentile(SizeRun.Figures f, int p) {
    List<Duration> sorted = f.singleReady().stream().sorted().toList();
    if (sorted.isEmpty()) {
      return Duration.ZERO;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** The slowest required call chain of a new Route: its three writes, one after the other. */
  static Duration routeFloor(SizeRun.Figures f) {
    return f.plan().latency().multipliedBy(ROUTE_CHAIN);
  }

  /**
   * What no scheduler can beat: clones of one template run one after another, so the template with
   * the most Guests takes that many clone tasks, and its last Guest then its tasks after the clone.
   */
  static Duration guestFloor(SizeRun.Figures f) {
    int perTemplate =
        (f.plan().guests() + BenchLab.TEMPLATES.size() - 1) / BenchLab.TEMPLATES.size();
    return f.plan().proxmoxTask().multipliedBy(perTemplate + TASKS_AFTER_CLONE);
  }

  /**
   * Reads per poll of an operator that polls each object on its own: a Route reads its DNS record,
   * its Caddy route and its NPM host; a Guest its status; the Tunnel its peer; the Edge its
   * interface and its Caddy config.
   */
  static long perObjectReads(SizeRun.Figures f) {
    return 3L * f.plan().routes() + f.plan().guests() + 1 + 2;
  }

  private static double ratio(Duration measured, Duration floor) {
    return floor.isZero() ? 0 : (double) measured.toNanos() / floor.toNanos();
  }
}
