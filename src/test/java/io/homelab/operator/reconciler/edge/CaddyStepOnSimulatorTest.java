package io.homelab.operator.reconciler.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.homelab.operator.driver.caddy.CaddyAdmin;
import io.homelab.operator.driver.caddy.CaddyDriver;
import io.homelab.operator.driver.caddy.HttpCaddyDriver;
import io.homelab.operator.model.CaddyPlan;
import io.homelab.operator.model.OwnerMarker;
import io.homelab.operator.sandbox.caddy.CaddyAdminSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Edge's Caddy step against the sandbox's Caddy admin simulator, through the real driver: it
 * must take the operator's calls as Caddy does (the same step is checked against the real caddy in
 * CaddyStepTest): server, routes and TLS policy made once, nothing written at steady state, a stale
 * ETag refused, and removal leaving nothing of ours.
 */
class CaddyStepOnSimulatorTest {

  private Vertx vertx;
  private CaddyAdminSimulator caddy;
  private CaddyDriver driver;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    caddy = new CaddyAdminSimulator();
    String[] address = caddy.adminAddress().split(":");
    driver =
        new HttpCaddyDriver(
            new CaddyAdmin(
                vertx,
                SocketAddress.inetSocketAddress(Integer.parseInt(address[1]), address[0]),
                caddy.adminAddress(),
                Duration.ofSeconds(5)),
            OwnerMarker.idPrefix(CaddyStepTest.OWNER),
            "test/vps");
  }

  @AfterEach
  void stop() {
    driver.close();
    caddy.close();
    vertx.close();
  }

  @Test
  void theOperatorsServerRoutesAndPolicyOnceThenNoWritesThenNothingLeft() {
    var edge = CaddyStepTest.edge(null, ":8443");
    var routes = List.of(CaddyStepTest.route("app"), CaddyStepTest.route("blog"));

    CaddyStep.Outcome first = apply(edge, routes);

    assertThat(first.hostnames()).containsExactly("app.homelab.test", "blog.homelab.test");
    var server =
        caddy.config().path("apps").path("http").path("servers").path(CaddyPlan.OWN_SERVER);
    assertThat(server.path("listen").toString()).isEqualTo("[\":8443\"]");
    assertThat(server.path("routes")).hasSize(2);
    assertThat(caddy.config().path("apps").path("tls").path("automation").path("policies"))
        .hasSize(1);

    long writes = caddy.server().writes();
    apply(edge, routes);
    assertThat(caddy.server().writes()).as("writes at steady state").isEqualTo(writes);

    CaddyStep.remove(edge, driver, CaddyStepTest.OWNER);
    assertThat(caddy.config().path("apps").path("http").path("servers").has(CaddyPlan.OWN_SERVER))
        .isFalse();
    assertThat(caddy.config().path("apps").path("tls").path("automation").path("policies"))
        .isEmpty();
  }

  @Test
  void aNewNameIsUnderTheTlsPolicyBeforeItsRouteIsWrittenAndLeavesItAfterItsRouteIsGone() {
    var edge = CaddyStepTest.edge(null, ":8443");
    var app = CaddyStepTest.route("app");
    var blog = CaddyStepTest.route("blog");
    apply(edge, List.of(app));

    int from = caddy.server().requests().size();
    apply(edge, List.of(app, blog));
    List<String> adding = writes(from);
    assertThat(firstIndex(adding, "/config/apps/tls"))
        .as("the policy before the route, in %s", adding)
        .isNotNegative()
        .isLessThan(firstIndex(adding, "/routes"));
    assertThat(policySubjects()).containsExactly("app.homelab.test", "blog.homelab.test");

    from = caddy.server().requests().size();
    apply(edge, List.of(app));
    List<String> removing = writes(from);
    assertThat(firstIndex(removing, "/routes"))
        .as("the route before the policy, in %s", removing)
        .isNotNegative()
        .isLessThan(firstIndex(removing, "/config/apps/tls"));
    assertThat(policySubjects()).containsExactly("app.homelab.test");
  }

  @Test
  void routesOfAnotherInstallationInTheOperatorsServerStayAndSoDoesTheServer() throws Exception {
    var edge = CaddyStepTest.edge(null, ":8443");
    apply(edge, List.of(CaddyStepTest.route("app")));
    String theirs =
        "{\"@id\":\"homelab-other-0123456789abcdef\",\"match\":[{\"host\":[\"x.homelab.test\"]}]}";
    var http = java.net.http.HttpClient.newHttpClient();
    String routes =
        "http://"
            + caddy.adminAddress()
            + "/config/apps/http/servers/"
            + CaddyPlan.OWN_SERVER
            + "/routes";
    assertThat(send(http, "POST", routes, theirs, null).statusCode()).isEqualTo(200);

    apply(edge, List.of(CaddyStepTest.route("app"), CaddyStepTest.route("blog")));
    assertThat(ownRoutes()).hasSize(3).anyMatch(r -> r.contains("homelab-other-"));

    CaddyStep.remove(edge, driver, CaddyStepTest.OWNER);
    assertThat(ownRoutes()).containsExactly(SimulatorJson.compact(theirs));
  }

  /** One pass of the step, which must succeed. */
  private CaddyStep.Outcome apply(
      io.homelab.operator.api.edge.Edge edge, List<io.homelab.operator.api.route.Route> routes) {
    CaddyStep.Outcome outcome =
        CaddyStep.apply(
            edge,
            driver,
            CaddyStepTest.OWNER,
            routes,
            r -> "10.77.0.2:80",
            CaddyStepTest.NO_ACCOUNT,
            true);
    assertThat(outcome.verdict().holds()).as(outcome.verdict().toString()).isTrue();
    return outcome;
  }

  private List<String> writes(int from) {
    List<String> all = caddy.server().requests();
    return all.subList(from, all.size()).stream().filter(r -> !r.startsWith("GET ")).toList();
  }

  private static int firstIndex(List<String> requests, String fragment) {
    for (int i = 0; i < requests.size(); i++) {
      if (requests.get(i).contains(fragment)) {
        return i;
      }
    }
    return -1;
  }

  private List<String> policySubjects() {
    List<String> subjects = new java.util.ArrayList<>();
    caddy
        .config()
        .path("apps")
        .path("tls")
        .path("automation")
        .path("policies")
        .forEach(p -> p.path("subjects").forEach(n -> subjects.add(n.asText())));
    return subjects;
  }

  private List<String> ownRoutes() {
    List<String> routes = new java.util.ArrayList<>();
    caddy
        .config()
        .path("apps")
        .path("http")
        .path("servers")
        .path(CaddyPlan.OWN_SERVER)
        .path("routes")
        .forEach(r -> routes.add(r.toString()));
    return routes;
  }

  /** JSON text as Jackson writes it back. */
  private static final class SimulatorJson {
    static String compact(String json) {
      try {
        return io.homelab.operator.sandbox.SimulatorServer.JSON.readTree(json).toString();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @Test
  void aWriteWithAStaleEtagIsRefusedAndAMissingKeyCannotBePatched() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    String base = "http://" + caddy.adminAddress() + "/config/";
    var read =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "admin")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    String etag = read.headers().firstValue("Etag").orElseThrow();
    assertThat(send(http, "POST", base + "apps", "{}", etag).statusCode()).isEqualTo(200);
    assertThat(send(http, "POST", base + "apps", "{\"x\":{}}", etag).statusCode())
        .as("an ETag of another path, which did not change")
        .isEqualTo(200);
    var again =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "apps")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    String appsEtag = again.headers().firstValue("Etag").orElseThrow();
    assertThat(send(http, "PATCH", base + "apps/x", "{\"y\":1}", null).statusCode()).isEqualTo(200);
    assertThat(send(http, "DELETE", base + "apps/x", null, appsEtag).statusCode())
        .as("apps changed since its ETag was read")
        .isEqualTo(412);
    assertThat(send(http, "PATCH", base + "apps/missing", "{}", null).statusCode()).isEqualTo(404);
  }

  private static java.net.http.HttpResponse<String> send(
      java.net.http.HttpClient http, String method, String uri, String body, String ifMatch)
      throws Exception {
    var request =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(uri))
            .method(
                method,
                body == null
                    ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    if (ifMatch != null) {
      request.header("If-Match", ifMatch);
    }
    return http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }
}
