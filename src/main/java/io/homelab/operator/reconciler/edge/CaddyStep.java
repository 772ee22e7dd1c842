package io.homelab.operator.reconciler.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homelab.operator.api.edge.CaddyIssuer;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeCaddy;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.driver.DriverException;
import io.homelab.operator.driver.caddy.CaddyDriver;
import io.homelab.operator.driver.caddy.CaddyDriver.Apps;
import io.homelab.operator.driver.caddy.CaddyDriver.Change;
import io.homelab.operator.driver.caddy.ListenerConflictException;
import io.homelab.operator.model.CaddyPlan;
import io.homelab.operator.model.CaddyRoute;
import io.homelab.operator.model.OwnerMarker;
import io.homelab.operator.model.Verdict;
import io.homelab.operator.status.ConditionType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The Caddy part of an Edge's reconcile: one read of Caddy's apps, then, only where it differs, the
 * operator's server, its routes (one write for all of them) and its TLS policy. The answer is the
 * CaddyReady verdict and how many routes Caddy serves.
 */
final class CaddyStep {

  static final String READY = "Serving";
  static final String SERVER_NOT_FOUND = "ServerNotFound";
  static final String WOULD_WRITE = "WritesSuspended";

  /**
   * @param verdict CaddyReady
   * @param routes the routes Caddy serves for the Edge
   * @param restored true when the operator's server was missing and was put back (a Caddy restarted
   *     without its config, or the server removed by hand); the caller knows whether it had been
   *     there before
   */
  record Outcome(Verdict verdict, List<String> hostnames, boolean restored) {
    int routes() {
      return hostnames.size();
    }
  }

  private CaddyStep() {}

  /**
   * @param routes the Edge's Routes that are accepted and resolved
   * @param upstream the {@code host:port} each Route's traffic goes to through the tunnel, or null
   *     when its Tunnel has no address yet
   * @param accounts the basic-auth account of a Route asking for one; empty when its Secret does
   *     not hold one (the Route is then not served: better unreachable than open)
   * @param mayWrite false while the Edge is paused or the operator runs dry
   */
  static Outcome apply(
      Edge edge,
      CaddyDriver driver,
      String ownerId,
      List<Route> routes,
      Function<Route, String> upstream,
      Function<Route, java.util.Optional<CaddyRoute.Account>> accounts,
      boolean mayWrite) {
    EdgeCaddy caddy =
        edge.getSpec().getCaddy() == null ? new EdgeCaddy() : edge.getSpec().getCaddy();
    String server = caddy.getServer() == null ? CaddyPlan.OWN_SERVER : caddy.getServer();
    List<String> listen =
        caddy.getListen() == null || caddy.getListen().isEmpty()
            ? CaddyPlan.DEFAULT_LISTEN
            : caddy.getListen();
    java.util.Map<String, List<ObjectNode>> byHostname = new java.util.LinkedHashMap<>();
    for (Route route : routes) {
      String target = upstream.apply(route);
      boolean needsAccount =
          route.getSpec().getAccess() != null
              && route.getSpec().getAccess().getBasicAuthSecretRef() != null;
      CaddyRoute.Account account = needsAccount ? accounts.apply(route).orElse(null) : null;
      if (target != null && (!needsAccount || account != null)) {
        OwnerMarker marker =
            new OwnerMarker(
                ownerId,
                "Route",
                route.getMetadata().getNamespace(),
                route.getMetadata().getName());
        byHostname
            .computeIfAbsent(route.getSpec().getHostname(), h -> new ArrayList<>())
            .add(CaddyRoute.render(marker.compactId(), route.getSpec(), target, account));
      }
    }
    try {
      Apps apps = driver.read();
      boolean restored = false;
      if (!server.equals(CaddyPlan.OWN_SERVER) && apps.server(server) == null) {
        return new Outcome(
            Verdict.isFalse(
                ConditionType.CADDY_READY,
                SERVER_NOT_FOUND,
                "spec.caddy.server names '" + server + "', which Caddy's config does not have"),
            List.of(),
            false);
      }
      String policyId = OwnerMarker.idPrefix(ownerId) + "tls-" + edgeId(edge, ownerId);
      // Caddy refuses a config where two TLS policies name one host (500, "cannot apply more
      // than one automation policy to host"): a name under a policy that is not this Edge's is
      // left to it, unserved, instead of a write Caddy refuses on every pass.
      java.util.Set<String> elsewhere = subjectsOfOthers(apps.tlsPolicies(), policyId);
      List<ObjectNode> rendered = new ArrayList<>();
      List<String> hostnames = new ArrayList<>();
      List<String> left = new ArrayList<>();
      byHostname.forEach(
          (hostname, hostRoutes) -> {
            if (elsewhere.contains(hostname)) {
              left.add(hostname);
            } else {
              hostnames.add(hostname);
              rendered.addAll(hostRoutes);
            }
          });
      if (!mayWrite) {
        return new Outcome(
            Verdict.unknown(
                ConditionType.CADDY_READY,
                WOULD_WRITE,
                "Writes are suspended; Caddy would serve " + rendered.size() + " routes"),
            List.of(),
            false);
      }
      if (server.equals(CaddyPlan.OWN_SERVER)) {
        Change change = driver.ensureServer(apps, listen);
        restored = change == Change.CREATED;
        if (change != Change.NONE) {
          apps = driver.read();
        }
      }
      // A name Caddy serves without our policy gets a certificate from Caddy's default issuers
      // (public ACME): the policy covers new names before their routes exist, and drops old ones
      // only after their routes are gone.
      List<String> covered = subjects(apps.tlsPolicies(), policyId);
      java.util.Set<String> covering = new java.util.TreeSet<>(hostnames);
      covering.addAll(covered);
      if (!covered.containsAll(hostnames)) {
        if (driver.ensureTlsPolicy(apps, policyId, policy(caddy, List.copyOf(covering)))
            != Change.NONE) {
          apps = driver.read();
        }
      }
      if (driver.replaceRoutes(apps, server, rendered) != Change.NONE) {
        apps = driver.read();
      }
      driver.ensureTlsPolicy(apps, policyId, hostnames.isEmpty() ? null : policy(caddy, hostnames));
      return new Outcome(
          Verdict.isTrue(
              ConditionType.CADDY_READY,
              READY,
              "Caddy serves "
                  + rendered.size()
                  + " routes in server "
                  + server
                  + (left.isEmpty()
                      ? ""
                      : "; not served, as a TLS policy that is not this Edge's covers them"
                          + " (Caddy takes one policy per name): "
                          + String.join(", ", left))),
          List.copyOf(hostnames),
          restored);
    } catch (ListenerConflictException e) {
      return new Outcome(
          Verdict.isFalse(
              ConditionType.CADDY_READY, ListenerConflictException.REASON, e.getMessage()),
          List.of(),
          false);
    } catch (DriverException e) {
      if (e.isTransient()) {
        throw e;
      }
      return new Outcome(
          Verdict.isFalse(ConditionType.CADDY_READY, e.reason(), e.getMessage()), List.of(), false);
    }
  }

  private static JsonNode policy(EdgeCaddy caddy, List<String> hostnames) {
    return CaddyRoute.tlsPolicy(
        hostnames,
        caddy.getIssuer() == CaddyIssuer.Internal,
        caddy.getAcmeEmail(),
        caddy.getAcmeCaUrl());
  }

  /** The subjects of our TLS policy as Caddy holds it. */
  private static List<String> subjects(JsonNode policies, String id) {
    List<String> subjects = new ArrayList<>();
    for (JsonNode p : policies) {
      if (id.equals(p.path("@id").asText())) {
        p.path("subjects").forEach(n -> subjects.add(n.asText()));
      }
    }
    return subjects;
  }

  /** The subjects of every TLS policy but ours: someone else's, or another Edge's. */
  private static java.util.Set<String> subjectsOfOthers(JsonNode policies, String id) {
    java.util.Set<String> subjects = new java.util.HashSet<>();
    for (JsonNode p : policies) {
      if (!id.equals(p.path("@id").asText())) {
        p.path("subjects").forEach(n -> subjects.add(n.asText()));
      }
    }
    return subjects;
  }

  /** Removes what the operator put into Caddy for the Edge: its server (or routes) and policy. */
  static void remove(Edge edge, CaddyDriver driver, String ownerId) {
    EdgeCaddy caddy =
        edge.getSpec().getCaddy() == null ? new EdgeCaddy() : edge.getSpec().getCaddy();
    String server = caddy.getServer() == null ? CaddyPlan.OWN_SERVER : caddy.getServer();
    Apps apps = driver.read();
    if (driver.remove(apps, server) != Change.NONE) {
      apps = driver.read();
    }
    driver.ensureTlsPolicy(
        apps, OwnerMarker.idPrefix(ownerId) + "tls-" + edgeId(edge, ownerId), null);
  }

  private static String edgeId(Edge edge, String ownerId) {
    return new OwnerMarker(
            ownerId, "Edge", edge.getMetadata().getNamespace(), edge.getMetadata().getName())
        .compactId()
        .substring(OwnerMarker.idPrefix(ownerId).length());
  }
}
