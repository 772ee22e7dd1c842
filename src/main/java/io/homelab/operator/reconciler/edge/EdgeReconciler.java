package io.homelab.operator.reconciler.edge;

import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeStatus;
import io.homelab.operator.reconciler.Acceptance;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.status.StatusWriter;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;

/** Reconciles Edges. */
@ControllerConfiguration(name = "edge")
public class EdgeReconciler implements Reconciler<Edge> {

  static final List<String> HOPS =
      List.of(ConditionType.REACHABLE, ConditionType.WIREGUARD_READY, ConditionType.CADDY_READY);

  @Inject Clock clock;

  @Override
  public UpdateControl<Edge> reconcile(Edge edge, Context<Edge> context) {
    EdgeStatus status =
        Acceptance.accept(
            edge,
            new EdgeStatus(),
            clock,
            HOPS,
            "the VPS is not driven by this version of the operator");
    return StatusWriter.patchIfChanged(edge, status);
  }
}
