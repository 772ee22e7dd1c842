package io.homelab.operator.reconciler.tunnel;

import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.api.tunnel.TunnelStatus;
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

/** Reconciles Tunnels. */
@ControllerConfiguration(name = "tunnel")
public class TunnelReconciler implements Reconciler<Tunnel> {

  static final List<String> HOPS = List.of(ConditionType.RESOLVED_REFS, ConditionType.PEER_READY);

  @Inject Clock clock;

  @Override
  public UpdateControl<Tunnel> reconcile(Tunnel tunnel, Context<Tunnel> context) {
    TunnelStatus status =
        Acceptance.accept(
            tunnel,
            new TunnelStatus(),
            clock,
            HOPS,
            "the WireGuard peer is not driven by this version of the operator");
    return StatusWriter.patchIfChanged(tunnel, status);
  }
}
