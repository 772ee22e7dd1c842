package io.homelab.operator.api.edge;

/** Where the Routes an Edge admits may live. */
public enum NamespacesFrom {
  /** Only the Edge's own namespace. */
  Same,
  /** Every namespace. */
  All,
  /** Namespaces whose labels match the selector. */
  Selector
}
