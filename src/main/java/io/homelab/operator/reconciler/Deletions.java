package io.homelab.operator.reconciler;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.homelab.operator.api.Condition;
import io.homelab.operator.api.HomelabStatus;
import io.homelab.operator.status.ConditionSet;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.status.Reason;
import io.homelab.operator.status.StatusWriter;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** The steps every kind's cleanup shares: force-delete, waiting for dependents, and release. */
@ApplicationScoped
public class Deletions {

  private static final Logger LOG = Logger.getLogger(Deletions.class);

  /** How often a waiting deletion looks again, besides the events that wake it. */
  public static final Duration RECHECK = Duration.ofSeconds(30);

  @Inject EventRecorder events;
  @Inject Failures failures;
  @Inject Clock clock;
  @Inject io.homelab.operator.observability.ObjectMetrics metrics;

  /**
   * With {@code homelab.io/force-delete: "true"} the deletion ends at once, without external calls,
   * and a warning event lists what stays behind.
   */
  public Optional<DeleteControl> forced(
      CustomResource<?, ? extends HomelabStatus> object, List<String> leftBehind) {
    if (!Annotations.isTrue(object, Annotations.FORCE_DELETE)) {
      return Optional.empty();
    }
    events.warning(
        object,
        Reason.FORCE_DELETED,
        "Deleted without cleanup ("
            + Annotations.FORCE_DELETE
            + "); left behind: "
            + (leftBehind.isEmpty()
                ? "nothing the operator had recorded"
                : String.join("; ", leftBehind)));
    return Optional.of(done(object));
  }

  /**
   * The deletion waits until {@code dependents} are gone: the Ready condition and an event say
   * which; the finalizer stays.
   */
  public <S extends HomelabStatus> DeleteControl waitFor(
      CustomResource<?, S> object,
      Context<?> context,
      Supplier<S> newStatus,
      String what,
      List<String> dependents) {
    return waiting(
        object,
        context,
        newStatus,
        "Deletion waits for "
            + what
            + " "
            + String.join(", ", dependents)
            + " to be deleted first");
  }

  /**
   * The deletion waits for what {@code message} says: the Ready condition and an event tell; the
   * finalizer stays.
   */
  public <S extends HomelabStatus> DeleteControl waiting(
      CustomResource<?, S> object, Context<?> context, Supplier<S> newStatus, String message) {
    return waiting(object, context, newStatus, Reason.WAITING_FOR_DEPENDENTS, message, RECHECK);
  }

  /**
   * The deletion cannot go on while an external system fails: Ready turns False with the reason
   * that names it (an event says so once), the finalizer stays, and the cleanup is tried again
   * after {@code retry} (the object's backoff).
   */
  public <S extends HomelabStatus> DeleteControl failing(
      CustomResource<?, S> object,
      Context<?> context,
      Supplier<S> newStatus,
      String reason,
      String message,
      Duration retry) {
    return waiting(object, context, newStatus, reason, message, retry);
  }

  private <S extends HomelabStatus> DeleteControl waiting(
      CustomResource<?, S> object,
      Context<?> context,
      Supplier<S> newStatus,
      String reason,
      String message,
      Duration recheck) {
    Condition ready = readyOf(object);
    if (ready == null || !message.equals(ready.getMessage()) || !reason.equals(ready.getReason())) {
      if (Reason.WAITING_FOR_DEPENDENTS.equals(reason)) {
        events.normal(object, reason, message);
      } else {
        events.warning(object, reason, message);
      }
      S status = newStatus.get();
      status.setObservedGeneration(
          object.getStatus() == null ? null : object.getStatus().getObservedGeneration());
      waitingReady(
          object,
          status,
          object.getStatus() == null ? null : object.getStatus().getConditions(),
          reason,
          message);
      writeStatus(object, context, status);
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(recheck);
  }

  /**
   * The deletion waits for what {@code message} says while the object keeps working for its
   * dependents (an Edge still takes its Routes' records and Caddy routes away, and its Tunnels'
   * peers): {@code status} is what that work found, its Ready turned False with the message, and it
   * is written whenever it changed, not only when the message did.
   */
  public <S extends HomelabStatus> DeleteControl waitingWhileWorking(
      CustomResource<?, S> object,
      Context<?> context,
      S status,
      String message,
      java.time.Duration recheck) {
    Condition ready = readyOf(object);
    if (ready == null || !message.equals(ready.getMessage())) {
      events.normal(object, Reason.WAITING_FOR_DEPENDENTS, message);
    }
    waitingReady(object, status, status.getConditions(), Reason.WAITING_FOR_DEPENDENTS, message);
    if (object.getStatus() == null || StatusWriter.differs(object.getStatus(), status)) {
      writeStatus(object, context, status);
    }
    return DeleteControl.noFinalizerRemoval()
        .rescheduleAfter(recheck.compareTo(RECHECK) < 0 ? recheck : RECHECK);
  }

  /**
   * Gives {@code status} the conditions {@code kept} but Ready, and Ready False with the message.
   */
  private void waitingReady(
      CustomResource<?, ? extends HomelabStatus> object,
      HomelabStatus status,
      List<Condition> kept,
      String reason,
      String message) {
    long generation =
        object.getMetadata().getGeneration() == null ? 0 : object.getMetadata().getGeneration();
    ConditionSet conditions =
        ConditionSet.after(
            object.getStatus() == null ? null : object.getStatus().getConditions(),
            generation,
            clock);
    if (kept != null) {
      kept.stream().filter(c -> !ConditionType.READY.equals(c.getType())).forEach(conditions::keep);
    }
    conditions.setFalse(ConditionType.READY, reason, message);
    status.setConditions(conditions.toList());
  }

  private static <S extends HomelabStatus> void writeStatus(
      CustomResource<?, S> object, Context<?> context, S status) {
    try {
      context
          .getClient()
          .resource(object)
          .editStatus(
              current -> {
                current.setStatus(status);
                return current;
              });
    } catch (KubernetesClientException e) {
      LOG.warnf("Could not write the waiting status: %s", e.getMessage());
    }
  }

  /** The cleanup is complete: the finalizer goes. */
  public DeleteControl done(CustomResource<?, ?> object) {
    failures.forget(object);
    metrics.forget(object);
    events.forget(object);
    return DeleteControl.defaultDelete();
  }

  /** Records a finished cleanup with an event, then lets the finalizer go. */
  public DeleteControl cleanedUp(CustomResource<?, ?> object, String message) {
    events.normal(object, Reason.CLEANED_UP, message);
    return done(object);
  }

  private static Condition readyOf(CustomResource<?, ? extends HomelabStatus> object) {
    if (object.getStatus() == null || object.getStatus().getConditions() == null) {
      return null;
    }
    return object.getStatus().getConditions().stream()
        .filter(c -> ConditionType.READY.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }
}
