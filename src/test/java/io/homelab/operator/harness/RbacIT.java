package io.homelab.operator.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.chart.Charts;
import io.homelab.operator.chart.Rbac;
import io.homelab.operator.sandbox.kube.SandboxApiServer.ApiRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC is exactly what the operator uses. The packaged operator (prod profile, so with
 * leader election) runs against the sandbox API server, which records every request; it creates,
 * changes and deletes an Edge, a Tunnel, a Route and a Guest. Each request it made is turned into
 * the right it needs (resource and verb: a GET of a collection with {@code watch=true} is watch),
 * and the set is compared with what the chart's ClusterRoles and Roles grant: none missing, none
 * unused. The operator's requests are told from the test's own by the token it sends. Requests
 * outside the resource API (discovery, {@code /version}) and the self-reviews every user may make
 * ({@link Rbac#EVERY_USER}) need no grant.
 *
 * <p>The rights seen are written to {@code target/rbac/observed-rights.txt}.
 */
class RbacIT {

  static final String NAMESPACE = "rbac";
  static final String TOKEN = "rbac-operator-token";
  static final Duration DEADLINE = Duration.ofSeconds(120);

  private SimulatedHomelab homelab;
  private OperatorProcess operator;

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
    if (homelab != null) {
      homelab.close();
    }
  }

  @Test
  void theChartGrantsWhatTheOperatorUsesAndNothingElse() throws IOException {
    homelab = new SimulatedHomelab(NAMESPACE);
    homelab.api.recordRequests();
    operator = homelab.operator("rbac").with("QUARKUS_KUBERNETES_CLIENT_TOKEN", TOKEN).start();

    homelab.edge();
    homelab.tunnel("home0", 0);
    homelab.route("app0", "home0");
    homelab.guest("vm0", 0);
    awaitOrFail("every object Ready", this::allReady);

    // A change of each kind that reaches the external systems.
    homelab
        .client
        .resources(Route.class)
        .inNamespace(NAMESPACE)
        .withName("app0")
        .edit(
            r -> {
              r.getSpec().setWebsockets(true);
              return r;
            });
    homelab
        .client
        .resources(Guest.class)
        .inNamespace(NAMESPACE)
        .withName("vm0")
        .edit(
            g -> {
              g.getSpec().setCores(g.getSpec().getCores() + 1);
              return g;
            });
    awaitOrFail("the changed objects Ready at their new generation", this::allReady);

    homelab.delete(Route.class, "app0");
    homelab.delete(Guest.class, "vm0");
    homelab.delete(Tunnel.class, "home0");
    homelab.delete(Edge.class, SimulatedHomelab.EDGE);
    awaitOrFail(
        "every object gone",
        () ->
            homelab.list(Edge.class).isEmpty()
                && homelab.list(Tunnel.class).isEmpty()
                && homelab.list(Route.class).isEmpty()
                && homelab.list(Guest.class).isEmpty());

    Map<String, String> observed = observedRights(homelab.api.requests());
    Path file = Path.of("target", "rbac", "observed-rights.txt");
    Files.createDirectories(file.getParent());
    Files.write(
        file,
        observed.entrySet().stream().map(e -> e.getKey() + "\t# e.g. " + e.getValue()).toList());

    Set<String> granted = Rbac.granted(Charts.render(Charts.OPERATOR, Map.of()));
    assertThat(observed).as("rights the operator used (from its requests)").isNotEmpty();
    Set<String> missing = new TreeSet<>(observed.keySet());
    missing.removeAll(granted);
    missing.removeAll(Rbac.EVERY_USER);
    Set<String> unused = new TreeSet<>(granted);
    unused.removeAll(observed.keySet());
    assertThat(missing)
        .as("rights the operator used that the chart does not grant (seen: %s)", observed)
        .isEmpty();
    assertThat(unused)
        .as("rights the chart grants that the operator never used (seen: %s)", observed.keySet())
        .isEmpty();
  }

  /** The right each of the operator's requests needed, with one request that needed it. */
  static Map<String, String> observedRights(List<ApiRequest> requests) {
    Map<String, String> rights = new TreeMap<>();
    for (ApiRequest request : requests) {
      if (!Objects.equals(request.authorization(), "Bearer " + TOKEN)) {
        continue;
      }
      String right = Rbac.needed(request.method(), request.target());
      if (right != null) {
        rights.putIfAbsent(right, request.method() + " " + request.target());
      }
    }
    return rights;
  }

  private boolean allReady() {
    return homelab.notReady(Edge.class).isEmpty()
        && homelab.notReady(Tunnel.class).isEmpty()
        && homelab.notReady(Route.class).isEmpty()
        && homelab.notReady(Guest.class).isEmpty()
        && !homelab.list(Guest.class).isEmpty();
  }

  private void awaitOrFail(String what, Callable<Boolean> condition) {
    try {
      await()
          .atMost(DEADLINE)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(200))
          .until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "Timed out after " + DEADLINE + " waiting for " + what + operator.tail(), e);
    }
  }
}
