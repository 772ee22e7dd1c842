package io.homelab.operator.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.sandbox.npm.NpmSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes API unavailable for a while (every connection to it refused and the open ones
 * closed): the packaged operator either rides it out or, having lost its Lease, exits as leader
 * election requires and is started again (as the kubelet would restart its container). Once the API
 * is back, drift made during the outage is repaired, work applied after it converges, and the
 * external systems hold each object exactly once.
 *
 * <p>The outage lasts {@code outage.seconds} (default 30: longer than the Lease's 15 s, so the
 * leader loses it as in a minute-long outage; the documented full run uses 60).
 */
class ApiOutageIT {

  static final String NAMESPACE = "outage";
  static final Duration DEADLINE = Duration.ofSeconds(120);

  private SimulatedHomelab homelab;
  private CuttableForward forward;
  private OperatorProcess operator;

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
    if (forward != null) {
      forward.close();
    }
    if (homelab != null) {
      homelab.close();
    }
  }

  @Test
  void theOperatorComesThroughAnApiOutageAndRepairsWhatDriftedMeanwhile() {
    Duration outage = Duration.ofSeconds(Long.getLong("outage.seconds", 30));
    homelab = new SimulatedHomelab(NAMESPACE);
    forward = new CuttableForward(homelab.api.port());
    operator =
        homelab
            .operator("outage")
            .with("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", "https://127.0.0.1:" + forward.port())
            .start();
    homelab.edge();
    homelab.tunnel("home", 0);
    homelab.route("app", "home");
    homelab.route("blog", "home");
    homelab.guest("vm", 0);
    awaitOrFail("everything Ready before the outage", () -> notReady().isEmpty());

    forward.cut();
    Instant cut = Instant.now();
    // Drift while the API is away: someone deletes a proxy host in NPM's UI.
    int blog =
        homelab.npm.hosts(NpmSimulator.HostKind.PROXY).entrySet().stream()
            .filter(
                e ->
                    e.getValue()
                        .path("domain_names")
                        .path(0)
                        .asText()
                        .equals(SimulatedHomelab.hostname("blog")))
            .findFirst()
            .orElseThrow()
            .getKey();
    deleteProxyHost(blog);
    awaitOrFail(
        "the outage of " + outage.toSeconds() + " s",
        () -> Duration.between(cut, Instant.now()).compareTo(outage) >= 0);
    boolean exited = !operator.isAlive();
    forward.restore();
    if (exited) {
      // What the kubelet does for a container that exited.
      operator.start();
    }
    System.out.println(
        "ApiOutageIT: API away for "
            + outage.toSeconds()
            + " s; the operator "
            + (exited ? "exited (Lease lost) and was started again" : "kept running"));

    homelab.route("late", "home");
    awaitOrFail(
        "everything Ready after the outage, the deleted proxy host back, the new Route too",
        () ->
            notReady().isEmpty()
                && homelab.list(Route.class).size() == 3
                && homelab.proxyHosts().containsKey(SimulatedHomelab.hostname("blog")));
    List<String> names = List.of("app", "blog", "late");
    for (String n : names) {
      String host = SimulatedHomelab.hostname(n);
      assertThat(homelab.proxyHosts()).as("proxy hosts").containsEntry(host, 1L);
      assertThat(homelab.records()).as("records").containsEntry("A " + host, 1L);
      assertThat(homelab.caddyRoutes()).as("Caddy routes").containsEntry(host, 1L);
    }
    assertThat(homelab.proxyHosts()).hasSize(3);
    assertThat(homelab.records()).hasSize(3);
    assertThat(homelab.caddyRoutes()).hasSize(3);
    assertThat(homelab.peers()).hasSize(1).containsValues(1L);
    assertThat(homelab.guests()).hasSize(1).containsValues(1L);
  }

  private void deleteProxyHost(int id) {
    // As NPM's UI does: through its API, with a token of the account.
    var http = java.net.http.HttpClient.newHttpClient();
    try {
      var login =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(homelab.npm.apiUrl() + "/tokens"))
                  .header("Content-Type", "application/json")
                  .POST(
                      java.net.http.HttpRequest.BodyPublishers.ofString(
                          "{\"identity\":\""
                              + SimulatedHomelab.NPM_IDENTITY
                              + "\",\"secret\":\""
                              + SimulatedHomelab.NPM_SECRET
                              + "\"}"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      String token =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(login.body())
              .path("token")
              .asText();
      var deleted =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(homelab.npm.apiUrl() + "/nginx/proxy-hosts/" + id))
                  .header("Authorization", "Bearer " + token)
                  .DELETE()
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(deleted.statusCode()).as("deleting proxy host %d in NPM", id).isEqualTo(200);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private List<String> notReady() {
    List<String> names = new ArrayList<>();
    names.addAll(homelab.notReady(Edge.class));
    names.addAll(homelab.notReady(Tunnel.class));
    names.addAll(homelab.notReady(Route.class));
    names.addAll(homelab.notReady(Guest.class));
    return names;
  }

  private void awaitOrFail(String what, Callable<Boolean> condition) {
    try {
      await(what)
          .atMost(DEADLINE)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(250))
          .until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          what
              + " did not happen within "
              + DEADLINE
              + "; not Ready: "
              + notReady()
              + "; "
              + homelab.externalSummary()
              + " "
              + Map.of("alive", operator.isAlive())
              + operator.tail(),
          e);
    }
  }
}
