package io.homelab.operator.reconciler.guest;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.guest.GuestStatus;
import io.homelab.operator.driver.proxmox.ProxmoxEndpoint;
import io.homelab.operator.driver.proxmox.ProxmoxException;
import io.homelab.operator.model.References;
import io.homelab.operator.model.SecretUses;
import io.homelab.operator.model.Verdict;
import io.homelab.operator.reconciler.Deletions;
import io.homelab.operator.reconciler.Failures;
import io.homelab.operator.reconciler.Reporting;
import io.homelab.operator.reconciler.SecretHolds;
import io.homelab.operator.reconciler.Sources;
import io.homelab.operator.reconciler.StatusAssembly;
import io.homelab.operator.reconciler.Suspension;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.status.Reason;
import io.homelab.operator.status.StatusWriter;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Reconciles Guests: the Proxmox connection Secret, then the guest in Proxmox VE (see {@link
 * GuestLifecycle}). Deleting a Guest with the default deletionPolicy Retain leaves the guest and
 * its disks, without our marker; Delete destroys it and keeps the finalizer until that is done.
 */
@ControllerConfiguration(name = "guest", generationAwareEventProcessing = false)
public class GuestReconciler implements Reconciler<Guest>, Cleaner<Guest> {

  private static final Logger LOG = Logger.getLogger(GuestReconciler.class);

  static final List<String> HOPS = List.of(ConditionType.GUEST_READY);
  static final String PENDING_HOPS = "Waiting for the Proxmox connection Secret";

  /** Proxmox's certificate matches neither the pinned fingerprint nor the caBundle. */
  static final String CERTIFICATE_NOT_TRUSTED = "CertificateNotTrusted";

  @Inject Clock clock;
  @Inject Reporting reporting;
  @Inject Suspension suspension;
  @Inject Failures failures;
  @Inject Deletions deletions;
  @Inject GuestLifecycle lifecycle;

  @Override
  public List<EventSource<?, Guest>> prepareEventSources(EventSourceContext<Guest> context) {
    return List.of(Sources.secrets(context, SecretUses::names));
  }

  @Override
  public UpdateControl<Guest> reconcile(Guest guest, Context<Guest> context) {
    GuestStatus status = carryOver(guest.getStatus());
    try {
      Verdict resolved =
          resolvedRefs(guest, Sources.secretKeys(context, guest.getMetadata().getNamespace()));
      List<Verdict> verdicts = new ArrayList<>();
      verdicts.add(Verdict.isTrue(ConditionType.ACCEPTED, Reason.ACCEPTED, "The spec is valid"));
      verdicts.add(resolved);
      SecretHolds.hold(guest, context);
      GuestLifecycle.Step step = null;
      if (resolved.holds()) {
        step = drive(guest, context, status);
        verdicts.add(step.verdict());
      }
      UpdateControl<Guest> update =
          reporting.patchIfChanged(
              guest,
              StatusAssembly.assembleInforming(
                  guest, status, clock, verdicts, HOPS, PENDING_HOPS, informational(guest)));
      if (step != null && step.failure()) {
        return update.rescheduleAfter(failures.failed(guest));
      }
      failures.succeeded(guest);
      return step == null ? update : update.rescheduleAfter(step.requeue());
    } catch (ProxmoxException e) {
      if (e.untrusted()) {
        return untrusted(guest, context, status, e);
      }
      if (!e.isTransient()) {
        return refused(guest, status, e);
      }
      return failed(guest, status, Reason.PROXMOX_UNAVAILABLE, "Proxmox VE: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.warnf(e, "Guest %s: reconcile failed", Sources.key(guest));
      return failed(guest, status, Reason.RECONCILE_ERROR, e.toString());
    }
  }

  /** One lifecycle pass, or why it cannot run with this connection Secret. */
  private GuestLifecycle.Step drive(Guest guest, Context<Guest> context, GuestStatus status) {
    Optional<ProxmoxEndpoint> endpoint = endpoint(guest, context);
    if (endpoint.isEmpty()) {
      return new GuestLifecycle.Step(
          Verdict.isFalse(
              ConditionType.GUEST_READY,
              Reason.INVALID_CONNECTION,
              "Secret "
                  + secretKey(guest)
                  + " cannot be used: "
                  + invalidConnection(guest, context)),
          Duration.ofMinutes(5),
          false);
    }
    return lifecycle.step(guest, status, endpoint.get());
  }

  private static Optional<ProxmoxEndpoint> endpoint(Guest guest, Context<Guest> context) {
    try {
      return Optional.of(connection(guest, context));
    } catch (IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }

  private static String invalidConnection(Guest guest, Context<Guest> context) {
    try {
      connection(guest, context);
      return "";
    } catch (IllegalArgumentException | NullPointerException e) {
      return e.getMessage();
    }
  }

  private static ProxmoxEndpoint connection(Guest guest, Context<Guest> context) {
    Secret secret =
        Sources.get(
                context,
                Secret.class,
                "secrets",
                guest.getMetadata().getNamespace(),
                guest.getSpec().getProxmox().getConnectionSecretRef().getName())
            .orElseThrow(() -> new IllegalArgumentException("it is gone"));
    return ProxmoxConnections.endpoint(
        secret, Boolean.TRUE.equals(guest.getSpec().getProxmox().getInsecureSkipTlsVerify()));
  }

  private static String secretKey(Guest guest) {
    return guest.getMetadata().getNamespace()
        + "/"
        + guest.getSpec().getProxmox().getConnectionSecretRef().getName();
  }

  /**
   * Proxmox refused a call (4xx): a condition, and no retry storm: tried again with the capped
   * backoff, so credentials put right (a token revoked, then restored) are picked up by themselves.
   */
  private UpdateControl<Guest> refused(Guest guest, GuestStatus status, ProxmoxException e) {
    return permanent(
        guest,
        status,
        Reason.PROXMOX_REFUSED,
        "Proxmox VE refused the call (HTTP " + e.status() + "): " + e.getMessage());
  }

  /**
   * Proxmox's certificate failed the check the connection Secret asks for: nothing was sent. It
   * stays so until the Secret or the certificate changes.
   */
  private UpdateControl<Guest> untrusted(
      Guest guest, Context<Guest> context, GuestStatus status, ProxmoxException e) {
    boolean pinned =
        Sources.secretKeys(context, guest.getMetadata().getNamespace())
            .apply(guest.getSpec().getProxmox().getConnectionSecretRef().getName())
            .map(keys -> keys.contains("fingerprint"))
            .orElse(false);
    return permanent(
        guest,
        status,
        CERTIFICATE_NOT_TRUSTED,
        "Proxmox VE's certificate "
            + (pinned
                ? "does not match the fingerprint pinned in Secret "
                : "is not signed by a CA of the caBundle in Secret ")
            + secretKey(guest)
            + ", so nothing was sent ("
            + e.tlsProblem()
            + ")");
  }

  /**
   * A failure that trying again at once will not mend: GuestReady says why, looked at again with
   * the capped backoff.
   */
  private UpdateControl<Guest> permanent(
      Guest guest, GuestStatus status, String reason, String message) {
    List<Verdict> verdicts =
        List.of(
            Verdict.isTrue(ConditionType.ACCEPTED, Reason.ACCEPTED, "The spec is valid"),
            References.resolved("The Proxmox connection Secret is there"),
            Verdict.isFalse(ConditionType.GUEST_READY, reason, message));
    return reporting
        .patchIfChanged(
            guest,
            StatusAssembly.assembleInforming(
                guest, status, clock, verdicts, HOPS, PENDING_HOPS, informational(guest)))
        .rescheduleAfter(failures.failed(guest));
  }

  /** Paused, and the warning that TLS verification is off when the spec turns it off. */
  private List<Verdict> informational(Guest guest) {
    List<Verdict> informational = new ArrayList<>();
    Verdict paused = suspension.of(guest);
    if (paused != null) {
      informational.add(paused);
    }
    if (Boolean.TRUE.equals(guest.getSpec().getProxmox().getInsecureSkipTlsVerify())) {
      informational.add(
          Verdict.isFalse(
              ConditionType.TLS_VERIFIED,
              Reason.INSECURE_TLS,
              "spec.proxmox.insecureSkipTlsVerify is true: Proxmox's certificate is not checked,"
                  + " so anyone on the path can read the API token"));
    }
    return informational;
  }

  private UpdateControl<Guest> failed(
      Guest guest, GuestStatus status, String reason, String message) {
    return reporting
        .patchIfChanged(guest, StatusAssembly.failed(guest, status, clock, reason, message))
        .rescheduleAfter(failures.failed(guest));
  }

  /** The connection Secret, which must also say how to trust Proxmox unless verification is off. */
  static Verdict resolvedRefs(Guest guest, Function<String, Optional<Set<String>>> secretKeys) {
    String namespace = guest.getMetadata().getNamespace();
    Optional<Verdict> problem =
        References.checkSecrets(namespace, SecretUses.of(guest), secretKeys);
    if (problem.isPresent()) {
      return problem.get();
    }
    String secret = guest.getSpec().getProxmox().getConnectionSecretRef().getName();
    Set<String> keys = secretKeys.apply(secret).orElse(Set.of());
    boolean insecure = Boolean.TRUE.equals(guest.getSpec().getProxmox().getInsecureSkipTlsVerify());
    if (!insecure && !keys.contains("caBundle") && !keys.contains("fingerprint")) {
      return References.unresolved(
          References.SECRET_KEY_MISSING,
          "Secret "
              + namespace
              + "/"
              + secret
              + " (spec.proxmox.connectionSecretRef) has neither caBundle nor fingerprint to trust"
              + " Proxmox's certificate; add one, or set spec.proxmox.insecureSkipTlsVerify");
    }
    return References.resolved("The Proxmox connection Secret is there");
  }

  @Override
  public DeleteControl cleanup(Guest guest, Context<Guest> context) {
    return deletions
        .forced(guest, leftBehind(guest))
        .orElseGet(
            () -> {
              GuestStatus status = carryOver(guest.getStatus());
              if (status.getVmid() == null) {
                lifecycle.forget(guest);
                return deletions.cleanedUp(
                    guest, "Guest removed; no Proxmox guest was recorded for it");
              }
              Optional<ProxmoxEndpoint> endpoint = endpoint(guest, context);
              if (endpoint.isEmpty()) {
                return deletions.cleanedUp(
                    guest,
                    "Guest removed without cleanup: Secret "
                        + secretKey(guest)
                        + " cannot be used; left behind: "
                        + String.join("; ", leftBehind(guest)));
              }
              try {
                GuestLifecycle.Cleanup cleanup = lifecycle.cleanup(guest, status, endpoint.get());
                if (cleanup.done()) {
                  lifecycle.forget(guest);
                  return deletions.cleanedUp(guest, cleanup.message());
                }
                recordCleanup(guest, context, status);
                return DeleteControl.noFinalizerRemoval().rescheduleAfter(cleanup.requeue());
              } catch (ProxmoxException e) {
                LOG.warnf("Guest %s: cleanup failed: %s", Sources.key(guest), e.getMessage());
                return deletions.failing(
                    guest,
                    context,
                    () -> carryOver(guest.getStatus()),
                    e.isTransient() ? Reason.PROXMOX_UNAVAILABLE : Reason.PROXMOX_REFUSED,
                    "Deletion waits: Proxmox VE failed the cleanup: " + e.getMessage(),
                    failures.failed(guest));
              }
            });
  }

  /** Keeps the task a cleanup started in status, so the next pass reads it. */
  private static void recordCleanup(Guest guest, Context<Guest> context, GuestStatus status) {
    if (guest.getStatus() != null) {
      status.setConditions(guest.getStatus().getConditions());
      status.setObservedGeneration(guest.getStatus().getObservedGeneration());
    }
    if (guest.getStatus() != null && !StatusWriter.differs(guest.getStatus(), status)) {
      return;
    }
    try {
      context
          .getClient()
          .resource(guest)
          .editStatus(
              current -> {
                current.setStatus(status);
                return current;
              });
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "Guest %s: could not record the cleanup task: %s", Sources.key(guest), e.getMessage());
    }
  }

  static List<String> leftBehind(Guest guest) {
    List<String> left = new ArrayList<>();
    if (guest.getStatus() != null && guest.getStatus().getVmid() != null) {
      left.add(
          "Proxmox guest " + guest.getStatus().getVmid() + " on node " + guest.getSpec().getNode());
    }
    return left;
  }

  private static GuestStatus carryOver(GuestStatus old) {
    GuestStatus status = new GuestStatus();
    if (old != null) {
      status.setVmid(old.getVmid());
      status.setNode(old.getNode());
      status.setState(old.getState());
      status.setAddresses(old.getAddresses());
      status.setTask(old.getTask());
    }
    return status;
  }
}
