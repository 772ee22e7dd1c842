package io.homelab.operator.sandbox.bench;

import io.homelab.operator.sandbox.OperatorChild;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The benchmark: what the operator costs as the homelab grows. For each size (Routes and Guests,
 * {@code -Dbench.sizes=10:10,100:100,1000:100}) a cold operator against fresh simulators, then the
 * figures of {@link SizeRun}, and at the end one table ({@link Report}), printed and written to
 * {@code target/benchmark/results.md} with the machine it ran on. Started from the project root by
 * {@code mvn -B -Pbenchmark package}.
 *
 * <p>Settings, as system properties: {@code bench.sizes}, {@code bench.latency} (per external
 * request, 20ms), {@code bench.proxmox-task} (2s), {@code bench.poll} (the operator's poll interval
 * of every system, 10s), {@code bench.steady-polls} (3), {@code bench.single-routes} (20), {@code
 * bench.deadline} (of any one wait, 15m). Durations are written as 20ms, 2s, 10m. The operator's
 * JVM: {@code bench.java} (a {@code java} binary), {@code bench.jvm-options}, {@code bench.aot} (an
 * AOT cache, trained by {@link AotCache} when missing). {@code bench.starts=N} measures start to
 * ready only ({@link StartRun}); {@code bench.train=true} only trains the cache {@code bench.aot}
 * names, afresh (the image's build does, see {@code src/main/docker/Dockerfile.jvm}).
 */
public final class Benchmark {

  private Benchmark() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    Path dir = Path.of(System.getProperty("bench.dir", "target/benchmark"));
    OperatorChild.Jvm jvm = jvm();
    Optional<Path> aot = setting("bench.aot").map(Path::of);
    int starts = Integer.getInteger("bench.starts", 0);
    // The mock API server leaves Vert.x threads behind that would keep this JVM alive: exit.
    try {
      if (Boolean.getBoolean("bench.train")) {
        AotCache.train(
            aot.orElseThrow(() -> new IllegalArgumentException("bench.train needs bench.aot")),
            jvm,
            dir.resolve("aot-training"),
            out);
      } else if (starts > 0) {
        starts(starts, jvm, aot, dir, out);
      } else {
        sizes(jvm, aot, dir, out);
      }
    } catch (RuntimeException e) {
      e.printStackTrace(out);
      System.exit(1);
    }
    System.exit(0);
  }

  /** The whole benchmark: every size of {@code bench.sizes}, then the table. */
  static void sizes(OperatorChild.Jvm jvm, Optional<Path> aot, Path dir, PrintStream out) {
    if (aot.isPresent()) {
      jvm = AotCache.prepare(aot.get(), jvm, dir.resolve("aot-training"), out);
    }
    List<SizeRun.Figures> figures = new ArrayList<>();
    for (String size : System.getProperty("bench.sizes", "10:10,100:100,1000:100").split(",")) {
      String[] parts = size.trim().split(":");
      int routes = Integer.parseInt(parts[0]);
      int guests = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      figures.add(
          new SizeRun(
                  plan(routes, guests, dir.resolve(routes + "-routes-" + guests + "-guests"), jvm),
                  out)
              .run());
    }
    Report report = new Report(figures);
    String preamble = machine(figures.get(0).plan()) + "\n";
    report.write(dir.resolve("results.md"), preamble);
    out.println();
    out.println(preamble + report.table());
    out.println("Written to " + dir.resolve("results.md"));
  }

  /**
   * Start to ready only ({@code -Dbench.starts=N}): {@code n} cold starts, and as many with the AOT
   * cache interleaved with them when {@code bench.aot} names one (trained first if missing).
   */
  static void starts(int n, OperatorChild.Jvm jvm, Optional<Path> aot, Path dir, PrintStream out) {
    List<StartRun.Variant> variants = new ArrayList<>();
    variants.add(new StartRun.Variant("without AOT cache", jvm));
    if (aot.isPresent()) {
      variants.add(
          new StartRun.Variant(
              "with AOT cache",
              AotCache.prepare(aot.get(), jvm, dir.resolve("aot-training"), out)));
    }
    StartRun run = new StartRun(variants, n, plan(0, 0, dir, jvm), out);
    String summary = run.summary(run.run());
    out.println();
    out.println(operatorJvm(jvm));
    out.print(summary);
  }

  private static SizeRun.Plan plan(int routes, int guests, Path dir, OperatorChild.Jvm jvm) {
    return new SizeRun.Plan(
        routes,
        guests,
        duration("bench.latency", "20ms"),
        duration("bench.proxmox-task", "2s"),
        duration("bench.poll", "10s"),
        Integer.getInteger("bench.steady-polls", 3),
        Integer.getInteger("bench.single-routes", 20),
        duration("bench.deadline", "15m"),
        dir,
        jvm);
  }

  /**
   * The operator's JVM: {@code bench.java} (a {@code java} binary; the benchmark's own by default)
   * with {@code -XX:TieredStopAtLevel=1} and {@code bench.jvm-options} (separated by spaces).
   */
  static OperatorChild.Jvm jvm() {
    OperatorChild.Jvm jvm = OperatorChild.Jvm.defaults();
    Optional<String> java = setting("bench.java");
    if (java.isPresent()) {
      if (!Files.isExecutable(Path.of(java.get()))) {
        throw new IllegalArgumentException(
            "bench.java=" + java.get() + ": not an executable java binary");
      }
      jvm = new OperatorChild.Jvm(Path.of(java.get()), jvm.options());
    }
    return jvm.with(
        setting("bench.jvm-options").map(o -> List.of(o.trim().split("\\s+"))).orElse(List.of()));
  }

  /** The line that names the operator's JVM: its version and its options. */
  static String operatorJvm(OperatorChild.Jvm jvm) {
    String version;
    try {
      Process p =
          new ProcessBuilder(jvm.java().toString(), "-version").redirectErrorStream(true).start();
      version =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
              .lines()
              .findFirst()
              .orElse("unknown version");
      p.waitFor();
    } catch (IOException e) {
      version = "unknown version";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      version = "unknown version";
    }
    return "The operator ran on "
        + jvm.java()
        + " ("
        + version
        + ") with "
        + String.join(" ", jvm.options())
        + ".";
  }

  private static Optional<String> setting(String property) {
    return Optional.ofNullable(System.getProperty(property)).filter(v -> !v.isBlank());
  }

  /** The machine and the settings, as BENCHMARKS.md records them. */
  static String machine(SizeRun.Plan plan) {
    String cpu =
        read("/proc/cpuinfo")
            .lines()
            .filter(l -> l.startsWith("model name"))
            .map(l -> l.substring(l.indexOf(':') + 1).trim())
            .findFirst()
            .orElse("unknown CPU");
    String memory =
        read("/proc/meminfo")
            .lines()
            .filter(l -> l.startsWith("MemTotal"))
            .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024 + " GiB")
            .findFirst()
            .orElse("unknown");
    String os =
        read("/etc/os-release")
            .lines()
            .filter(l -> l.startsWith("PRETTY_NAME="))
            .map(l -> l.substring(l.indexOf('=') + 1).replace("\"", ""))
            .findFirst()
            .orElse(System.getProperty("os.name"));
    return String.join(
        "\n",
        "Run "
            + Instant.now().toString().substring(0, 16).replace('T', ' ')
            + " UTC on "
            + os
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs ("
            + cpu
            + "), "
            + memory
            + " RAM, Java "
            + System.getProperty("java.version")
            + ".",
        "Latency per external request "
            + plan.latency().toMillis()
            + " ms, Proxmox tasks "
            + plan.proxmoxTask().toMillis()
            + " ms, every poll interval "
            + plan.poll().toSeconds()
            + " s, steady state over "
            + plan.steadyPolls()
            + " intervals, "
            + plan.singleRoutes()
            + " single Routes per size.",
        operatorJvm(plan.jvm()),
        "");
  }

  /** A duration as {@code 20ms}, {@code 2s} or {@code 10m}. */
  static Duration duration(String property, String fallback) {
    String text = System.getProperty(property, fallback).trim();
    if (text.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
    }
    long value = Long.parseLong(text.substring(0, text.length() - 1));
    return switch (text.charAt(text.length() - 1)) {
      case 's' -> Duration.ofSeconds(value);
      case 'm' -> Duration.ofMinutes(value);
      default ->
          throw new IllegalArgumentException(
              property + "=" + text + ": write a duration as 20ms, 2s or 10m");
    };
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      return "";
    }
  }
}
