package io.homelab.operator.driver.caddy;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The real {@code caddy} (Debian package) on loopback, started from a JSON config that stands for
 * what a user already runs, with its data (the internal CA) in a folder of its own.
 */
public final class CaddyProcess implements AutoCloseable {

  final Path dir;
  final int adminPort;
  final Path log;
  private Process process;

  public CaddyProcess(Path dir, String configJson, int adminPort) {
    this.dir = dir;
    this.adminPort = adminPort;
    this.log = dir.resolve("caddy.log");
    try {
      Files.writeString(dir.resolve("caddy.json"), configJson);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    start(dir.resolve("caddy.json"));
  }

  static String binary() {
    for (String candidate : List.of("/usr/bin/caddy", "/usr/local/bin/caddy")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new AssertionError(
        "These tests need the caddy binary (Debian package 'caddy'); `mvn verify` installs it as"
            + " root, otherwise run: apt-get install --no-install-recommends caddy");
  }

  /** Starts Caddy from a config file. */
  void start(Path config) {
    ProcessBuilder builder = new ProcessBuilder(binary(), "run", "--config", config.toString());
    builder.environment().put("XDG_DATA_HOME", dir.resolve("data").toString());
    builder.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    builder.environment().put("HOME", dir.toString());
    // No trust-store tools: a Caddy with an internal issuer and no install_trust: false (a config
    // the operator wrote after an empty restart) would install its root in the machine's stores
    // (update-ca-certificates, and keytool through JAVA_HOME), which as root takes seconds under
    // load, past the driver's timeout. Without them Caddy warns and goes on at once.
    builder.environment().remove("JAVA_HOME");
    builder.environment().put("PATH", dir.resolve("no-tools").toString());
    builder
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await("caddy admin on " + adminPort)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(this::adminAnswers);
  }

  /** Caddy rebooted without --resume: it comes back with nothing but its admin endpoint. */
  public void restartEmpty() {
    stop();
    Path empty = dir.resolve("empty.json");
    try {
      Files.writeString(empty, "{\"admin\": {\"listen\": \"localhost:" + adminPort + "\"}}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    start(empty);
  }

  private boolean adminAnswers() {
    if (!process.isAlive()) {
      throw new AssertionError("caddy exited: " + tail());
    }
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + adminPort + "/config/").toURL().openConnection();
      c.setConnectTimeout(500);
      return c.getResponseCode() > 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** Admin requests Caddy logged, as {@code METHOD uri}, in order. */
  public List<String> adminRequests() {
    try {
      return Files.readAllLines(log).stream()
          .filter(l -> l.contains("\"logger\":\"admin.api\"") && l.contains("received request"))
          .map(l -> field(l, "method") + " " + field(l, "uri"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String field(String line, String name) {
    int start = line.indexOf("\"" + name + "\":\"");
    if (start < 0) {
      return "?";
    }
    start += name.length() + 4;
    return line.substring(start, line.indexOf('"', start));
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    stop();
  }
}
