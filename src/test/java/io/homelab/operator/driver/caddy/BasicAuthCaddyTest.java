package io.homelab.operator.driver.caddy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.homelab.operator.api.route.RouteSpec;
import io.homelab.operator.model.BasicAuthAccount;
import io.homelab.operator.model.CaddyRoute;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route rendered with an account from {@link BasicAuthAccount} in the real caddy (the Debian
 * package; the test fails when it is missing): Caddy's own bcrypt accepts the hash, asks for
 * credentials when there are none, refuses wrong ones and lets the right ones through to the
 * upstream. Plain HTTP on loopback, since TLS plays no part in it.
 */
class BasicAuthCaddyTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOST = "app.homelab.test";
  private static final String CONTEXT = "homelab-operator:test/Route/homelab/app";

  @TempDir Path dir;
  HttpServer upstream;
  CaddyProcess caddy;
  int httpPort;

  @BeforeEach
  void start() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext(
        "/",
        exchange -> {
          byte[] body = "upstream answered".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    upstream.start();

    RouteSpec spec = new RouteSpec();
    spec.setHostname(HOST);
    ObjectNode route =
        CaddyRoute.render(
            "homelab-test-app",
            spec,
            "127.0.0.1:" + upstream.getAddress().getPort(),
            BasicAuthAccount.of(CONTEXT, "alice", "correct horse battery staple"));

    int adminPort = CaddyProcess.freePort();
    httpPort = CaddyProcess.freePort();
    ObjectNode config = JSON.createObjectNode();
    config.putObject("admin").put("listen", "localhost:" + adminPort);
    ObjectNode server =
        config.putObject("apps").putObject("http").putObject("servers").putObject("homelab");
    server.putArray("listen").add("127.0.0.1:" + httpPort);
    server.putObject("automatic_https").put("disable", true);
    ArrayNode routes = server.putArray("routes");
    routes.add(route);
    caddy = new CaddyProcess(dir, config.toString(), adminPort);
    // The admin endpoint answers first; the server's listener follows as the config loads.
    await("caddy listening on " + httpPort)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> get(null).startsWith("HTTP/1.1"));
  }

  @AfterEach
  void stop() {
    if (caddy != null) {
      caddy.close();
    }
    if (upstream != null) {
      upstream.stop(0);
    }
  }

  @Test
  void withoutCredentialsCaddyAsksForThem() throws IOException {
    String response = get(null);
    assertThat(response).startsWith("HTTP/1.1 401");
    assertThat(response).containsIgnoringCase("\r\nWWW-Authenticate: Basic");
    assertThat(response).doesNotContain("upstream answered");
  }

  @Test
  void aWrongPasswordOrUserIsRefused() throws IOException {
    assertThat(get("alice:correct horse battery stapl")).startsWith("HTTP/1.1 401");
    assertThat(get("alice:")).startsWith("HTTP/1.1 401");
    assertThat(get("bob:correct horse battery staple")).startsWith("HTTP/1.1 401");
  }

  @Test
  void theRightCredentialsReachTheUpstream() throws IOException {
    String response = get("alice:correct horse battery staple");
    assertThat(response).startsWith("HTTP/1.1 200");
    assertThat(response).endsWith("upstream answered");
  }

  /** A GET for the route's host name, with {@code user:password} as basic auth unless null. */
  private String get(String credentials) throws IOException {
    StringBuilder request =
        new StringBuilder("GET / HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n");
    if (credentials != null) {
      request
          .append("Authorization: Basic ")
          .append(Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
          .append("\r\n");
    }
    request.append("\r\n");
    try (Socket socket = new Socket("127.0.0.1", httpPort)) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
