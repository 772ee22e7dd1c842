package io.homelab.operator.model;

import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.status.ConditionType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Whether a Route is accepted and its references resolved: the host-name claim, the Tunnel and its
 * Edge, the Edge's admission policy, the backend Guest and the Secrets. Pure: the reconciler looks
 * everything up and this decides.
 */
public final class RouteDecision {

  public static final String ACCEPTED = "Accepted";
  public static final String PENDING = "Pending";

  private RouteDecision() {}

  /**
   * What the reconciler found for one Route.
   *
   * @param holder the claim holding the Route's host name (the Route's own, or an older one)
   * @param tunnel the referenced Tunnel, or null when it does not exist
   * @param edge the Tunnel's Edge, or null when it (or the Tunnel) does not exist
   * @param routeNamespaceLabels labels of the Route's namespace
   * @param guest the backend Guest, or null when there is none or it does not exist
   * @param secretKeys the keys of a Secret of the Route's namespace by name
   */
  public record Inputs(
      Route route,
      Optional<HostnameClaim> holder,
      Tunnel tunnel,
      Edge edge,
      Map<String, String> routeNamespaceLabels,
      Guest guest,
      Function<String, Optional<Set<String>>> secretKeys) {}

  /** The Accepted and ResolvedRefs verdicts, in that order. */
  public static List<Verdict> decide(Inputs in) {
    return List.of(accepted(in), resolvedRefs(in));
  }

  static Verdict accepted(Inputs in) {
    Route route = in.route();
    String self = route.getMetadata().getNamespace() + "/" + route.getMetadata().getName();
    String hostname = route.getSpec().getHostname();
    if (in.holder().isPresent() && !in.holder().get().key().equals(self)) {
      return Verdict.isFalse(
          ConditionType.ACCEPTED,
          HostnameClaim.HOSTNAME_CONFLICT,
          "Host name "
              + hostname
              + " is held by Route "
              + in.holder().get().key()
              + ", the oldest Route claiming it; this Route takes over when that one is gone");
    }
    if (in.tunnel() == null || in.edge() == null) {
      return Verdict.unknown(
          ConditionType.ACCEPTED,
          PENDING,
          "The Edge decides whether it admits this Route; waiting for "
              + tunnelKey(route)
              + " and its Edge");
    }
    Admission admission =
        RouteAdmission.admit(
            in.edge().getSpec().getAllowedRoutes(),
            in.edge().getMetadata().getName(),
            in.edge().getMetadata().getNamespace(),
            route.getMetadata().getNamespace(),
            in.routeNamespaceLabels(),
            hostname);
    return admission.allowed()
        ? Verdict.isTrue(ConditionType.ACCEPTED, ACCEPTED, admission.message())
        : Verdict.isFalse(ConditionType.ACCEPTED, admission.reason(), admission.message());
  }

  static Verdict resolvedRefs(Inputs in) {
    Route route = in.route();
    if (in.tunnel() == null) {
      return References.unresolved(
          References.TUNNEL_NOT_FOUND, "Tunnel " + tunnelKey(route) + " does not exist");
    }
    if (in.edge() == null) {
      return References.unresolved(
          References.EDGE_NOT_FOUND,
          "Edge "
              + in.tunnel().getMetadata().getNamespace()
              + "/"
              + in.tunnel().getSpec().getEdgeRef().getName()
              + " of Tunnel "
              + tunnelKey(route)
              + " does not exist");
    }
    var guestRef = route.getSpec().getBackend().getGuestRef();
    if (guestRef != null) {
      String guestKey = route.getMetadata().getNamespace() + "/" + guestRef.getName();
      if (in.guest() == null) {
        return References.unresolved(
            References.GUEST_NOT_FOUND, "Guest " + guestKey + " does not exist");
      }
      var addresses = in.guest().getStatus() == null ? null : in.guest().getStatus().getAddresses();
      if (addresses == null || addresses.isEmpty()) {
        return References.unresolved(
            References.BACKEND_NOT_READY,
            "Guest " + guestKey + " has no address yet; the Route follows when it has one");
      }
    }
    return References.checkSecrets(
            route.getMetadata().getNamespace(), SecretUses.of(route), in.secretKeys())
        .orElse(References.resolved("Tunnel, Edge, backend and Secrets are all there"));
  }

  public static final String SERVED = "Served";
  public static final String EDGE_NOT_READY = "EdgeNotReady";

  /**
   * EdgeReady of an accepted Route with resolved references: True once the Edge reports its host
   * name among those its Caddy serves; False with the Edge's reason while its Caddy is not ready;
   * Unknown until the Edge has programmed it.
   */
  public static Verdict edgeReady(Route route, Edge edge) {
    String hostname = route.getSpec().getHostname();
    String edgeKey = edge.getMetadata().getNamespace() + "/" + edge.getMetadata().getName();
    var status = edge.getStatus();
    if (status != null
        && status.getServedHostnames() != null
        && status.getServedHostnames().contains(hostname)) {
      return Verdict.isTrue(
          ConditionType.EDGE_READY,
          SERVED,
          "Caddy on Edge " + edgeKey + " serves https://" + hostname);
    }
    var caddy =
        status == null || status.getConditions() == null
            ? null
            : status.getConditions().stream()
                .filter(c -> ConditionType.CADDY_READY.equals(c.getType()))
                .findFirst()
                .orElse(null);
    if (caddy != null && "False".equals(caddy.getStatus())) {
      return Verdict.isFalse(
          ConditionType.EDGE_READY,
          EDGE_NOT_READY,
          "Caddy on Edge "
              + edgeKey
              + " is not ready ("
              + caddy.getReason()
              + "): "
              + caddy.getMessage());
    }
    return Verdict.unknown(
        ConditionType.EDGE_READY, PENDING, "Waiting for Edge " + edgeKey + " to program the route");
  }

  /** {@code namespace/name} of the Route's Tunnel; the Route's namespace when it names none. */
  public static String tunnelKey(Route route) {
    String namespace = route.getSpec().getTunnelRef().getNamespace();
    return (namespace == null ? route.getMetadata().getNamespace() : namespace)
        + "/"
        + route.getSpec().getTunnelRef().getName();
  }
}
