package io.homelab.operator.reconciler.guest;

import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.guest.GuestStatus;
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

/** Reconciles Guests. */
@ControllerConfiguration(name = "guest")
public class GuestReconciler implements Reconciler<Guest> {

  static final List<String> HOPS = List.of(ConditionType.RESOLVED_REFS, ConditionType.GUEST_READY);

  @Inject Clock clock;

  @Override
  public UpdateControl<Guest> reconcile(Guest guest, Context<Guest> context) {
    GuestStatus status =
        Acceptance.accept(
            guest,
            new GuestStatus(),
            clock,
            HOPS,
            "Proxmox VE is not driven by this version of the operator");
    return StatusWriter.patchIfChanged(guest, status);
  }
}
