package io.homelab.operator.sandbox.bench;

import io.homelab.operator.sandbox.OperatorChild;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The JDK's ahead-of-time cache of the operator (JDK 25: JEP 483, 514 and 515): the classes the
 * operator loads and links, and the profiles of its methods, as one training run recorded them, so
 * that a later start on the same {@code java}, the same options and the same {@code
 * target/quarkus-app} loads them from the cache.
 *
 * <p>The training run is the packaged operator against a {@link BenchLab}, started with {@code
 * -XX:AOTCacheOutput=<file>}: it starts, makes the Edge and the Tunnel of the samples Ready, then
 * {@value #ROUTES} Routes and {@value #GUESTS} Guests, and is stopped as Ctrl-C would stop it. At
 * its exit the JVM writes the cache. A start then uses it with {@code -XX:AOTCache=<file>}.
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

  /** Runs the training and checks that it wrote {@code cache}. */
  static void train(Path cache, OperatorChild.Jvm jvm, Path dir, PrintStream out) {
    Path file = cache.toAbsolutePath();
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.println("bench | AOT cache training run, writing " + file);
    long start = System.nanoTime();
    BenchLab.Settings settings =
        new BenchLab.Settings(
            Duration.ofMillis(5),
            Duration.ofMillis(200),
            Duration.ofSeconds(2),
            dir,
            jvm.with(List.of("-XX:AOTCacheOutput=" + file)));
    boolean ended;
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
    }
    if (!ended || !Files.isRegularFile(file)) {
      throw new IllegalStateException(
          "the training run wrote no AOT cache at "
              + file
              + (ended ? "" : " (it did not exit within " + EXIT_GRACE.toSeconds() + " s)")
              + ": the operator's java must be JDK 25 or later (bench.java); its log is in "
              + dir.toAbsolutePath().resolve("operator"));
    }
    out.printf(
        "bench | AOT cache written in %d s: %d MiB%n",
        Duration.ofNanos(System.nanoTime() - start).toSeconds(), size(file) >> 20);
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
