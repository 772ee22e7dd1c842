package io.homelab.operator.model;

/**
 * Whether an Edge serves a Route, and why not.
 *
 * @param allowed true when the Route may use the Edge
 * @param reason the CamelCase reason of a refusal (null when allowed)
 * @param message a sentence for the Route's Accepted condition
 */
public record Admission(boolean allowed, String reason, String message) {

  public static final String NOT_ALLOWED_BY_EDGE = "NotAllowedByEdge";
  public static final String HOSTNAME_NOT_ALLOWED = "HostnameNotAllowed";

  static Admission allow(String message) {
    return new Admission(true, null, message);
  }

  static Admission refuse(String reason, String message) {
    return new Admission(false, reason, message);
  }
}
