package io.homelab.operator.status;

/** The three values of a condition's status. */
public enum ConditionStatus {
  True,
  False,
  Unknown
}
