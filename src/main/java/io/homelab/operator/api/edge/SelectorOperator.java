package io.homelab.operator.api.edge;

/** The operators of a set-based label requirement. */
public enum SelectorOperator {
  In,
  NotIn,
  Exists,
  DoesNotExist
}
