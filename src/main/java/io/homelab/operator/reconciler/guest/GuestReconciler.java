package io.homelab.operator.reconciler.guest;

import io.homelab.operator.api.DeletionPolicy;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.guest.GuestStatus;
import io.homelab.operator.model.References;
import io.homelab.operator.model.SecretUses;
import io.homelab.operator.model.Verdict;
import io.homelab.operator.reconciler.Deletions;
import io.homelab.operator.reconciler.Failures;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reconciles Guests: the Proxmox connection Secret; then (with the driver) the guest in Proxmox VE.
 * Deleting a Guest with the default deletionPolicy Retain leaves the guest and its disks alone.
 */
@ControllerConfiguration(name = "guest", generationAwareEventProcessing = false)
public class GuestReconciler implements Reconciler<Guest>, Cleaner<Guest> {

  static final List<String> HOPS = List.of(ConditionType.GUEST_READY);
  static final String PENDING_HOPS = "Proxmox VE is not driven by this version of the operator";

  @Inject Clock clock;
  @Inject Suspension suspension;
  @Inject Failures failures;
  @Inject Deletions deletions;

  @Override
  public List<EventSource<?, Guest>> prepareEventSources(EventSourceContext<Guest> context) {
    return List.of(Sources.secrets(context, SecretUses::names));
  }

  @Override
  public UpdateControl<Guest> reconcile(Guest guest, Context<Guest> context) {
    try {
      List<Verdict> verdicts =
          List.of(
              Verdict.isTrue(ConditionType.ACCEPTED, Reason.ACCEPTED, "The spec is valid"),
              resolvedRefs(guest, Sources.secretKeys(context, guest.getMetadata().getNamespace())));
      GuestStatus status =
          StatusAssembly.assemble(
              guest,
              carryOver(guest.getStatus()),
              clock,
              verdicts,
              HOPS,
              PENDING_HOPS,
              suspension.of(guest));
      SecretHolds.hold(guest, context);
      failures.succeeded(guest);
      return StatusWriter.patchIfChanged(guest, status);
    } catch (RuntimeException e) {
      GuestStatus status =
          StatusAssembly.failed(
              guest, carryOver(guest.getStatus()), clock, Reason.RECONCILE_ERROR, e.toString());
      return StatusWriter.patchIfChanged(guest, status).rescheduleAfter(failures.failed(guest));
    }
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
              if (guest.getSpec().getDeletionPolicy() == DeletionPolicy.Retain) {
                return deletions.cleanedUp(
                    guest,
                    "Released (deletionPolicy Retain): the guest and its disks stay in Proxmox");
              }
              return deletions.cleanedUp(
                  guest,
                  leftBehind(guest).isEmpty()
                      ? "Guest removed; nothing external was recorded for it"
                      : "Guest removed; left behind: " + String.join("; ", leftBehind(guest)));
            });
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
