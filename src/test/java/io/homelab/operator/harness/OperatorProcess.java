package io.homelab.operator.harness;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged operator ({@code target/quarkus-app/quarkus-run.jar}) running as a child process of
 * the test JVM, with the same {@code java}, configured only through environment variables, and
 * talking to an API server on the loopback address. A crash is always SIGKILL: {@link #kill()}
 * never lets the operator shut down gracefully.
 *
 * <p>Each start writes the operator's stdout and stderr to its own file under {@code
 * target/crash-harness/}; every assertion message of this class ends with the tail of that file.
 *
 * <p>The environment: the test JVM's, less every {@code QUARKUS_*}, {@code HOMELAB_*} and {@code
 * KUBE*} variable and the JVM option variables, plus {@code
 * QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL}, {@code QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS=true},
 * {@code QUARKUS_KUBERNETES_CLIENT_NAMESPACE}, {@code HOMELAB_OWNER_ID}, {@code
 * QUARKUS_HTTP_HOST=127.0.0.1}, a free {@code QUARKUS_HTTP_PORT} per start, {@code HOSTNAME} (the
 * leader-election identity, the same for every start), and {@code KUBECONFIG} naming a file that
 * does not exist (with {@code KUBERNETES_AUTH_TRYKUBECONFIG=false} and {@code
 * KUBERNETES_AUTH_TRYSERVICEACCOUNT=false}), so the operator can never reach a real cluster. The
 * working directory is under {@code target/}, so no {@code .env} or {@code config/} file of the
 * project is read. Quarkus 3.33 warns at startup that the {@code quarkus.kubernetes-client.*}
 * properties are fixed at build time; in JVM mode the values given at run time are used all the
 * same (the operator's requests reach the mock server).
 *
 * <p>How a kill is known to be a SIGKILL, not a graceful stop: {@link Process#destroyForcibly()}
 * sends SIGKILL on Linux, and the JDK reports a child that a signal ended as exit value 128 +
 * signal, so 137 for SIGKILL (an operator that ends itself exits with 0 or 1). {@link #kill()}
 * asserts 137, and also that the log has none of the lines Quarkus writes when its shutdown runs.
 */
public final class OperatorProcess implements AutoCloseable {

  /** The packaged operator, relative to the project root (the working directory of tests). */
  public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

  static final Path WORK_DIR = Path.of("target", "crash-harness");
  static final int SIGKILL_EXIT_VALUE = 128 + 9;
  static final Duration READY_DEADLINE = Duration.ofSeconds(60);
  static final Duration EXIT_DEADLINE = Duration.ofSeconds(10);
  static final int TAIL_LINES = 60;

  /**
   * What the operator logs only when its shutdown runs, as seen after a SIGTERM: "Quarkus Java
   * Operator SDK extension is shutting down", "Operator SDK 5.3.2 is shutting down...", and
   * "homelab-operator stopped in 0.071s".
   */
  static final List<String> SHUTDOWN_MARKERS = List.of(" is shutting down", " stopped in ");

  private final String name;
  private final Map<String, String> settings;
  private final Path workDir;
  private Process process;
  private int starts;
  private int httpPort;
  private Path log;

  private OperatorProcess(String name, Map<String, String> settings) {
    this.name = name;
    this.settings = settings;
    this.workDir = WORK_DIR.resolve(name).toAbsolutePath();
  }

  /**
   * An operator (not yet started) that talks to {@code apiServerUrl}, trusting its certificate,
   * with {@code namespace} as its client's default namespace.
   *
   * @param name names the log files of this operator under {@code target/crash-harness/}
   */
  public static OperatorProcess against(String name, String apiServerUrl, String namespace) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", apiServerUrl);
    settings.put("QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
    settings.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", namespace);
    settings.put("HOMELAB_OWNER_ID", "crash-harness");
    // Its Edges have documentation addresses (203.0.113.0/24): nothing to dial from a build
    // machine.
    settings.put("HOMELAB_PROBE_ENABLED", "false");
    // The HTTP server (health, metrics) listens on loopback only; the port is chosen per start.
    settings.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    // The leader-election identity (JOSDK takes HOSTNAME). It stays the same across restarts, as
    // for a container that the kubelet restarts in its pod: the restarted operator takes its own
    // Lease back at once, instead of waiting for it to expire (15 s) as a new pod would.
    settings.put("HOSTNAME", name);
    return new OperatorProcess(name, settings);
  }

  /** Adds or replaces one environment variable of the operator, for the next start. */
  public OperatorProcess with(String variable, String value) {
    settings.put(variable, value);
    return this;
  }

  /**
   * Starts the operator and waits until its readiness endpoint answers 200.
   *
   * @throws AssertionError when the jar is missing, the operator exits, or it is not ready in time
   */
  public OperatorProcess start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is already running as pid " + process.pid());
    }
    Path jar = JAR.toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(
          "The packaged operator "
              + jar
              + " is missing. The crash harness runs the real jar: build it with `mvn -B verify`"
              + " (or `mvn package`), which runs the *IT tests after the package phase.");
    }
    starts++;
    httpPort = freeLoopbackPort();
    log = workDir.resolve(name + "-" + starts + ".log");
    try {
      Files.createDirectories(workDir);
      ProcessBuilder builder =
          new ProcessBuilder(javaCommand(), "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
              // Not the project root: Quarkus would read a .env or config/application.properties
              // found in its working directory.
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
      Map<String, String> environment = builder.environment();
      // Never the developer's cluster: no kubeconfig, no in-cluster service account.
      io.homelab.operator.sandbox.OperatorEnvironment.isolate(environment, workDir);
      environment.putAll(settings);
      environment.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + name, e);
    }
    awaitReady();
    return this;
  }

  /**
   * Kills the operator with SIGKILL and asserts that it died of it, without running its shutdown.
   */
  public void kill() {
    requireStarted();
    if (!process.isAlive()) {
      throw new AssertionError(
          name + " had already exited with " + process.exitValue() + " before the kill" + tail());
    }
    process.destroyForcibly();
    int exitValue = awaitExit();
    if (exitValue != SIGKILL_EXIT_VALUE) {
      throw new AssertionError(
          name
              + " exited with "
              + exitValue
              + ", not "
              + SIGKILL_EXIT_VALUE
              + " (killed by SIGKILL)"
              + tail());
    }
    List<String> shutdownLines =
        logLines().stream().filter(l -> SHUTDOWN_MARKERS.stream().anyMatch(l::contains)).toList();
    if (!shutdownLines.isEmpty()) {
      throw new AssertionError(
          name + " ran its shutdown although it was killed: " + shutdownLines + tail());
    }
  }

  /** Kills the operator if it runs (SIGKILL, as any crash), then starts it again. */
  public OperatorProcess restart() {
    if (process != null && process.isAlive()) {
      kill();
    }
    return start();
  }

  /** The identity this operator holds its leader-election Lease under. */
  public String identity() {
    return settings.get("HOSTNAME");
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public long pid() {
    requireStarted();
    return process.pid();
  }

  /** The port of the operator's HTTP server (health, metrics) in its current or last run. */
  public int httpPort() {
    return httpPort;
  }

  /** The stdout and stderr of the current or last run. */
  public Path logFile() {
    return log;
  }

  /** The last lines of the current or last run's output, ready to end an assertion message. */
  public String tail() {
    if (log == null) {
      return "";
    }
    List<String> lines = logLines();
    List<String> last = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
    return "\n--- last "
        + last.size()
        + " lines of "
        + log
        + " ---\n"
        + String.join("\n", last)
        + "\n--- end of "
        + log.getFileName()
        + " ---";
  }

  /** Kills the operator if it still runs; for cleanup, so it asserts nothing. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      awaitExit();
    }
  }

  private void awaitReady() {
    URI ready = URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    List<String> answers = new ArrayList<>();
    try {
      await()
          .atMost(READY_DEADLINE)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new AssertionError(
                      name
                          + " exited with "
                          + process.exitValue()
                          + " before it was ready"
                          + tail());
                }
                return isReady(http, ready, answers);
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          name
              + " was not ready within "
              + READY_DEADLINE
              + " ("
              + ready
              + " last answered "
              + (answers.isEmpty() ? "nothing" : answers.get(answers.size() - 1))
              + ")"
              + tail(),
          e);
    }
  }

  private static boolean isReady(HttpClient http, URI ready, List<String> answers) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      answers.add(response.statusCode() + " " + response.body());
      return response.statusCode() == 200;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      answers.add(e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private int awaitExit() {
    try {
      if (!process.waitFor(EXIT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            name + " (pid " + process.pid() + ") still runs " + EXIT_DEADLINE + " after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return process.exitValue();
  }

  private List<String> logLines() {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of("(cannot read " + log + ": " + e + ")");
    }
  }

  private void requireStarted() {
    if (process == null) {
      throw new IllegalStateException(name + " was never started");
    }
  }

  private static String javaCommand() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElseThrow(() -> new IllegalStateException("The test JVM's java command is unknown"));
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
