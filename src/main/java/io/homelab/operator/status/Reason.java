package io.homelab.operator.status;

/** Condition reasons, in CamelCase. */
public final class Reason {

  private Reason() {}

  public static final String ACCEPTED = "Accepted";
  public static final String READY = "Ready";
  public static final String PENDING = "Pending";
}
