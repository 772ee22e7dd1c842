package io.homelab.operator.sandbox.edge;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The real {@code caddy} for the simulated edge, when it is on the PATH: its admin API and its
 * HTTPS port on free loopback ports of this machine, its storage under a folder of its own, the
 * local CA not installed in any trust store. The operator reaches the admin API through the
 * simulated edge's SSH port forward, as it does on a VPS.
 */
public final class LoopbackCaddy implements AutoCloseable {

  private final Process process;
  private final int adminPort;
  private final int httpsPort;
  private final Path dir;

  private LoopbackCaddy(Process process, int adminPort, int httpsPort, Path dir) {
    this.process = process;
    this.adminPort = adminPort;
    this.httpsPort = httpsPort;
    this.dir = dir;
  }

  /** Where {@code caddy} is on the PATH, if it is. */
  public static Optional<Path> find() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String entry : path.split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(entry, "caddy");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Starts caddy with its files under {@code dir} and waits for its admin API. */
  public static LoopbackCaddy start(Path caddy, Path dir) {
    Path root = dir.toAbsolutePath();
    int admin = freePort();
    int https = freePort();
    int http = freePort();
    try {
      Files.createDirectories(root.resolve("data"));
      Files.createDirectories(root.resolve("config"));
      Path config = root.resolve("caddy.json");
      Files.writeString(
          config,
          """
          {"admin": {"listen": "127.0.0.1:%d"},
           "apps": {"http": {"http_port": %d, "https_port": %d},
                    "pki": {"certificate_authorities": {"local": {"install_trust": false}}}}}
          """
              .formatted(admin, http, https));
      ProcessBuilder builder =
          new ProcessBuilder(caddy.toString(), "run", "--config", config.toString());
      builder.environment().put("HOME", root.toString());
      builder.environment().put("XDG_DATA_HOME", root.resolve("data").toString());
      builder.environment().put("XDG_CONFIG_HOME", root.resolve("config").toString());
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("caddy.log").toFile()));
      Process process = builder.start();
      LoopbackCaddy started = new LoopbackCaddy(process, admin, https, root);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!reachable(admin)) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          started.close();
          throw new IllegalStateException(
              "caddy did not start its admin API on 127.0.0.1:"
                  + admin
                  + "; see "
                  + root.resolve("caddy.log"));
        }
        Thread.sleep(100);
      }
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException("caddy could not start", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The admin API's address as the edge sees it: {@code 127.0.0.1:PORT}. */
  public String adminAddress() {
    return "127.0.0.1:" + adminPort;
  }

  /** The loopback port for the operator's HTTPS server. */
  public int httpsPort() {
    return httpsPort;
  }

  /** The root certificate of Caddy's local CA (issuer Internal), once it made one. */
  public Path rootCertificate() {
    return dir.resolve("data/caddy/pki/authorities/local/root.crt");
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static boolean reachable(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
