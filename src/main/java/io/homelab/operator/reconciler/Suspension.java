package io.homelab.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.homelab.operator.config.OperatorSettings;
import io.homelab.operator.model.Verdict;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.status.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Whether the operator may write to external systems for an object: not while the object carries
 * {@code homelab.io/paused: "true"}, and never in dry-run mode. Every driver write asks here first;
 * the reconciler shows the answer as the Paused condition.
 */
@ApplicationScoped
public class Suspension {

  @Inject OperatorSettings settings;

  /** The Paused verdict for the object, or null when external writes are allowed. */
  public Verdict of(HasMetadata object) {
    if (Annotations.isTrue(object, Annotations.PAUSED)) {
      return Verdict.isTrue(
          ConditionType.PAUSED,
          Reason.PAUSED_BY_ANNOTATION,
          Annotations.PAUSED
              + " is \"true\": the operator makes no external change for this"
              + " object until the annotation is removed");
    }
    if (settings.dryRun()) {
      return Verdict.isTrue(
          ConditionType.PAUSED,
          Reason.DRY_RUN,
          "The operator runs in dry-run mode: it plans and reports, and writes nothing to"
              + " external systems");
    }
    return null;
  }

  /** Whether external writes are allowed for the object. */
  public boolean mayWrite(HasMetadata object) {
    return of(object) == null;
  }
}
