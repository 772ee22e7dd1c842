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

  public static final String CONFLICT = "Conflict";
  public static final String PROXMOX_UNAVAILABLE = "ProxmoxUnavailable";
  public static final String PROXMOX_REFUSED = "ProxmoxRefused";
  public static final String PROXMOX_TASK_FAILED = "ProxmoxTaskFailed";
  public static final String INVALID_CONNECTION = "InvalidConnection";
  public static final String PROVISIONING = "Provisioning";
  public static final String WAITING_FOR_ADDRESS = "WaitingForAddress";
  public static final String RESTART_REQUIRED = "RestartRequired";
  public static final String DISK_SHRINK_REFUSED = "DiskShrinkRefused";
  public static final String GUEST_NOT_FOUND = "GuestNotFound";
  public static final String NODE_NOT_FOUND = "NodeNotFound";
  public static final String DRIFT_CORRECTED = "DriftCorrected";
  public static final String CONFIG_UPDATED = "ConfigUpdated";
  public static final String ADOPTED = "Adopted";
  public static final String INSECURE_TLS = "InsecureSkipTlsVerify";
  public static final String POWER_CHANGE = "PowerChange";
  public static final String DISK_GROWN = "DiskGrown";
  public static final String DESTROYING = "Destroying";

  public static final String DISABLED = "Disabled";
  public static final String NOT_MANAGED = "NotManaged";
  public static final String NOT_REQUESTED = "NotRequested";
  public static final String WRITES_SUSPENDED = "WritesSuspended";
  public static final String UNEXPOSING = "Unexposing";

  public static final String PUBLISHED = "Published";
  public static final String OUTSIDE_ZONE = "OutsideZone";
  public static final String ZONE_NOT_FOUND = "ZoneNotFound";
  public static final String CLOUDFLARE_RATE_LIMITED = "CloudflareRateLimited";
  public static final String CLOUDFLARE_UNAVAILABLE = "CloudflareUnavailable";
  public static final String CLOUDFLARE_REJECTED = "CloudflareRejected";

  public static final String ONLINE = "Online";
  public static final String NGINX_ERROR = "NginxError";
  public static final String TWO_FACTOR_REQUIRED = "TwoFactorRequired";
  public static final String NPM_UNAVAILABLE = "NpmUnavailable";
  public static final String NPM_REJECTED = "NpmRejected";

  /** The probe's answer had an expected status code. */
  public static final String ANSWERED = "Answered";

  public static final String UNEXPECTED_STATUS = "UnexpectedStatus";
  public static final String PROBE_TIMEOUT = "ProbeTimeout";
  public static final String TLS_FAILED = "TlsFailed";
  public static final String CONNECTION_FAILED = "ConnectionFailed";

  /** The probe cannot be made as configured (expected statuses, the Edge's address). */
  public static final String INVALID_PROBE = "InvalidProbe";
}
