package io.homelab.operator.reconciler.route;

import io.fabric8.kubernetes.api.model.Namespace;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.route.RouteStatus;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.model.HostnameClaim;
import io.homelab.operator.model.RouteDecision;
import io.homelab.operator.model.SecretUses;
import io.homelab.operator.model.Verdict;
import io.homelab.operator.reconciler.Deletions;
import io.homelab.operator.reconciler.Failures;
import io.homelab.operator.reconciler.SecretHolds;
import io.homelab.operator.reconciler.Sources;
import io.homelab.operator.reconciler.StatusAssembly;
import io.homelab.operator.reconciler.Suspension;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.status.Reason;
import io.homelab.operator.status.StatusWriter;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reconciles Routes: the host-name claim, the Tunnel and its Edge, the Edge's admission policy, the
 * backend and the Secrets; then (with the drivers) DNS, the Edge's Caddy route and the NPM proxy
 * host.
 */
@ControllerConfiguration(name = "route", generationAwareEventProcessing = false)
public class RouteReconciler implements Reconciler<Route>, Cleaner<Route> {

  static final List<String> HOPS =
      List.of(ConditionType.DNS_READY, ConditionType.EDGE_READY, ConditionType.PROXY_HOST_READY);
  static final String PENDING_HOPS =
      "waits until the Route is accepted and its references resolve; DNS and NPM are not driven"
          + " by this version of the operator";

  static final String BY_TUNNEL = "byTunnel";
  static final String BY_EDGE = "byEdge";
  static final String BY_GUEST = "byGuest";
  static final String BY_HOSTNAME = "byHostname";

  @Inject Clock clock;
  @Inject Suspension suspension;
  @Inject Failures failures;
  @Inject Deletions deletions;

  @Override
  public List<EventSource<?, Route>> prepareEventSources(EventSourceContext<Route> context) {
    IndexerResourceCache<Route> routes = context.getPrimaryCache();
    routes.addIndexer(BY_TUNNEL, r -> List.of(RouteDecision.tunnelKey(r)));
    routes.addIndexer(BY_HOSTNAME, r -> List.of(r.getSpec().getHostname()));
    routes.addIndexer(
        BY_GUEST,
        r ->
            r.getSpec().getBackend().getGuestRef() == null
                ? List.of()
                : List.of(
                    Sources.key(
                        r.getMetadata().getNamespace(),
                        r.getSpec().getBackend().getGuestRef().getName())));

    InformerEventSource<Tunnel, Route> tunnels =
        Sources.indexed(context, Tunnel.class, "tunnels", BY_TUNNEL, Sources::key);
    tunnels.addIndexer(
        BY_EDGE,
        t ->
            List.of(
                Sources.key(t.getMetadata().getNamespace(), t.getSpec().getEdgeRef().getName())));
    InformerEventSource<Edge, Route> edges =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Edge.class, Route.class)
                .withName("edges")
                .withSecondaryToPrimaryMapper(
                    e ->
                        tunnels.byIndex(BY_EDGE, Sources.key(e)).stream()
                            .flatMap(t -> routes.byIndex(BY_TUNNEL, Sources.key(t)).stream())
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    InformerEventSource<Namespace, Route> namespaces =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Namespace.class, Route.class)
                .withName("namespaces")
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(
                    ns ->
                        routes
                            .list(ns.getMetadata().getName())
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    // Routes claiming the same host name wake each other: when the holder is gone (its
    // finalizer removed), the next in line takes over without waiting for a poll.
    InformerEventSource<Route, Route> sameHostname =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Route.class, Route.class)
                .withName("routes-by-hostname")
                .withSecondaryToPrimaryMapper(
                    r -> {
                      Set<ResourceID> others =
                          new HashSet<>(
                              Sources.ids(routes.byIndex(BY_HOSTNAME, r.getSpec().getHostname())));
                      others.remove(ResourceID.fromResource(r));
                      return others;
                    })
                .build(),
            context);
    return List.of(
        tunnels,
        edges,
        namespaces,
        sameHostname,
        Sources.indexed(context, Guest.class, "guests", BY_GUEST, Sources::key),
        Sources.secrets(context, SecretUses::names));
  }

  @Override
  public UpdateControl<Route> reconcile(Route route, Context<Route> context) {
    try {
      RouteDecision.Inputs inputs = observe(route, context);
      List<Verdict> verdicts = new java.util.ArrayList<>(RouteDecision.decide(inputs));
      if (verdicts.stream().allMatch(Verdict::holds) && inputs.edge() != null) {
        verdicts.add(RouteDecision.edgeReady(route, inputs.edge()));
      }
      RouteStatus status = carryOver(route.getStatus());
      if (verdicts.get(0).holds()) {
        status.setUrl("https://" + route.getSpec().getHostname());
      }
      StatusAssembly.assemble(
          route, status, clock, verdicts, HOPS, PENDING_HOPS, suspension.of(route));
      SecretHolds.hold(route, context);
      failures.succeeded(route);
      return StatusWriter.patchIfChanged(route, status);
    } catch (RuntimeException e) {
      RouteStatus status =
          StatusAssembly.failed(
              route, carryOver(route.getStatus()), clock, Reason.RECONCILE_ERROR, e.toString());
      return StatusWriter.patchIfChanged(route, status).rescheduleAfter(failures.failed(route));
    }
  }

  /** Everything the decision needs, from the informer caches. */
  private RouteDecision.Inputs observe(Route route, Context<Route> context) {
    String namespace = route.getMetadata().getNamespace();
    String tunnelNamespace =
        route.getSpec().getTunnelRef().getNamespace() == null
            ? namespace
            : route.getSpec().getTunnelRef().getNamespace();
    Tunnel tunnel =
        Sources.get(
                context,
                Tunnel.class,
                "tunnels",
                tunnelNamespace,
                route.getSpec().getTunnelRef().getName())
            .orElse(null);
    Edge edge =
        tunnel == null
            ? null
            : Sources.get(
                    context,
                    Edge.class,
                    "edges",
                    tunnelNamespace,
                    tunnel.getSpec().getEdgeRef().getName())
                .orElse(null);
    Map<String, String> labels =
        Sources.get(context, Namespace.class, "namespaces", null, namespace)
            .map(ns -> ns.getMetadata().getLabels())
            .orElse(Map.of());
    Guest guest =
        route.getSpec().getBackend().getGuestRef() == null
            ? null
            : Sources.get(
                    context,
                    Guest.class,
                    "guests",
                    namespace,
                    route.getSpec().getBackend().getGuestRef().getName())
                .orElse(null);
    List<HostnameClaim> claims = new ArrayList<>();
    claims.add(claim(route));
    context.getPrimaryCache().byIndex(BY_HOSTNAME, route.getSpec().getHostname()).stream()
        .filter(r -> !ResourceID.fromResource(r).equals(ResourceID.fromResource(route)))
        .forEach(r -> claims.add(claim(r)));
    return new RouteDecision.Inputs(
        route,
        HostnameClaim.holder(claims),
        tunnel,
        edge,
        labels,
        guest,
        Sources.secretKeys(context, namespace));
  }

  @Override
  public DeleteControl cleanup(Route route, Context<Route> context) {
    // Un-exposing goes outside-in (DNS, then the Caddy route, then NPM) once the drivers exist;
    // this version created nothing external, so nothing remains to remove.
    return deletions
        .forced(route, leftBehind(route))
        .orElseGet(
            () ->
                deletions.cleanedUp(
                    route,
                    leftBehind(route).isEmpty()
                        ? "Route removed; nothing external was recorded for it"
                        : "Route removed; left behind: " + String.join("; ", leftBehind(route))));
  }

  /** The external objects the status records for the Route. */
  static List<String> leftBehind(Route route) {
    List<String> left = new ArrayList<>();
    RouteStatus status = route.getStatus();
    if (status != null) {
      if (status.getDnsRecordIds() != null && !status.getDnsRecordIds().isEmpty()) {
        left.add("Cloudflare DNS records " + String.join(", ", status.getDnsRecordIds()));
      }
      if (status.getCaddyRouteId() != null) {
        left.add("Caddy route @id " + status.getCaddyRouteId());
      }
      if (status.getProxyHostId() != null) {
        left.add("NPM proxy host #" + status.getProxyHostId());
      }
    }
    return left;
  }

  private static HostnameClaim claim(Route route) {
    String created = route.getMetadata().getCreationTimestamp();
    return new HostnameClaim(
        route.getMetadata().getNamespace(),
        route.getMetadata().getName(),
        created == null ? null : java.time.Instant.parse(created));
  }

  /** A new status that keeps the external ids the operator recorded before. */
  private static RouteStatus carryOver(RouteStatus old) {
    RouteStatus status = new RouteStatus();
    if (old != null) {
      status.setProxyHostId(old.getProxyHostId());
      status.setCaddyRouteId(old.getCaddyRouteId());
      status.setDnsRecordIds(old.getDnsRecordIds());
    }
    return status;
  }
}
