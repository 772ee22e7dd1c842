package io.homelab.operator.api.guest;

/** Whether a guest should be running. */
public enum PowerState {
  Running,
  Stopped
}
