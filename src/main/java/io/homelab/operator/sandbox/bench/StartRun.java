package io.homelab.operator.sandbox.bench;

import io.homelab.operator.sandbox.OperatorChild;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Start to ready only: the operator started cold {@code rounds} times against a fresh {@link
 * BenchLab} each time, and timed from the start of its JVM until its readiness endpoint answered.
 * With several ways to start it (say without and with an AOT cache) each round starts every way
 * once, one after the other, so that other work on the machine weighs on all of them alike.
 */
final class StartRun {

  /** One way to start the operator, by name. */
  record Variant(String name, OperatorChild.Jvm jvm) {}

  /** What one way measured: each start, and what Quarkus logged as its own start time. */
  record Times(List<Duration> ready, List<Duration> quarkus) {

    Duration median() {
      return StartRun.median(ready);
    }
  }

  private final List<Variant> variants;
  private final int rounds;
  private final SizeRun.Plan plan;
  private final PrintStream out;

  StartRun(List<Variant> variants, int rounds, SizeRun.Plan plan, PrintStream out) {
    this.variants = variants;
    this.rounds = rounds;
    this.plan = plan;
    this.out = out;
  }

  /** Runs all rounds and returns each way's times, in the order of {@code variants}. */
  Map<String, Times> run() {
    Map<String, Times> times = new LinkedHashMap<>();
    for (Variant v : variants) {
      times.put(v.name(), new Times(new ArrayList<>(), new ArrayList<>()));
    }
    out.println("bench | load average at start: " + loadAverage());
    for (int round = 1; round <= rounds; round++) {
      for (Variant v : variants) {
        BenchLab.Settings settings =
            new BenchLab.Settings(
                plan.latency(),
                plan.proxmoxTask(),
                plan.poll(),
                plan.dir().resolve("start-" + round + "-" + v.name()),
                v.jvm());
        try (BenchLab lab = BenchLab.start(settings)) {
          Duration ready = lab.operatorStart();
          Duration quarkus = quarkusStartedIn(lab);
          times.get(v.name()).ready().add(ready);
          if (quarkus != null) {
            times.get(v.name()).quarkus().add(quarkus);
          }
          long stopping = System.nanoTime();
          boolean ended = lab.stopOperator(Duration.ofSeconds(20));
          out.printf(
              "bench | start %d/%d, %s: ready in %d ms (Quarkus: %s); SIGTERM %s %d ms%n",
              round,
              rounds,
              v.name(),
              ready.toMillis(),
              quarkus == null ? "not logged" : quarkus.toMillis() + " ms",
              ended ? "ended it in" : "did not end it, killed after",
              Duration.ofNanos(System.nanoTime() - stopping).toMillis());
        }
      }
    }
    out.println("bench | load average at end: " + loadAverage());
    return times;
  }

  /** The summary lines: per way, the median, lowest and highest start to ready. */
  String summary(Map<String, Times> times) {
    StringBuilder text = new StringBuilder();
    times.forEach(
        (name, t) -> {
          List<Duration> sorted = t.ready().stream().sorted().toList();
          text.append(
              String.format(
                  "Start to ready, %s: median %.2f s (lowest %.2f, highest %.2f, %d starts;"
                      + " Quarkus' own median %s)%n",
                  name,
                  seconds(t.median()),
                  seconds(sorted.get(0)),
                  seconds(sorted.get(sorted.size() - 1)),
                  sorted.size(),
                  t.quarkus().isEmpty()
                      ? "not logged"
                      : String.format("%.2f s", seconds(median(t.quarkus())))));
        });
    return text.toString();
  }

  /**
   * What Quarkus logged as its start time: it logs it just after the readiness endpoint answers
   * ready, so it may take a moment; null when it never comes.
   */
  private static Duration quarkusStartedIn(BenchLab lab) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      var logged = lab.quarkusStartedIn();
      if (logged.isPresent()) {
        return logged.get();
      }
      SizeRun.pause(Duration.ofMillis(20));
    }
    return null;
  }

  static Duration median(List<Duration> values) {
    List<Duration> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1
        ? sorted.get(n / 2)
        : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
