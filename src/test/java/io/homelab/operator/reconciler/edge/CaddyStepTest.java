package io.homelab.operator.reconciler.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.homelab.operator.api.edge.CaddyIssuer;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeCaddy;
import io.homelab.operator.api.edge.EdgeSpec;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.route.RouteSpec;
import io.homelab.operator.driver.caddy.CaddyDriver;
import io.homelab.operator.driver.caddy.CaddyLab;
import io.homelab.operator.driver.caddy.CaddyProcess;
import io.homelab.operator.model.CaddyPlan;
import io.homelab.operator.model.OwnerMarker;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Caddy part of the Edge's reconcile, on the real caddy: it creates the server and the routes
 * once and writes nothing at steady state, restores a Caddy restarted empty, reports a listener
 * conflict or a missing named server, writes nothing while writes are suspended, and removes only
 * what is the operator's.
 */
class CaddyStepTest {

  static final java.util.function.Function<
          io.homelab.operator.api.route.Route,
          java.util.Optional<io.homelab.operator.model.CaddyRoute.Account>>
      NO_ACCOUNT = r -> java.util.Optional.empty();

  static final String OWNER = "test";
  static Vertx vertx;

  @TempDir Path dir;
  CaddyLab lab;
  CaddyProcess caddy;
  CaddyDriver driver;
  int userPort;
  int ourPort;

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
    ourPort = lab.httpsPort;
    driver = lab.driver(OwnerMarker.idPrefix(OWNER));
  }

  @AfterEach
  void stop() {
    driver.close();
    lab.close();
  }

  @Test
  void servesTheRoutesOnceAndWritesNothingAtSteadyState() {
    Edge edge = edge(null, ":" + ourPort);
    List<Route> routes = List.of(route("app"), route("blog"));
    CaddyStep.Outcome first =
        CaddyStep.apply(edge, driver, OWNER, routes, r -> "10.77.0.2:80", NO_ACCOUNT, true);
    assertThat(first.verdict().holds()).as(first.verdict().message()).isTrue();
    assertThat(first.routes()).isEqualTo(2);
    assertThat(driver.read().server(CaddyPlan.OWN_SERVER).path("routes")).hasSize(2);

    int writes = writes();
    CaddyStep.Outcome again =
        CaddyStep.apply(edge, driver, OWNER, routes, r -> "10.77.0.2:80", NO_ACCOUNT, true);
    assertThat(again.verdict().holds()).isTrue();
    assertThat(writes()).as("writes at steady state").isEqualTo(writes);
    assertThat(
            caddy
                .adminRequests()
                .subList(caddy.adminRequests().size() - 1, caddy.adminRequests().size()))
        .as("a poll at steady state is one read")
        .containsExactly("GET /config/apps");
  }

  @Test
  void aCaddyRestartedEmptyGetsItsServerAndRoutesBack() {
    Edge edge = edge(null, ":" + ourPort);
    List<Route> routes = List.of(route("app"));
    CaddyStep.apply(edge, driver, OWNER, routes, r -> "10.77.0.2:80", NO_ACCOUNT, true);
    caddy.restartEmpty();

    CaddyStep.Outcome outcome =
        CaddyStep.apply(edge, driver, OWNER, routes, r -> "10.77.0.2:80", NO_ACCOUNT, true);
    assertThat(outcome.restored()).isTrue();
    assertThat(outcome.verdict().holds()).isTrue();
    assertThat(driver.read().server(CaddyPlan.OWN_SERVER).path("routes")).hasSize(1);
  }

  @Test
  void aListenerConflictIsReportedWithTheOtherServer() {
    CaddyStep.Outcome outcome =
        CaddyStep.apply(
            edge(null, ":" + userPort),
            driver,
            OWNER,
            List.of(route("app")),
            r -> "10.77.0.2:80",
            NO_ACCOUNT,
            true);
    assertThat(outcome.verdict().holds()).isFalse();
    assertThat(outcome.verdict().reason()).isEqualTo("ListenerConflict");
    assertThat(outcome.verdict().message()).contains("'mine'");
    assertThat(writes()).isZero();
  }

  @Test
  void aNamedServerGetsTheRoutesBesideItsOwnAndLosesOnlyThoseOnRemoval() {
    CaddyStep.Outcome missing =
        CaddyStep.apply(
            edge("nope", null),
            driver,
            OWNER,
            List.of(route("app")),
            r -> "10.77.0.2:80",
            NO_ACCOUNT,
            true);
    assertThat(missing.verdict().reason()).isEqualTo("ServerNotFound");

    Edge edge = edge("mine", null);
    CaddyStep.Outcome outcome =
        CaddyStep.apply(
            edge, driver, OWNER, List.of(route("app")), r -> "10.77.0.2:80", NO_ACCOUNT, true);
    assertThat(outcome.verdict().holds()).isTrue();
    assertThat(driver.read().server("mine").path("routes")).hasSize(2);
    assertThat(driver.read().server(CaddyPlan.OWN_SERVER)).isNull();

    CaddyStep.remove(edge, driver, OWNER);
    assertThat(driver.read().server("mine").path("routes")).hasSize(1);
    assertThat(driver.read().server("mine").toString()).contains("theirs");
    assertThat(driver.read().tlsPolicies()).isEmpty();
  }

  @Test
  void nothingIsWrittenWhileWritesAreSuspended() {
    CaddyStep.Outcome outcome =
        CaddyStep.apply(
            edge(null, ":" + ourPort),
            driver,
            OWNER,
            List.of(route("app")),
            r -> "10.77.0.2:80",
            NO_ACCOUNT,
            false);
    assertThat(outcome.verdict().status().name()).isEqualTo("Unknown");
    assertThat(writes()).isZero();
  }

  @Test
  void aRouteWithoutUpstreamIsNotServed() {
    CaddyStep.Outcome outcome =
        CaddyStep.apply(
            edge(null, ":" + ourPort),
            driver,
            OWNER,
            List.of(route("app")),
            r -> null,
            NO_ACCOUNT,
            true);
    assertThat(outcome.routes()).isZero();
    assertThat(driver.read().server(CaddyPlan.OWN_SERVER).path("routes")).isEmpty();
  }

  /**
   * Caddy refuses a host name twice in its TLS policies (500 on every write): two Routes with one
   * host name put it into the policy once, and the next pass writes nothing.
   */
  @Test
  void twoRoutesWithOneHostNameWriteThePolicyOnceAndNothingAtSteadyState() {
    Edge edge = edge(null, ":" + ourPort);
    Route other = route("app");
    other.getMetadata().setNamespace("other");
    List<Route> routes = List.of(route("app"), other, route("blog"));
    CaddyStep.Outcome first =
        CaddyStep.apply(edge, driver, OWNER, routes, r -> "10.77.0.2:80", NO_ACCOUNT, true);
    assertThat(first.verdict().holds()).as(first.verdict().message()).isTrue();
    assertThat(driver.read().tlsPolicies().get(0).path("subjects").toString())
        .isEqualTo("[\"app.homelab.test\",\"blog.homelab.test\"]");

    int writes = writes();
    for (int pass = 0; pass < 3; pass++) {
      CaddyStep.apply(edge, driver, OWNER, routes, r -> "10.77.0.2:80", NO_ACCOUNT, true);
    }
    assertThat(writes()).as("writes at steady state").isEqualTo(writes);
  }

  /**
   * A host name under a TLS policy that is not the Edge's cannot be under the Edge's too (Caddy
   * answers 500): its route is left out, the Edge says so, the other policy stays as it was, the
   * other names are served, and no pass writes again.
   */
  @Test
  void aHostNameUnderSomeoneElsesTlsPolicyIsLeftToItWithoutRetryingWrites() {
    driver.ensureTlsPolicy(
        driver.read(),
        OwnerMarker.idPrefix("other") + "tls-lookalike",
        io.homelab.operator.model.CaddyRoute.tlsPolicy(
            List.of("app.homelab.test"), true, null, null));
    String theirs = driver.read().tlsPolicies().toString();
    Edge edge = edge(null, ":" + ourPort);
    List<Route> routes = List.of(route("app"), route("blog"));

    CaddyStep.Outcome first =
        CaddyStep.apply(edge, driver, OWNER, routes, r -> "10.77.0.2:80", NO_ACCOUNT, true);
    assertThat(first.verdict().holds()).as(first.verdict().message()).isTrue();
    assertThat(first.verdict().message())
        .contains("not served")
        .contains("app.homelab.test")
        .doesNotContain("blog.homelab.test");
    assertThat(first.hostnames()).containsExactly("blog.homelab.test");
    assertThat(driver.read().server(CaddyPlan.OWN_SERVER).path("routes").toString())
        .contains("blog.homelab.test")
        .doesNotContain("app.homelab.test");
    assertThat(driver.read().tlsPolicies().toString()).contains(theirs.substring(1));

    int writes = writes();
    for (int pass = 0; pass < 3; pass++) {
      CaddyStep.apply(edge, driver, OWNER, routes, r -> "10.77.0.2:80", NO_ACCOUNT, true);
    }
    assertThat(writes()).as("writes while the name stays under the other policy").isEqualTo(writes);

    CaddyStep.remove(edge, driver, OWNER);
    assertThat(driver.read().tlsPolicies().toString()).isEqualTo(theirs);
  }

  private int writes() {
    return lab.writes();
  }

  static Edge edge(String server, String listen) {
    Edge edge = new Edge();
    edge.setMetadata(new ObjectMetaBuilder().withName("vps").withNamespace("web").build());
    EdgeSpec spec = new EdgeSpec();
    EdgeCaddy caddy = new EdgeCaddy();
    caddy.setServer(server);
    caddy.setIssuer(CaddyIssuer.Internal);
    if (listen != null) {
      caddy.setListen(List.of(listen));
    }
    spec.setCaddy(caddy);
    edge.setSpec(spec);
    return edge;
  }

  static Route route(String name) {
    Route route = new Route();
    route.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("web").build());
    RouteSpec spec = new RouteSpec();
    spec.setHostname(name + ".homelab.test");
    route.setSpec(spec);
    return route;
  }
}
