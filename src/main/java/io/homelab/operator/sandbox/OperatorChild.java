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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator ({@code target/quarkus-app/quarkus-run.jar}) run by the sandbox as a child
 * process, configured through its environment only: it talks to the sandbox's API server and
 * simulators, never to a cluster of the user's (no kubeconfig, no service account). Its log goes to
 * a file and, line by line, to the sandbox's own output.
 */
public final class OperatorChild implements AutoCloseable {

  static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

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
    Path jar = JAR.toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "The packaged operator " + jar + " is missing: build it first (mvn package)");
    }
    int port = freeLoopbackPort();
    try {
      Files.createDirectories(workDir);
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-XX:TieredStopAtLevel=1",
                  "-jar",
                  jar.toString())
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
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        pump.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
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
        Thread.sleep(300);
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
