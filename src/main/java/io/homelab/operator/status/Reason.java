package io.homelab.operator.status;

/** Condition reasons, in CamelCase. */
public final class Reason {

  private Reason() {}

  public static final String ACCEPTED = "Accepted";
  public static final String READY = "Ready";
  public static final String PENDING = "Pending";
  public static final String RECONCILE_ERROR = "ReconcileError";
  public static final String PAUSED_BY_ANNOTATION = "PausedByAnnotation";
  public static final String DRY_RUN = "DryRun";
  public static final String WAITING_FOR_DEPENDENTS = "WaitingForDependents";
  public static final String FORCE_DELETED = "ForceDeleted";
  public static final String RELEASED = "Released";
  public static final String CLEANED_UP = "CleanedUp";
}
