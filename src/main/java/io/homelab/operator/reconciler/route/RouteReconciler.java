package io.homelab.operator.reconciler.route;

import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.route.RouteStatus;
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

/** Reconciles Routes. */
@ControllerConfiguration(name = "route")
public class RouteReconciler implements Reconciler<Route> {

  static final List<String> HOPS =
      List.of(
          ConditionType.RESOLVED_REFS,
          ConditionType.DNS_READY,
          ConditionType.EDGE_READY,
          ConditionType.PROXY_HOST_READY);

  @Inject Clock clock;

  @Override
  public UpdateControl<Route> reconcile(Route route, Context<Route> context) {
    RouteStatus status =
        Acceptance.accept(
            route,
            new RouteStatus(),
            clock,
            HOPS,
            "DNS, Caddy and NPM are not driven by this version of the operator");
    return StatusWriter.patchIfChanged(route, status);
  }
}
