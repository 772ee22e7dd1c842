package io.homelab.operator.api;

/** What happens to the external objects when the Kubernetes object is deleted. */
public enum DeletionPolicy {
  /** Remove what the operator made in the external systems. */
  Delete,
  /** Leave the external objects in place and release them (the owner marker is removed). */
  Retain
}
