package io.homelab.operator.status;

import io.homelab.operator.api.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an object's conditions for one reconcile. A condition whose status did not change keeps
 * its {@code lastTransitionTime}, so a status rewritten with the same facts is byte-for-byte the
 * same and causes no write.
 */
public final class ConditionSet {

  private final Map<String, Condition> previous = new LinkedHashMap<>();
  private final Map<String, Condition> next = new LinkedHashMap<>();
  private final long generation;
  private final String now;

  private ConditionSet(List<Condition> previous, long generation, Clock clock) {
    if (previous != null) {
      previous.forEach(c -> this.previous.put(c.getType(), c));
    }
    this.generation = generation;
    this.now =
        DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * Starts the conditions of the given generation of an object.
   *
   * @param previous the conditions in the object's current status, or null
   */
  public static ConditionSet after(List<Condition> previous, long generation, Clock clock) {
    return new ConditionSet(previous, generation, clock);
  }

  public ConditionSet set(String type, ConditionStatus status, String reason, String message) {
    Condition condition = new Condition();
    condition.setType(type);
    condition.setStatus(status.name());
    condition.setReason(reason);
    condition.setMessage(message);
    condition.setObservedGeneration(generation);
    Condition before = previous.get(type);
    condition.setLastTransitionTime(
        before != null && status.name().equals(before.getStatus())
            ? before.getLastTransitionTime()
            : now);
    next.put(type, condition);
    return this;
  }

  /** Carries a condition over unchanged. */
  public ConditionSet keep(Condition condition) {
    next.put(condition.getType(), condition);
    return this;
  }

  public ConditionSet setTrue(String type, String reason, String message) {
    return set(type, ConditionStatus.True, reason, message);
  }

  public ConditionSet setFalse(String type, String reason, String message) {
    return set(type, ConditionStatus.False, reason, message);
  }

  public ConditionSet setUnknown(String type, String reason, String message) {
    return set(type, ConditionStatus.Unknown, reason, message);
  }

  /**
   * Sets Ready as the conjunction of the given conditions: True when all are True; False with the
   * reason and message of the first that is False; otherwise Unknown with those of the first that
   * is not True. The type is named in the message. A missing condition counts as Unknown.
   */
  public ConditionSet ready(List<String> requiredTypes) {
    // A conjunction with a False term is False: that one says why, before any still Unknown.
    for (String type : requiredTypes) {
      Condition condition = next.get(type);
      if (condition != null && ConditionStatus.False.name().equals(condition.getStatus())) {
        return setFalse(
            ConditionType.READY, condition.getReason(), type + ": " + condition.getMessage());
      }
    }
    for (String type : requiredTypes) {
      Condition condition = next.get(type);
      if (condition == null) {
        return setUnknown(ConditionType.READY, Reason.PENDING, type + " has not been evaluated");
      }
      if (!ConditionStatus.True.name().equals(condition.getStatus())) {
        return set(
            ConditionType.READY,
            ConditionStatus.valueOf(condition.getStatus()),
            condition.getReason(),
            type + ": " + condition.getMessage());
      }
    }
    return setTrue(ConditionType.READY, Reason.READY, "All of " + requiredTypes + " are True");
  }

  /** The conditions set so far, in the order they were set. */
  public List<Condition> toList() {
    return new ArrayList<>(next.values());
  }
}
