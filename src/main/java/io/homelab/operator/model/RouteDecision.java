package io.homelab.operator.model;

import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeDnsName;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.status.Reason;
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

  /**
   * EdgeReady of an accepted Route with resolved references: False with the Edge's own reason
   * (SshUnreachable, CaddyUnavailable...) while the VPS cannot be reached or its Caddy is not
   * ready, since what Caddy serves cannot be confirmed then; True once the Edge reports its host
   * name among those its Caddy serves; Unknown until the Edge has programmed it.
   */
  public static Verdict edgeReady(Route route, Edge edge) {
    String hostname = route.getSpec().getHostname();
    String edgeKey = edge.getMetadata().getNamespace() + "/" + edge.getMetadata().getName();
    var status = edge.getStatus();
    var reachable = condition(status, ConditionType.REACHABLE);
    if (reachable != null && "False".equals(reachable.getStatus())) {
      return notReady(ConditionType.EDGE_READY, "Edge " + edgeKey, reachable);
    }
    var caddy = condition(status, ConditionType.CADDY_READY);
    if (caddy != null && "False".equals(caddy.getStatus())) {
      return notReady(ConditionType.EDGE_READY, "Caddy on Edge " + edgeKey, caddy);
    }
    if (served(edge, hostname)) {
      return Verdict.isTrue(
          ConditionType.EDGE_READY,
          SERVED,
          "Caddy on Edge " + edgeKey + " serves https://" + hostname);
    }
    return Verdict.unknown(
        ConditionType.EDGE_READY, PENDING, "Waiting for Edge " + edgeKey + " to program the route");
  }

  /**
   * DnsReady of an accepted Route with resolved references, from what its Edge reports: True when
   * the Edge has records for the host name (or keeps no zone, or the Route asks for no record),
   * False with the Edge's reason when something is in the way, Unknown until it is published.
   */
  public static Verdict dnsReady(Route route, Edge edge) {
    String hostname = route.getSpec().getHostname();
    String edgeKey = edge.getMetadata().getNamespace() + "/" + edge.getMetadata().getName();
    if (edge.getSpec().getDns() == null) {
      return Verdict.isTrue(
          ConditionType.DNS_READY,
          Reason.NOT_MANAGED,
          "Edge "
              + edgeKey
              + " has no DNS zone: point "
              + hostname
              + " at "
              + edge.getSpec().getPublicAddress().getIpv4()
              + " yourself");
    }
    if (route.getSpec().getDns() != null
        && Boolean.FALSE.equals(route.getSpec().getDns().getEnabled())) {
      return Verdict.isTrue(
          ConditionType.DNS_READY,
          Reason.NOT_REQUESTED,
          "spec.dns.enabled is false: the operator makes no record for " + hostname);
    }
    var status = edge.getStatus();
    EdgeDnsName name = dnsName(edge, hostname);
    if (name != null && name.getReason() != null) {
      return Verdict.isFalse(ConditionType.DNS_READY, name.getReason(), name.getMessage());
    }
    var dns = condition(status, ConditionType.DNS_READY);
    if (dns != null && "False".equals(dns.getStatus()) && ZONE_FAILURES.contains(dns.getReason())) {
      // The zone could not be read or written: no record of the name can be confirmed.
      return notReady(ConditionType.DNS_READY, "DNS of Edge " + edgeKey, dns);
    }
    if (name != null && name.published()) {
      return Verdict.isTrue(
          ConditionType.DNS_READY,
          Reason.PUBLISHED,
          hostname
              + " points at "
              + edge.getSpec().getPublicAddress().getIpv4()
              + (edge.getSpec().getPublicAddress().getIpv6() == null
                  ? ""
                  : " and " + edge.getSpec().getPublicAddress().getIpv6())
              + " in zone "
              + edge.getSpec().getDns().getZone());
    }
    if (dns != null && "False".equals(dns.getStatus())) {
      return notReady(ConditionType.DNS_READY, "DNS of Edge " + edgeKey, dns);
    }
    return Verdict.unknown(
        ConditionType.DNS_READY,
        PENDING,
        "Waits for Edge " + edgeKey + " to publish " + hostname + " once its Caddy serves it");
  }

  /** What the Edge reports of a host name's records, or null. */
  public static EdgeDnsName dnsName(Edge edge, String hostname) {
    if (edge.getStatus() == null || edge.getStatus().getDnsNames() == null) {
      return null;
    }
    return edge.getStatus().getDnsNames().stream()
        .filter(n -> hostname.equalsIgnoreCase(n.getHostname()))
        .findFirst()
        .orElse(null);
  }

  /** Whether the Edge's Caddy serves the host name, as the Edge last reported. */
  public static boolean served(Edge edge, String hostname) {
    return edge.getStatus() != null
        && edge.getStatus().getServedHostnames() != null
        && edge.getStatus().getServedHostnames().contains(hostname);
  }

  /** False, because {@code what} is not ready as its own condition says. */
  /** The Edge's failures that concern its whole zone, not one name. */
  static final java.util.Set<String> ZONE_FAILURES =
      java.util.Set.of(
          Reason.CLOUDFLARE_UNAVAILABLE,
          Reason.CLOUDFLARE_RATE_LIMITED,
          Reason.CLOUDFLARE_REJECTED,
          Reason.ZONE_NOT_FOUND);

  /**
   * A hop False with the reason of the Edge's condition that holds it up, which names the system.
   */
  private static Verdict notReady(
      String type, String what, io.homelab.operator.api.Condition cause) {
    return Verdict.isFalse(
        type,
        cause.getReason(),
        what + " is not ready (" + cause.getReason() + "): " + cause.getMessage());
  }

  private static io.homelab.operator.api.Condition condition(
      io.homelab.operator.api.edge.EdgeStatus status, String type) {
    return status == null || status.getConditions() == null
        ? null
        : status.getConditions().stream()
            .filter(c -> type.equals(c.getType()))
            .findFirst()
            .orElse(null);
  }

  /** {@code namespace/name} of the Route's Tunnel; the Route's namespace when it names none. */
  public static String tunnelKey(Route route) {
    String namespace = route.getSpec().getTunnelRef().getNamespace();
    return (namespace == null ? route.getMetadata().getNamespace() : namespace)
        + "/"
        + route.getSpec().getTunnelRef().getName();
  }
}
