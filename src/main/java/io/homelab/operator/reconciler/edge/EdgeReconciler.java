package io.homelab.operator.reconciler.edge;

import io.homelab.operator.api.DeletionPolicy;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeStatus;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.model.References;
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
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reconciles Edges: the Secrets they name, and the Tunnels and Routes that use them; then (with the
 * drivers) SSH, WireGuard and Caddy on the VPS. An Edge's deletion waits for its Tunnels.
 */
@ControllerConfiguration(name = "edge", generationAwareEventProcessing = false)
public class EdgeReconciler implements Reconciler<Edge>, Cleaner<Edge> {

  static final List<String> HOPS =
      List.of(ConditionType.REACHABLE, ConditionType.WIREGUARD_READY, ConditionType.CADDY_READY);
  static final String PENDING_HOPS = "the VPS is not driven by this version of the operator";
  static final String BY_EDGE = "byEdge";
  static final String BY_TUNNEL = "byTunnel";

  @Inject Clock clock;
  @Inject Suspension suspension;
  @Inject Failures failures;
  @Inject Deletions deletions;

  @Override
  public List<EventSource<?, Edge>> prepareEventSources(EventSourceContext<Edge> context) {
    InformerEventSource<Tunnel, Edge> tunnels =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Tunnel.class, Edge.class)
                .withName("tunnels")
                .withSecondaryToPrimaryMapper(t -> Set.of(edgeId(t)))
                .build(),
            context);
    tunnels.addIndexer(
        BY_EDGE,
        t ->
            List.of(
                Sources.key(t.getMetadata().getNamespace(), t.getSpec().getEdgeRef().getName())));
    InformerEventSource<Route, Edge> routes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Route.class, Edge.class)
                .withName("routes")
                .withSecondaryToPrimaryMapper(
                    r ->
                        tunnels
                            .get(Sources.tunnelId(r))
                            .map(t -> Set.of(edgeId(t)))
                            .orElse(Set.of()))
                .build(),
            context);
    routes.addIndexer(BY_TUNNEL, r -> List.of(RouteDecision.tunnelKey(r)));
    return List.of(tunnels, routes, Sources.secrets(context, SecretUses::names));
  }

  @Override
  public UpdateControl<Edge> reconcile(Edge edge, Context<Edge> context) {
    try {
      String namespace = edge.getMetadata().getNamespace();
      List<Verdict> verdicts =
          List.of(
              Verdict.isTrue(ConditionType.ACCEPTED, Reason.ACCEPTED, "The spec is valid"),
              References.checkSecrets(
                      namespace, SecretUses.of(edge), Sources.secretKeys(context, namespace))
                  .orElse(References.resolved("The Secrets are there")));
      EdgeStatus status = carryOver(edge.getStatus());
      List<Tunnel> tunnels = tunnelsOf(edge, context);
      status.setTunnels(tunnels.size());
      status.setRoutes(
          tunnels.stream()
              .mapToInt(
                  t ->
                      Sources.cache(context, Route.class, "routes")
                          .byIndex(BY_TUNNEL, Sources.key(t))
                          .size())
              .sum());
      StatusAssembly.assemble(
          edge, status, clock, verdicts, HOPS, PENDING_HOPS, suspension.of(edge));
      SecretHolds.hold(edge, context);
      failures.succeeded(edge);
      return StatusWriter.patchIfChanged(edge, status);
    } catch (RuntimeException e) {
      EdgeStatus status =
          StatusAssembly.failed(
              edge, carryOver(edge.getStatus()), clock, Reason.RECONCILE_ERROR, e.toString());
      return StatusWriter.patchIfChanged(edge, status).rescheduleAfter(failures.failed(edge));
    }
  }

  @Override
  public DeleteControl cleanup(Edge edge, Context<Edge> context) {
    return deletions
        .forced(edge, leftBehind(edge))
        .orElseGet(
            () -> {
              List<String> tunnels =
                  tunnelsOf(edge, context).stream().map(Sources::key).sorted().toList();
              if (!tunnels.isEmpty()) {
                return deletions.waitFor(edge, context, EdgeStatus::new, "Tunnels", tunnels);
              }
              if (edge.getSpec().getDeletionPolicy() == DeletionPolicy.Retain) {
                return deletions.cleanedUp(
                    edge,
                    "Released (deletionPolicy Retain): WireGuard and Caddy stay configured on the"
                        + " VPS");
              }
              return deletions.cleanedUp(
                  edge,
                  leftBehind(edge).isEmpty()
                      ? "Edge removed; nothing external was recorded for it"
                      : "Edge removed; left behind: " + String.join("; ", leftBehind(edge)));
            });
  }

  private static List<Tunnel> tunnelsOf(Edge edge, Context<Edge> context) {
    return Sources.cache(context, Tunnel.class, "tunnels").byIndex(BY_EDGE, Sources.key(edge));
  }

  static List<String> leftBehind(Edge edge) {
    List<String> left = new ArrayList<>();
    if (edge.getStatus() != null && edge.getStatus().getPublicKey() != null) {
      left.add(
          "WireGuard interface "
              + edge.getSpec().getWireguard().getInterfaceName()
              + " on "
              + edge.getSpec().getSsh().getHost());
    }
    return left;
  }

  private static ResourceID edgeId(Tunnel tunnel) {
    return new ResourceID(
        tunnel.getSpec().getEdgeRef().getName(), tunnel.getMetadata().getNamespace());
  }

  private static EdgeStatus carryOver(EdgeStatus old) {
    EdgeStatus status = new EdgeStatus();
    if (old != null) {
      status.setPublicKey(old.getPublicKey());
      status.setAddress(old.getAddress());
    }
    return status;
  }
}
