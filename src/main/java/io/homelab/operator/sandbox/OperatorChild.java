package io.homelab.operator.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator ({@code target/quarkus-app/quarkus-run.jar}, or the jar the system property
 * {@code homelab.operator-jar} names, as in the image) run by the sandbox as a child process,
 * configured through its environment only: it talks to the sandbox's API server and simulators,
 * never to a cluster of the user's (no kubeconfig, no service account). Its log goes to a file and,
 * line by line, to the sandbox's own output.
 */
public final class OperatorChild implements AutoCloseable {

  static final Path JAR =
      Path.of(System.getProperty("homelab.operator-jar", "target/quarkus-app/quarkus-run.jar"));

  /**
   * How the operator's JVM is started.
   *
   * @param java the {@code java} binary
   * @param options JVM options put before {@code -jar}
   */
  public record Jvm(Path java, List<String> options) {

    /**
     * The sandbox's own {@code java}, with C1 only: a short-lived operator on few objects starts
     * sooner without C2 compiling in the background.
     */
    public static Jvm defaults() {
      return new Jvm(
          Path.of(System.getProperty("java.home"), "bin", "java"),
          List.of("-XX:TieredStopAtLevel=1"));
    }

    /** The same {@code java} with more options after these. */
    public Jvm with(List<String> more) {
      List<String> all = new ArrayList<>(options);
      all.addAll(more);
      return new Jvm(java, List.copyOf(all));
    }
  }

  private final Process process;
  private final int httpPort;
  private final Thread pump;

  private OperatorChild(Process process, int httpPort, Thread pump) {
    this.process = process;
    this.httpPort = httpPort;
    this.pump = pump;
  }

  /**
   * Starts the operator and waits until it is ready.
   *
   * @param settings environment variables (QUARKUS_*, HOMELAB_*) for it
   * @param workDir its working directory and where its log goes
   * @param out where its log lines are echoed, each with a prefix
   */
  public static OperatorChild start(Map<String, String> settings, Path workDir, PrintStream out) {
    return start(Jvm.defaults(), settings, workDir, out);
  }

  /**
   * Starts the operator on the given JVM and waits until it is ready.
   *
   * @param jvm the {@code java} binary and its options
   * @param settings environment variables (QUARKUS_*, HOMELAB_*) for it
   * @param workDir its working directory and where its log goes
   * @param out where its log lines are echoed, each with a prefix
   */
  public static OperatorChild start(
      Jvm jvm, Map<String, String> settings, Path workDir, PrintStream out) {
    Path jar = JAR.toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "The packaged operator " + jar + " is missing: build it first (mvn package)");
    }
    int port = freeLoopbackPort();
    try {
      Files.createDirectories(workDir);
      List<String> command = new ArrayList<>();
      command.add(jvm.java().toString());
      command.addAll(jvm.options());
      command.add("-jar");
      command.add(jar.toString());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              // Not the project root: Quarkus would read a .env or config/ found there.
              .directory(workDir.toFile())
              .redirectErrorStream(true);
      Map<String, String> environment = builder.environment();
      OperatorEnvironment.isolate(environment, workDir);
      environment.put("QUARKUS_HTTP_HOST", "127.0.0.1");
      environment.put("QUARKUS_HTTP_PORT", String.valueOf(port));
      environment.putAll(settings);
      Process process = builder.start();
      Path log = workDir.resolve("operator.log");
      Thread pump = new Thread(() -> pump(process, log, out), "operator-log");
      pump.setDaemon(true);
      pump.start();
      OperatorChild child = new OperatorChild(process, port, pump);
      child.awaitReady(Duration.ofSeconds(90));
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the operator", e);
    }
  }

  /** Stops the operator as Ctrl-C would (SIGTERM, its shutdown runs), then for good. */
  @Override
  public void close() {
    stop(Duration.ofSeconds(20));
  }

  /**
   * Stops the operator as Ctrl-C would (SIGTERM) and gives its shutdown {@code grace} to finish (a
   * JVM that writes an AOT cache at exit needs longer), then stops it for good.
   *
   * @return whether it ended within {@code grace}
   */
  public boolean stop(Duration grace) {
    if (!process.isAlive()) {
      return true;
    }
    process.destroy();
    try {
      boolean ended = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
      if (!ended) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      pump.join(2000);
      return ended;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return false;
    }
  }

  /** The packaged operator's jar, absolute. */
  public static Path jar() {
    return JAR.toAbsolutePath();
  }

  /** How the process ended (128 + the signal when a signal ended it), or -1 while it runs. */
  public int exitValue() {
    return process.isAlive() ? -1 : process.exitValue();
  }

  public long pid() {
    return process.pid();
  }

  /** The port of its HTTP server on loopback (health, metrics). */
  public int httpPort() {
    return httpPort;
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the operator exited with " + process.exitValue() + " before it was ready");
      }
      try {
        HttpURLConnection connection =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready")
                    .toURL()
                    .openConnection();
        connection.setConnectTimeout(500);
        connection.setReadTimeout(2000);
        if (connection.getResponseCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      try {
        // Often enough that the figure is the operator's start, not this loop's step.
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the operator started", e);
      }
    }
    throw new IllegalStateException(
        "the operator was not ready within " + timeout.toSeconds() + " s");
  }

  private static void pump(Process process, Path log, PrintStream out) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        var file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        file.write(line);
        file.newLine();
        file.flush();
        out.println("operator | " + line);
      }
    } catch (IOException e) {
      out.println("operator | (log ended: " + e.getMessage() + ")");
    }
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
