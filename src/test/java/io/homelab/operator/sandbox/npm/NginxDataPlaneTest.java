package io.homelab.operator.sandbox.npm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.homelab.operator.driver.JsonHttp;
import io.homelab.operator.testing.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NPM simulator with the real nginx (Debian package {@code nginx}; the test fails when it is
 * missing) as its data plane, on a loopback port of its own: a proxy host made through the API is
 * served by nginx, disabled and deleted hosts answer 404, and a host nginx refuses is reported as
 * NPM reports it while the others keep serving.
 */
class NginxDataPlaneTest {

  private static final String CLIENT = "198.51.100.7";

  private static String nginx;

  @TempDir Path dir;

  private final ManualClock clock = new ManualClock();
  private NpmSimulator npm;
  private NginxDataPlane plane;
  private HttpServer backend;
  private JsonHttp http;
  private String token;
  private int port;
  private long pid;

  @BeforeAll
  static void nginxIsInstalled() {
    for (String candidate : List.of("/usr/sbin/nginx", "nginx")) {
      try {
        Process p = new ProcessBuilder(candidate, "-v").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() == 0) {
          nginx = candidate;
          return;
        }
      } catch (IOException notThere) {
        // next candidate
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError(
        "These tests need nginx (Debian package 'nginx', listed in"
            + " src/test/setup/system-packages.list); `mvn verify` installs it as root, otherwise"
            + " run: apt-get install --no-install-recommends nginx");
  }

  @BeforeEach
  void start() throws IOException {
    backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.createContext(
        "/",
        exchange -> {
          StringBuilder seen = new StringBuilder();
          exchange
              .getRequestHeaders()
              .forEach(
                  (name, values) ->
                      values.forEach(
                          v ->
                              seen.append(name.toLowerCase(Locale.ROOT))
                                  .append(": ")
                                  .append(v)
                                  .append('\n')));
          byte[] body = seen.toString().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    backend.start();

    port = freePort();
    plane =
        new NginxDataPlane(
            dir.resolve("nginx"), "127.0.0.1:" + port, List.of("env", "LC_ALL=C"), nginx);
    plane.start();
    pid = plane.pid().orElseThrow();

    npm = new NpmSimulator(clock);
    npm.dataPlane(plane);
    npm.addUser("admin@example.com", "changeme", false);
    http = new JsonHttp(npm.apiUrl(), Duration.ofSeconds(30));
    JsonHttp.Reply login =
        call(
            "POST", "/tokens", null, Map.of("identity", "admin@example.com", "secret", "changeme"));
    assertThat(login.status()).isEqualTo(200);
    token = login.body().get("token").asText();
  }

  @AfterEach
  void stop() {
    try {
      plane.stop();
      assertThat(plane.running()).isFalse();
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("nginx master %s is gone", pid)
          .isFalse();
    } finally {
      npm.close();
      backend.stop(0);
    }
  }

  @Test
  void aProxyHostReachesTheBackendWithTheClientsAddressAndTheHost() throws IOException {
    int id = create(host("app.example.com", backend.getAddress().getPort())).get("id").asInt();

    Reply reply = get("app.example.com", "/", Map.of("X-Forwarded-For", CLIENT));

    assertThat(reply.status()).isEqualTo(200);
    Map<String, String> seen = reply.headersSeen();
    assertThat(seen.get("x-forwarded-for")).isEqualTo(CLIENT + ", 127.0.0.1");
    assertThat(seen.get("host")).isEqualTo("app.example.com");
    assertThat(seen.get("x-real-ip")).isEqualTo("127.0.0.1");
    assertThat(seen.get("x-forwarded-proto")).isEqualTo("http");
    assertThat(Files.readString(plane.hostFile(id)))
        .contains("listen 127.0.0.1:" + port + ";")
        .contains("server_name \"app.example.com\";");
    JsonNode meta = call("GET", "/nginx/proxy-hosts/" + id, token, null).body().get("meta");
    assertThat(meta.get("nginx_online").asBoolean()).isTrue();
    assertThat(meta.get("nginx_err").isNull()).isTrue();
    assertThat(get("other.example.com", "/", Map.of()).status()).isEqualTo(404);
  }

  @Test
  void trustedForwardedProtoWebSocketsAndExploitBlockingFollowTheHostsSwitches()
      throws IOException {
    Map<String, Object> body =
        new HashMap<>(host("ws.example.com", backend.getAddress().getPort()));
    body.put("trust_forwarded_proto", true);
    body.put("allow_websocket_upgrade", true);
    body.put("block_exploits", true);
    create(body);

    Map<String, String> seen =
        get(
                "ws.example.com",
                "/socket",
                Map.of("X-Forwarded-Proto", "https", "Upgrade", "websocket"))
            .headersSeen();
    assertThat(seen.get("x-forwarded-proto")).isEqualTo("https");
    assertThat(seen.get("upgrade")).isEqualTo("websocket");
    assertThat(seen.get("connection")).isEqualTo("upgrade");
    assertThat(get("ws.example.com", "/", Map.of()).headersSeen().get("x-forwarded-proto"))
        .isEqualTo("http");
    assertThat(get("ws.example.com", "/?id=1%20union%20select%20password", Map.of()).status())
        .isEqualTo(403);
    assertThat(get("ws.example.com", "/?file=../../etc/passwd", Map.of()).status()).isEqualTo(403);
    assertThat(get("ws.example.com", "/?id=1", Map.of()).status()).isEqualTo(200);
  }

  @Test
  void aDisabledHostIs404UntilItIsEnabledAgain() throws IOException {
    int id = create(host("app.example.com", backend.getAddress().getPort())).get("id").asInt();

    assertThat(call("POST", "/nginx/proxy-hosts/" + id + "/disable", token, null).status())
        .isEqualTo(200);
    assertThat(Files.exists(plane.hostFile(id))).isFalse();
    assertThat(get("app.example.com", "/", Map.of()).status()).isEqualTo(404);

    assertThat(call("POST", "/nginx/proxy-hosts/" + id + "/enable", token, null).status())
        .isEqualTo(200);
    assertThat(get("app.example.com", "/", Map.of()).status()).isEqualTo(200);
  }

  @Test
  void aHostNginxRefusesIsOfflineWithNginxsMessageWhileTheOthersKeepServing() throws IOException {
    int good = create(host("good.example.com", backend.getAddress().getPort())).get("id").asInt();
    Map<String, Object> bad = new HashMap<>(host("bad.example.com", 80));
    // An unclosed IPv6 bracket: nginx rejects it while parsing, without resolving any name.
    bad.put("forward_host", "[::1");
    JsonNode created = create(bad);
    int id = created.get("id").asInt();

    JsonNode meta = call("GET", "/nginx/proxy-hosts/" + id, token, null).body().get("meta");
    assertThat(meta.get("nginx_online").asBoolean()).isFalse();
    assertThat(meta.get("nginx_err").asText())
        .contains("[emerg]")
        .contains("invalid host in upstream \"[::1:80\"");
    assertThat(created.get("meta")).isEqualTo(meta);
    assertThat(Files.exists(plane.hostFile(id))).isFalse();
    assertThat(get("good.example.com", "/", Map.of()).status()).isEqualTo(200);
    assertThat(get("bad.example.com", "/", Map.of()).status()).isEqualTo(404);
    JsonNode goodMeta = call("GET", "/nginx/proxy-hosts/" + good, token, null).body().get("meta");
    assertThat(goodMeta.get("nginx_online").asBoolean()).isTrue();

    Map<String, Object> fixed = Map.of("forward_host", "127.0.0.1", "forward_port", backendPort());
    JsonNode updated = call("PUT", "/nginx/proxy-hosts/" + id, token, fixed).body();
    assertThat(updated.get("meta").get("nginx_online").asBoolean()).isTrue();
    assertThat(updated.get("meta").get("nginx_err").isNull()).isTrue();
    assertThat(get("bad.example.com", "/", Map.of()).status()).isEqualTo(200);
  }

  @Test
  void anInjectedNginxFailureTakesPrecedenceAndKeepsTheHostOut() throws IOException {
    npm.failNginx("held.example.com", "nginx: [emerg] injected");

    int id = create(host("held.example.com", backendPort())).get("id").asInt();

    JsonNode meta = call("GET", "/nginx/proxy-hosts/" + id, token, null).body().get("meta");
    assertThat(meta.get("nginx_online").asBoolean()).isFalse();
    assertThat(meta.get("nginx_err").asText()).isEqualTo("nginx: [emerg] injected");
    assertThat(Files.exists(plane.hostFile(id))).isFalse();
    assertThat(get("held.example.com", "/", Map.of()).status()).isEqualTo(404);
  }

  @Test
  void aDeletedHostLosesItsFileAndIs404() throws IOException {
    int id = create(host("app.example.com", backendPort())).get("id").asInt();
    assertThat(Files.exists(plane.hostFile(id))).isTrue();

    assertThat(call("DELETE", "/nginx/proxy-hosts/" + id, token, null).status()).isEqualTo(200);

    assertThat(Files.exists(plane.hostFile(id))).isFalse();
    assertThat(get("app.example.com", "/", Map.of()).status()).isEqualTo(404);
  }

  // --- helpers ----------------------------------------------------------------------------------

  private int backendPort() {
    return backend.getAddress().getPort();
  }

  private static Map<String, Object> host(String domain, int forwardPort) {
    return Map.of(
        "domain_names",
        List.of(domain),
        "forward_scheme",
        "http",
        "forward_host",
        "127.0.0.1",
        "forward_port",
        forwardPort);
  }

  private JsonNode create(Map<String, Object> body) throws IOException {
    JsonHttp.Reply reply = call("POST", "/nginx/proxy-hosts", token, body);
    assertThat(reply.status()).as("create %s", body).isEqualTo(200);
    return reply.body();
  }

  private JsonHttp.Reply call(String method, String path, String bearer, Object body)
      throws IOException {
    return http.send(
        method,
        path,
        bearer == null ? Map.of() : Map.of("Authorization", "Bearer " + bearer),
        body);
  }

  /** An HTTP reply; for the backend's, the headers it saw (lower-case names). */
  private record Reply(int status, String body) {
    Map<String, String> headersSeen() {
      assertThat(status).as("status of a reply from the backend: %s", body).isEqualTo(200);
      Map<String, String> seen = new LinkedHashMap<>();
      for (String line : body.split("\n")) {
        int colon = line.indexOf(": ");
        if (colon > 0) {
          seen.put(line.substring(0, colon), line.substring(colon + 2));
        }
      }
      return seen;
    }
  }

  /** A plain HTTP/1.1 GET to nginx, with the Host header given (which the JDK clients restrict). */
  private Reply get(String hostHeader, String path, Map<String, String> headers)
      throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      StringBuilder request = new StringBuilder();
      request.append("GET ").append(path).append(" HTTP/1.1\r\n");
      request.append("Host: ").append(hostHeader).append("\r\n");
      headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
      request.append("Connection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int status = Integer.parseInt(raw.substring(9, 12));
      int bodyStart = raw.indexOf("\r\n\r\n");
      String body = bodyStart < 0 ? "" : raw.substring(bodyStart + 4);
      if (raw.substring(0, Math.max(0, bodyStart)).toLowerCase(Locale.ROOT).contains("chunked")) {
        body = unchunk(body);
      }
      return new Reply(status, body);
    }
  }

  private static String unchunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].strip(), 16);
      if (size == 0) {
        return body.toString();
      }
      body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
