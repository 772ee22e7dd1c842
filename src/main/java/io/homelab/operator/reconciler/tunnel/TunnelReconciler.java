package io.homelab.operator.reconciler.tunnel;

import io.homelab.operator.api.DeletionPolicy;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.api.tunnel.TunnelStatus;
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
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reconciles Tunnels: the Edge and the Secrets they name; then (with the drivers) the WireGuard
 * peer on the Edge and the home end's configuration. A Tunnel's deletion waits for the Routes that
 * use it, because their cleanup needs its NPM credentials.
 */
@ControllerConfiguration(name = "tunnel", generationAwareEventProcessing = false)
public class TunnelReconciler implements Reconciler<Tunnel>, Cleaner<Tunnel> {

  static final List<String> HOPS = List.of(ConditionType.PEER_READY);
  static final String PENDING_HOPS =
      "the WireGuard peer is not driven by this version of the operator";
  static final String BY_EDGE = "byEdge";
  static final String BY_TUNNEL = "byTunnel";

  @Inject Clock clock;
  @Inject Suspension suspension;
  @Inject Failures failures;
  @Inject Deletions deletions;

  @Override
  public List<EventSource<?, Tunnel>> prepareEventSources(EventSourceContext<Tunnel> context) {
    context.getPrimaryCache().addIndexer(BY_EDGE, t -> List.of(edgeKey(t)));
    InformerEventSource<Route, Tunnel> routes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Route.class, Tunnel.class)
                .withName("routes")
                .withSecondaryToPrimaryMapper(r -> Set.of(Sources.tunnelId(r)))
                .build(),
            context);
    routes.addIndexer(BY_TUNNEL, r -> List.of(RouteDecision.tunnelKey(r)));
    return List.of(
        Sources.indexed(context, Edge.class, "edges", BY_EDGE, Sources::key),
        routes,
        Sources.secrets(context, SecretUses::names));
  }

  @Override
  public UpdateControl<Tunnel> reconcile(Tunnel tunnel, Context<Tunnel> context) {
    try {
      List<Verdict> verdicts =
          List.of(
              Verdict.isTrue(ConditionType.ACCEPTED, Reason.ACCEPTED, "The spec is valid"),
              resolvedRefs(tunnel, context));
      TunnelStatus status =
          StatusAssembly.assemble(
              tunnel,
              carryOver(tunnel.getStatus()),
              clock,
              verdicts,
              HOPS,
              PENDING_HOPS,
              suspension.of(tunnel));
      SecretHolds.hold(tunnel, context);
      failures.succeeded(tunnel);
      return StatusWriter.patchIfChanged(tunnel, status);
    } catch (RuntimeException e) {
      TunnelStatus status =
          StatusAssembly.failed(
              tunnel, carryOver(tunnel.getStatus()), clock, Reason.RECONCILE_ERROR, e.toString());
      return StatusWriter.patchIfChanged(tunnel, status).rescheduleAfter(failures.failed(tunnel));
    }
  }

  private Verdict resolvedRefs(Tunnel tunnel, Context<Tunnel> context) {
    String namespace = tunnel.getMetadata().getNamespace();
    String edgeName = tunnel.getSpec().getEdgeRef().getName();
    if (Sources.get(context, Edge.class, "edges", namespace, edgeName).isEmpty()) {
      return References.unresolved(
          References.EDGE_NOT_FOUND, "Edge " + namespace + "/" + edgeName + " does not exist");
    }
    return References.checkSecrets(
            namespace, SecretUses.of(tunnel), Sources.secretKeys(context, namespace))
        .orElse(References.resolved("The Edge and the Secrets are there"));
  }

  @Override
  public DeleteControl cleanup(Tunnel tunnel, Context<Tunnel> context) {
    return deletions
        .forced(tunnel, leftBehind(tunnel))
        .orElseGet(
            () -> {
              List<String> routes =
                  Sources.cache(context, Route.class, "routes")
                      .byIndex(BY_TUNNEL, Sources.key(tunnel))
                      .stream()
                      .map(Sources::key)
                      .sorted()
                      .toList();
              if (!routes.isEmpty()) {
                return deletions.waitFor(tunnel, context, TunnelStatus::new, "Routes", routes);
              }
              if (tunnel.getSpec().getDeletionPolicy() == DeletionPolicy.Retain) {
                return deletions.cleanedUp(
                    tunnel,
                    "Released (deletionPolicy Retain): the WireGuard peer stays on the Edge");
              }
              return deletions.cleanedUp(
                  tunnel,
                  leftBehind(tunnel).isEmpty()
                      ? "Tunnel removed; nothing external was recorded for it"
                      : "Tunnel removed; left behind: " + String.join("; ", leftBehind(tunnel)));
            });
  }

  static List<String> leftBehind(Tunnel tunnel) {
    List<String> left = new ArrayList<>();
    TunnelStatus status = tunnel.getStatus();
    if (status != null && status.getPublicKey() != null) {
      left.add(
          "WireGuard peer "
              + status.getPublicKey()
              + (status.getAddress() == null ? "" : " (" + status.getAddress() + ")")
              + " on Edge "
              + edgeKey(tunnel));
    }
    if (status != null && status.getHomeConfigSecret() != null) {
      left.add(
          "Secret " + tunnel.getMetadata().getNamespace() + "/" + status.getHomeConfigSecret());
    }
    return left;
  }

  private static String edgeKey(Tunnel tunnel) {
    return Sources.key(
        tunnel.getMetadata().getNamespace(), tunnel.getSpec().getEdgeRef().getName());
  }

  private static TunnelStatus carryOver(TunnelStatus old) {
    TunnelStatus status = new TunnelStatus();
    if (old != null) {
      status.setAddress(old.getAddress());
      status.setPublicKey(old.getPublicKey());
      status.setEdgePublicKey(old.getEdgePublicKey());
      status.setHomeConfigSecret(old.getHomeConfigSecret());
      status.setLastHandshake(old.getLastHandshake());
      status.setReceivedBytes(old.getReceivedBytes());
      status.setSentBytes(old.getSentBytes());
      status.setRotation(old.getRotation());
    }
    return status;
  }
}
