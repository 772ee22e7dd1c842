package io.homelab.operator.driver.caddy;

import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The real caddy as a user runs it — one server of their own, {@code mine}, answering "theirs" —
 * and the operator's way in: a forward to the admin endpoint (standing for the SSH port forward)
 * and drivers through it.
 */
public final class CaddyLab implements AutoCloseable {

  public final CaddyProcess caddy;
  public final TcpForward forward;
  public final int userPort = CaddyProcess.freePort();
  public final int httpsPort = CaddyProcess.freePort();
  public final int adminPort = CaddyProcess.freePort();
  private final Vertx vertx;

  public CaddyLab(Vertx vertx, Path dir) {
    this.vertx = vertx;
    caddy =
        new CaddyProcess(
            dir,
            """
            {"admin": {"listen": "localhost:%d"},
             "apps": {"http": {"http_port": %d, "https_port": %d, "servers": {
               "mine": {"listen": [":%d"], "routes": [
                 {"handle": [{"handler": "static_response", "body": "theirs"}]}]}}},
              "pki": {"certificate_authorities": {"local": {"install_trust": false}}}}}
            """
                .formatted(adminPort, CaddyProcess.freePort(), httpsPort, userPort),
            adminPort);
    forward = new TcpForward(adminPort);
  }

  /** A driver through the forward, sending {@code adminAddress} as the Host. */
  public CaddyDriver driver(String adminAddress, String ourPrefix) {
    return new HttpCaddyDriver(
        new CaddyAdmin(
            vertx,
            SocketAddress.inetSocketAddress(forward.port(), "127.0.0.1"),
            adminAddress,
            Duration.ofSeconds(5)),
        ourPrefix,
        "test/vps");
  }

  /** A driver that sends the Host the admin endpoint listens on. */
  public CaddyDriver driver(String ourPrefix) {
    return driver("localhost:" + adminPort, ourPrefix);
  }

  /** How many writes (anything but GET) Caddy's admin endpoint has received. */
  public int writes() {
    return (int) caddy.adminRequests().stream().filter(r -> !r.startsWith("GET ")).count();
  }

  @Override
  public void close() {
    forward.close();
    caddy.close();
  }
}
