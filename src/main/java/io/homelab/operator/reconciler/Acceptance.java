package io.homelab.operator.reconciler;

import io.fabric8.kubernetes.client.CustomResource;
import io.homelab.operator.api.HomelabStatus;
import io.homelab.operator.status.ConditionSet;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.status.Reason;
import java.time.Clock;
import java.util.List;

/**
 * The status every kind reports once its spec has been read: the generation it saw, Accepted, and
 * Ready computed from the conditions the kind needs. Drivers add their hop conditions to it.
 */
public final class Acceptance {

  private Acceptance() {}

  /**
   * Fills {@code status} for {@code resource}: observedGeneration, {@code Accepted=True}, each of
   * {@code hops} Unknown with the message given, and Ready as the conjunction of them.
   */
  public static <S extends HomelabStatus> S accept(
      CustomResource<?, S> resource, S status, Clock clock, List<String> hops, String message) {
    long generation =
        resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration();
    List<io.homelab.operator.api.Condition> previous =
        resource.getStatus() == null ? null : resource.getStatus().getConditions();
    ConditionSet conditions =
        ConditionSet.after(previous, generation, clock)
            .setTrue(ConditionType.ACCEPTED, Reason.ACCEPTED, "The spec is valid");
    hops.forEach(hop -> conditions.setUnknown(hop, Reason.PENDING, message));
    conditions.ready(hops);
    status.setObservedGeneration(generation);
    status.setConditions(conditions.toList());
    return status;
  }
}
