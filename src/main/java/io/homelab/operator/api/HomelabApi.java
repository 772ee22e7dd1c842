package io.homelab.operator.api;

/** Constants shared by the four kinds of the homelab.io API. */
public final class HomelabApi {

  private HomelabApi() {}

  public static final String GROUP = "homelab.io";
  public static final String VERSION = "v1alpha1";
  public static final String CATEGORY = "homelab";

  /** JSONPath of the Ready condition's status, for printer columns. */
  public static final String READY_JSON_PATH = ".status.conditions[?(@.type==\"Ready\")].status";
}
