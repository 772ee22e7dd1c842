package io.homelab.operator.reconciler;

import io.fabric8.kubernetes.client.CustomResource;
import io.homelab.operator.api.Condition;
import io.homelab.operator.api.HomelabStatus;
import io.homelab.operator.model.Verdict;
import io.homelab.operator.status.ConditionSet;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.status.Reason;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts an object's status together the same way for every kind: the generation it describes, the
 * verdicts of the reconcile (Accepted, ResolvedRefs), one condition per hop, Paused when writes are
 * suspended, and Ready as the conjunction of the verdicts and hops.
 */
public final class StatusAssembly {

  private StatusAssembly() {}

  /**
   * Fills {@code status}.
   *
   * @param verdicts Accepted, ResolvedRefs and the hop verdicts the drivers reached, in order
   * @param hops the hop condition types the kind needs; a hop without a verdict is Unknown with
   *     {@code pendingMessage}
   * @param paused the Paused verdict, or null when writes are not suspended
   */
  public static <S extends HomelabStatus> S assemble(
      CustomResource<?, S> resource,
      S status,
      Clock clock,
      List<Verdict> verdicts,
      List<String> hops,
      String pendingMessage,
      Verdict paused) {
    return assembleInforming(
        resource,
        status,
        clock,
        verdicts,
        hops,
        pendingMessage,
        paused == null ? List.of() : List.of(paused));
  }

  /**
   * Fills {@code status}, with conditions that inform without gating Ready.
   *
   * @param informational Paused, warnings: shown, not part of Ready
   */
  public static <S extends HomelabStatus> S assembleInforming(
      CustomResource<?, S> resource,
      S status,
      Clock clock,
      List<Verdict> verdicts,
      List<String> hops,
      String pendingMessage,
      List<Verdict> informational) {
    long generation = generation(resource);
    ConditionSet conditions = ConditionSet.after(previous(resource), generation, clock);
    List<String> required = new ArrayList<>();
    for (Verdict verdict : verdicts) {
      conditions.set(verdict.type(), verdict.status(), verdict.reason(), verdict.message());
      required.add(verdict.type());
    }
    for (String hop : hops) {
      if (!required.contains(hop)) {
        conditions.setUnknown(hop, Reason.PENDING, pendingMessage);
        required.add(hop);
      }
    }
    for (Verdict info : informational) {
      conditions.set(info.type(), info.status(), info.reason(), info.message());
    }
    conditions.ready(required);
    status.setObservedGeneration(generation);
    status.setConditions(conditions.toList());
    return status;
  }

  /**
   * A status for a reconcile that failed: the previous conditions stay, and Ready turns False with
   * the failure's reason and message.
   */
  public static <S extends HomelabStatus> S failed(
      CustomResource<?, S> resource, S status, Clock clock, String reason, String message) {
    ConditionSet conditions = ConditionSet.after(previous(resource), generation(resource), clock);
    for (Condition c : previous(resource)) {
      if (!ConditionType.READY.equals(c.getType())) {
        conditions.keep(c);
      }
    }
    conditions.setFalse(ConditionType.READY, reason, message);
    status.setObservedGeneration(
        resource.getStatus() == null ? null : resource.getStatus().getObservedGeneration());
    status.setConditions(conditions.toList());
    return status;
  }

  private static long generation(CustomResource<?, ?> resource) {
    Long generation = resource.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  private static List<Condition> previous(CustomResource<?, ? extends HomelabStatus> resource) {
    return resource.getStatus() == null || resource.getStatus().getConditions() == null
        ? List.of()
        : resource.getStatus().getConditions();
  }
}
