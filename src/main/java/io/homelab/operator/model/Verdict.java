package io.homelab.operator.model;

import io.homelab.operator.status.ConditionStatus;

/**
 * A decision to be shown as a condition.
 *
 * @param type the condition type
 * @param status True, False or Unknown
 * @param reason CamelCase reason
 * @param message a sentence for a person
 */
public record Verdict(String type, ConditionStatus status, String reason, String message) {

  public static Verdict isTrue(String type, String reason, String message) {
    return new Verdict(type, ConditionStatus.True, reason, message);
  }

  public static Verdict isFalse(String type, String reason, String message) {
    return new Verdict(type, ConditionStatus.False, reason, message);
  }

  public static Verdict unknown(String type, String reason, String message) {
    return new Verdict(type, ConditionStatus.Unknown, reason, message);
  }

  public boolean holds() {
    return status == ConditionStatus.True;
  }
}
