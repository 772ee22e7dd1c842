package io.homelab.operator.status;

/** Condition types, in the Gateway API style: one per aspect, Ready as their conjunction. */
public final class ConditionType {

  private ConditionType() {}

  public static final String ACCEPTED = "Accepted";
  public static final String RESOLVED_REFS = "ResolvedRefs";
  public static final String READY = "Ready";

  public static final String REACHABLE = "Reachable";
  public static final String WIREGUARD_READY = "WireGuardReady";
  public static final String CADDY_READY = "CaddyReady";
  public static final String PEER_READY = "PeerReady";
  public static final String DNS_READY = "DnsReady";
  public static final String EDGE_READY = "EdgeReady";
  public static final String PROXY_HOST_READY = "ProxyHostReady";
  public static final String GUEST_READY = "GuestReady";
  public static final String PROBE_SUCCEEDED = "ProbeSucceeded";

  /**
   * False while the operator talks to an external system without checking its TLS certificate
   * (asked for explicitly); absent otherwise. It informs, without gating Ready.
   */
  public static final String TLS_VERIFIED = "TlsVerified";

  /** True while the operator writes nothing external for the object (annotation or dry-run). */
  public static final String PAUSED = "Paused";
}
