package io.homelab.operator.sandbox.bench;

import io.homelab.operator.sandbox.OperatorChild;
import io.homelab.operator.sandbox.OperatorEnvironment;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's ahead-of-time cache of the operator (JDK 25: JEP 483, 514 and 515): the classes the
 * operator loads and links, and the profiles of its methods, as one training run recorded them, so
 * that a later start on the same {@code java}, the same options and the same {@code
 * target/quarkus-app} loads them from the cache.
 *
 * <p>Two steps, as JEP 483 has them. The training run is the packaged operator against a {@link
 * BenchLab}, started with {@code -XX:AOTMode=record -XX:AOTConfiguration=<file>conf}: it starts,
 * makes the Edge and the Tunnel of the samples Ready, then {@value #ROUTES} Routes and {@value
 * #GUESTS} Guests, and is stopped as Ctrl-C would stop it; at its exit the JVM writes what it
 * recorded. The assembly, {@code -XX:AOTMode=create -XX:AOTConfiguration=<file>conf
 * -XX:AOTCache=<file>}, turns that into the cache and exits. (The one-step {@code
 * -XX:AOTCacheOutput} assembles in a JVM of its own that outlives the training JVM, so its end
 * cannot be awaited.) A start then uses the cache with {@code -XX:AOTCache=<file>}.
 */
final class AotCache {

  static final int ROUTES = 10;
  static final int GUESTS = 2;

  /** Writing the cache at exit runs a second JVM that assembles it: slow on a loaded machine. */
  static final Duration EXIT_GRACE = Duration.ofMinutes(3);

  static final Duration DEADLINE = Duration.ofMinutes(3);

  private AotCache() {}

  /** The options that make a start use {@code cache}. */
  static List<String> use(Path cache) {
    return List.of("-XX:AOTCache=" + cache.toAbsolutePath());
  }

  /**
   * Returns {@code jvm} using {@code cache}, after a training run writes it if it is missing.
   *
   * @param dir where the training run keeps its files
   */
  static OperatorChild.Jvm prepare(Path cache, OperatorChild.Jvm jvm, Path dir, PrintStream out) {
    if (Files.isRegularFile(cache)) {
      out.println("bench | AOT cache " + cache + " found: used as it is");
    } else {
      train(cache, jvm, dir, out);
    }
    return jvm.with(use(cache));
  }

  /** Runs the training, then the assembly of {@code cache} from what the training recorded. */
  static void train(Path cache, OperatorChild.Jvm jvm, Path dir, PrintStream out) {
    Path file = cache.toAbsolutePath();
    Path recorded = file.resolveSibling(file.getFileName() + "conf");
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(recorded);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.println("bench | AOT cache: training run, recording " + recorded);
    long start = System.nanoTime();
    record(recorded, jvm, dir);
    out.println("bench | AOT cache: assembling " + file);
    assemble(recorded, file, jvm, dir);
    out.printf(
        "bench | AOT cache written in %d s: %d MiB%n",
        Duration.ofNanos(System.nanoTime() - start).toSeconds(), size(file) >> 20);
  }

  /**
   * The training run: {@code -XX:AOTMode=record -XX:AOTConfiguration=<recorded>}; the JVM writes
   * what it loaded, linked and profiled at its exit.
   */
  private static void record(Path recorded, OperatorChild.Jvm jvm, Path dir) {
    BenchLab.Settings settings =
        new BenchLab.Settings(
            Duration.ofMillis(5),
            Duration.ofMillis(200),
            Duration.ofSeconds(2),
            dir,
            jvm.with(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + recorded)));
    boolean ended;
    int exit;
    try (BenchLab lab = BenchLab.start(settings)) {
      await("the Edge and the Tunnel to be Ready", lab::edgeAndTunnelReady);
      for (int i = 0; i < ROUTES; i++) {
        lab.createRoute(i);
      }
      for (int i = 0; i < GUESTS; i++) {
        lab.createGuest(i);
      }
      await(ROUTES + " Routes to be Ready", () -> lab.readyRoutes() == ROUTES);
      await(GUESTS + " Guests to be Ready", () -> lab.readyGuests() == GUESTS);
      ended = lab.stopOperator(EXIT_GRACE);
      exit = lab.operatorExitValue();
    }
    if (!ended || !Files.isRegularFile(recorded)) {
      throw new IllegalStateException(
          "the training run recorded nothing at "
              + recorded
              + (ended
                  ? " (it exited with " + exit + ")"
                  : " (it did not exit within " + EXIT_GRACE.toSeconds() + " s)")
              + ": the operator's java must be JDK 25 or later (bench.java); its log is in "
              + dir.toAbsolutePath().resolve("operator"));
    }
  }

  /**
   * The assembly: {@code -XX:AOTMode=create -XX:AOTConfiguration=<recorded> -XX:AOTCache=<file>}
   * with the same options and jar; it writes the cache and exits without running the operator.
   */
  private static void assemble(Path recorded, Path file, OperatorChild.Jvm jvm, Path dir) {
    List<String> command = new ArrayList<>();
    command.add(jvm.java().toString());
    command.addAll(jvm.options());
    command.addAll(
        List.of(
            "-XX:AOTMode=create",
            "-XX:AOTConfiguration=" + recorded,
            "-XX:AOTCache=" + file,
            "-jar",
            OperatorChild.jar().toString()));
    Path log = dir.toAbsolutePath().resolve("aot-assembly.log");
    int exit;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      OperatorEnvironment.isolate(builder.environment(), dir.toAbsolutePath());
      Process process = builder.start();
      if (!process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "the AOT cache assembly took over " + EXIT_GRACE.toSeconds() + " s; see " + log);
      }
      exit = process.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run the AOT cache assembly", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (exit != 0 || !Files.isRegularFile(file)) {
      throw new IllegalStateException(
          "the AOT cache assembly exited with " + exit + " and wrote no " + file + "; see " + log);
    }
  }

  private static void await(String what, java.util.function.BooleanSupplier condition) {
    SizeRun.awaitEvery(what, condition, Duration.ofMillis(100), DEADLINE);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
