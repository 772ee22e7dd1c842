package io.homelab.operator.driver.caddy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.homelab.operator.api.route.RouteAccess;
import io.homelab.operator.api.route.RouteSpec;
import io.homelab.operator.api.route.RouteTls;
import io.homelab.operator.driver.caddy.CaddyDriver.Apps;
import io.homelab.operator.driver.caddy.CaddyDriver.Change;
import io.homelab.operator.model.CaddyPlan;
import io.homelab.operator.model.CaddyRoute;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HttpCaddyDriver} against the real caddy: the user's own server stays as it was, the
 * operator's server and routes are written in one write per change and none at steady state, a
 * listener conflict names the other server, a concurrent edit is detected, and a request for a
 * routed host name reaches its upstream over HTTPS from Caddy's internal CA. The driver reaches the
 * admin API through a TCP forward, as it does through SSH in production.
 */
class CaddyDriverTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String PREFIX = "homelab-test-";

  /** The {@code @id} of a Route of this installation: only such an id is the operator's. */
  static String id(String route) {
    return new io.homelab.operator.model.OwnerMarker("test", "Route", "ns", route).compactId();
  }

  static Vertx vertx;

  @TempDir Path dir;
  CaddyLab lab;
  CaddyProcess caddy;
  CaddyDriver driver;
  int userPort;
  int httpsPort;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close();
  }

  @BeforeEach
  void start() {
    lab = new CaddyLab(vertx, dir);
    caddy = lab.caddy;
    userPort = lab.userPort;
    httpsPort = lab.httpsPort;
    driver = lab.driver(PREFIX);
  }

  private CaddyDriver driver(String adminAddress) {
    return lab.driver(adminAddress, PREFIX);
  }

  @AfterEach
  void stop() {
    driver.close();
    lab.close();
  }

  @Test
  void createsItsServerAndLeavesTheUsersAlone() {
    String theirsBefore = driver.read().server("mine").toString();
    Apps apps = driver.read();
    assertThat(driver.ensureServer(apps, List.of(":" + httpsPort))).isEqualTo(Change.CREATED);

    Apps after = driver.read();
    assertThat(after.server(CaddyPlan.OWN_SERVER).path("listen").get(0).asText())
        .isEqualTo(":" + httpsPort);
    assertThat(after.server("mine").toString()).isEqualTo(theirsBefore);
    int writes = writes();
    assertThat(driver.ensureServer(after, List.of(":" + httpsPort))).isEqualTo(Change.NONE);
    assertThat(writes()).as("no write when the server is as wanted").isEqualTo(writes);
  }

  @Test
  void aListenerConflictNamesTheServerAndWritesNothing() {
    Apps apps = driver.read();
    assertThatThrownBy(() -> driver.ensureServer(apps, List.of(":" + userPort)))
        .isInstanceOfSatisfying(
            ListenerConflictException.class,
            e -> {
              assertThat(e.server()).isEqualTo("mine");
              assertThat(e.address()).isEqualTo(":" + userPort);
            });
    assertThat(writes()).isZero();
  }

  @Test
  void routesGoIntoANamedServerBesideTheirs() {
    Apps apps = driver.read();
    assertThat(driver.replaceRoutes(apps, "mine", routes(2))).isEqualTo(Change.UPDATED);

    JsonNode routes = driver.read().server("mine").path("routes");
    assertThat(routes).hasSize(3);
    assertThat(routes.get(0).path("@id").asText()).startsWith(PREFIX);
    assertThat(routes.get(2).toString()).contains("theirs");

    assertThat(driver.remove(driver.read(), "mine")).isEqualTo(Change.REMOVED);
    JsonNode left = driver.read().server("mine").path("routes");
    assertThat(left).hasSize(1);
    assertThat(left.get(0).toString()).contains("theirs");
  }

  @Test
  void twoHundredRoutesTakeOneWriteAndTheSameSetNone() {
    driver.ensureServer(driver.read(), List.of(":" + httpsPort));
    List<ObjectNode> routes = routes(200);
    int before = writes();
    assertThat(driver.replaceRoutes(driver.read(), CaddyPlan.OWN_SERVER, routes))
        .isEqualTo(Change.UPDATED);
    assertThat(writes() - before).as("writes for 200 new routes").isEqualTo(1);
    assertThat(driver.read().server(CaddyPlan.OWN_SERVER).path("routes")).hasSize(200);

    assertThat(driver.replaceRoutes(driver.read(), CaddyPlan.OWN_SERVER, routes(200)))
        .isEqualTo(Change.NONE);
    assertThat(writes() - before).as("writes for the same 200 routes again").isEqualTo(1);
  }

  @Test
  void duplicateIdsAreRefusedBeforeAnyWrite() {
    List<ObjectNode> routes = routes(2);
    routes.get(1).put("@id", routes.get(0).path("@id").asText());
    assertThatThrownBy(() -> driver.replaceRoutes(driver.read(), "mine", routes))
        .hasMessageContaining("duplicate route @id");
    assertThat(writes()).isZero();
  }

  @Test
  void aConcurrentEditIsDetectedNotOverwritten() {
    driver.ensureServer(driver.read(), List.of(":" + httpsPort));
    Apps stale = driver.read();
    // Someone else changes Caddy between our read and our write.
    driver.replaceRoutes(driver.read(), "mine", routes(1));
    assertThatThrownBy(() -> driver.replaceRoutes(stale, CaddyPlan.OWN_SERVER, routes(3)))
        .isInstanceOfSatisfying(
            CaddyException.class,
            e -> {
              assertThat(e.isTransient()).isTrue();
              assertThat(e).hasMessageContaining("412");
            });
    assertThat(driver.read().server(CaddyPlan.OWN_SERVER).path("routes")).isEmpty();
  }

  @Test
  void theAdminRefusesAnotherHost() {
    try (CaddyDriver wrongHost = driver("example.invalid:2019")) {
      assertThatThrownBy(wrongHost::read)
          .isInstanceOfSatisfying(
              CaddyException.class,
              e -> {
                assertThat(e.isTransient()).isFalse();
                assertThat(e).hasMessageContaining("403");
              });
    }
  }

  @Test
  void caddyRestartedEmptyIsSeenAndTheServerComesBack() {
    driver.ensureServer(driver.read(), List.of(":" + httpsPort));
    caddy.restartEmpty();
    Apps empty = driver.read();
    assertThat(empty.empty()).isTrue();
    assertThat(driver.ensureServer(empty, List.of(":" + httpsPort))).isEqualTo(Change.CREATED);
    assertThat(driver.read().server(CaddyPlan.OWN_SERVER)).isNotNull();
  }

  @Test
  void aRoutedHostnameReachesItsUpstreamOverHttpsFromTheInternalIssuer() throws Exception {
    HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext(
        "/",
        exchange -> {
          byte[] body =
              ("upstream saw " + exchange.getRequestHeaders().getFirst("Host"))
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    upstream.start();
    try {
      driver.ensureServer(driver.read(), List.of(":" + httpsPort));
      ObjectNode route = route(id("app"), "app.homelab.test");
      route
          .putArray("handle")
          .addObject()
          .put("handler", "reverse_proxy")
          .putArray("upstreams")
          .addObject()
          .put("dial", "127.0.0.1:" + upstream.getAddress().getPort());
      driver.replaceRoutes(driver.read(), CaddyPlan.OWN_SERVER, List.of(route));
      ObjectNode policy = JSON.createObjectNode();
      policy.putArray("subjects").add("app.homelab.test");
      policy.putArray("issuers").addObject().put("module", "internal");
      assertThat(driver.ensureTlsPolicy(driver.read(), PREFIX + "tls", policy))
          .isEqualTo(Change.CREATED);
      assertThat(driver.ensureTlsPolicy(driver.read(), PREFIX + "tls", policy))
          .isEqualTo(Change.NONE);

      String response =
          org.awaitility.Awaitility.await("HTTPS through Caddy")
              .atMost(Duration.ofSeconds(20))
              .ignoreExceptions()
              .until(
                  () -> httpsGet("app.homelab.test", httpsPort), r -> r.startsWith("HTTP/1.1 200"));
      assertThat(response).contains("upstream saw app.homelab.test");
    } finally {
      upstream.stop(0);
    }
  }

  @Test
  void aRenderedRouteEnforcesItsClientNetworksAndSendsHsts() throws Exception {
    driver.ensureServer(driver.read(), List.of(":" + httpsPort));
    RouteSpec open = spec("open.homelab.test", List.of("127.0.0.0/8"));
    RouteSpec closed = spec("closed.homelab.test", List.of("198.51.100.0/24"));
    // The upstream is Caddy's own user server, which answers "theirs".
    List<ObjectNode> routes =
        List.of(
            CaddyRoute.render(id("open"), open, "127.0.0.1:" + userPort, null),
            CaddyRoute.render(id("closed"), closed, "127.0.0.1:" + userPort, null));
    driver.replaceRoutes(driver.read(), CaddyPlan.OWN_SERVER, routes);
    ObjectNode policy =
        CaddyRoute.tlsPolicy(List.of("open.homelab.test", "closed.homelab.test"), true, null, null);
    driver.ensureTlsPolicy(driver.read(), PREFIX + "tls", policy);

    String allowed =
        org.awaitility.Awaitility.await("HTTPS to open.homelab.test")
            .atMost(Duration.ofSeconds(20))
            .ignoreExceptions()
            .until(
                () -> httpsGet("open.homelab.test", httpsPort), r -> r.startsWith("HTTP/1.1 200"));
    assertThat(allowed)
        .contains("theirs")
        .containsIgnoringCase("Strict-Transport-Security: max-age=600");
    String refused =
        org.awaitility.Awaitility.await("HTTPS to closed.homelab.test")
            .atMost(Duration.ofSeconds(20))
            .ignoreExceptions()
            .until(() -> httpsGet("closed.homelab.test", httpsPort), r -> r.startsWith("HTTP/1.1"));
    assertThat(refused).startsWith("HTTP/1.1 403");
  }

  private static RouteSpec spec(String hostname, List<String> allowedCidrs) {
    RouteSpec spec = new RouteSpec();
    spec.setHostname(hostname);
    RouteAccess access = new RouteAccess();
    access.setAllowedCidrs(allowedCidrs);
    spec.setAccess(access);
    RouteTls tls = new RouteTls();
    tls.setHsts(true);
    tls.setHstsMaxAgeSeconds(600);
    spec.setTls(tls);
    return spec;
  }

  private String httpsGet(String host, int port) throws Exception {
    return TlsProbe.get(
        dir.resolve("data/caddy/pki/authorities/local/root.crt"), host, "127.0.0.1", port);
  }

  private int writes() {
    return lab.writes();
  }

  private static List<ObjectNode> routes(int count) {
    List<ObjectNode> routes = new ArrayList<>();
    IntStream.range(0, count)
        .forEach(
            i -> {
              ObjectNode route = route(id("r" + i), "r" + i + ".homelab.test");
              route
                  .putArray("handle")
                  .addObject()
                  .put("handler", "static_response")
                  .put("body", "route " + i);
              routes.add(route);
            });
    return routes;
  }

  private static ObjectNode route(String id, String host) {
    ObjectNode route = JSON.createObjectNode();
    route.put("@id", id);
    route.putArray("match").addObject().putArray("host").add(host);
    route.put("terminal", true);
    return route;
  }
}
