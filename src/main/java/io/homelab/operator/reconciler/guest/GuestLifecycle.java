package io.homelab.operator.reconciler.guest;

import io.homelab.operator.api.DeletionPolicy;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.guest.GuestSpec;
import io.homelab.operator.api.guest.GuestStatus;
import io.homelab.operator.api.guest.GuestTask;
import io.homelab.operator.api.guest.PowerState;
import io.homelab.operator.config.OperatorSettings;
import io.homelab.operator.driver.proxmox.ClusterGuest;
import io.homelab.operator.driver.proxmox.GuestId;
import io.homelab.operator.driver.proxmox.ProxmoxDriver;
import io.homelab.operator.driver.proxmox.ProxmoxEndpoint;
import io.homelab.operator.driver.proxmox.ProxmoxException;
import io.homelab.operator.driver.proxmox.TaskStatus;
import io.homelab.operator.model.GuestBlueprint;
import io.homelab.operator.model.GuestBlueprint.Ownership;
import io.homelab.operator.model.OwnerMarker;
import io.homelab.operator.model.Verdict;
import io.homelab.operator.reconciler.EventRecorder;
import io.homelab.operator.reconciler.Suspension;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.status.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One pass over a Guest's Proxmox guest: follow the task in flight, find the guest (by VMID, else
 * by marker), create it, configure it, grow its disks, set its power state, read its addresses.
 * Every pass does at most one long operation and records its task in status; none waits for one.
 */
@ApplicationScoped
public class GuestLifecycle {

  /** The GuestReady verdict of a pass, when to look again, and whether it counts as a failure. */
  public record Step(Verdict verdict, Duration requeue, boolean failure) {}

  /** The outcome of a cleanup pass: done, or a message and when to look again. */
  public record Cleanup(boolean done, String message, Duration requeue) {}

  /** What a config read found out, kept until the next one. */
  private record ConfigRead(
      long generation,
      Instant at,
      int vmid,
      List<String> refused,
      List<String> pending,
      Verdict conflict) {}

  /** Where the guest is: its id, its row in the bulk list (null when the list hid it). */
  private record Found(GuestId id, ClusterGuest seen, Map<String, String> config) {}

  @Inject ProxmoxConnections connections;
  @Inject CloneGate gate;
  @Inject Suspension suspension;
  @Inject EventRecorder events;
  @Inject OperatorSettings settings;
  @Inject Clock clock;

  private final Map<String, ConfigRead> configReads = new ConcurrentHashMap<>();

  /** One pass; {@code status} is changed in place (VMID, node, state, addresses, task). */
  public Step step(Guest guest, GuestStatus status, ProxmoxEndpoint endpoint) {
    ProxmoxDriver driver = connections.driver(endpoint);
    if (status.getTask() != null) {
      Optional<Step> waiting = followTask(guest, status, driver, endpoint);
      if (waiting.isPresent()) {
        return waiting.get();
      }
    }
    Optional<Step> noNode = nodeMissing(guest, driver, endpoint);
    if (noNode.isPresent()) {
      return noNode.get();
    }
    OwnerMarker marker = GuestBlueprint.marker(settings.ownerId(), guest);
    Optional<Found> found = find(guest, status, driver, endpoint);
    if (found.isEmpty()) {
      return create(guest, status, driver, endpoint, marker);
    }
    return converge(guest, status, driver, endpoint, marker, found.get());
  }

  /**
   * spec.node is not a node of the cluster: Proxmox answers 500 to everything on it, which looks
   * like an outage. Said plainly instead, and looked at again at the poll interval, so the Guest
   * goes on when the node joins. The node list is read only while the cluster list shows no guest
   * on that node.
   */
  private Optional<Step> nodeMissing(Guest guest, ProxmoxDriver driver, ProxmoxEndpoint endpoint) {
    String node = guest.getSpec().getNode();
    if (connections.guests(endpoint).stream().anyMatch(g -> g.id().node().equals(node))) {
      return Optional.empty();
    }
    List<String> nodes = driver.nodes();
    if (nodes.contains(node)) {
      return Optional.empty();
    }
    return Optional.of(
        new Step(
            Verdict.isFalse(
                ConditionType.GUEST_READY,
                Reason.NODE_NOT_FOUND,
                "Proxmox VE has no node '"
                    + node
                    + "' (its nodes: "
                    + String.join(", ", nodes.stream().sorted().toList())
                    + "): check spec.node"),
            settings.poll().proxmox(),
            false));
  }

  private Optional<Step> followTask(
      Guest guest, GuestStatus status, ProxmoxDriver driver, ProxmoxEndpoint endpoint) {
    GuestTask task = status.getTask();
    String node = status.getNode() != null ? status.getNode() : guest.getSpec().getNode();
    TaskStatus result = driver.task(node, task.getUpid());
    if (result.running()) {
      return Optional.of(
          waiting(
              "The " + task.getOperation() + " task runs (" + task.getUpid() + ")",
              settings.proxmox().taskPoll()));
    }
    status.setTask(null);
    gate.release(uid(guest));
    connections.invalidate(endpoint);
    // What the task changed (a start applies pending changes) is read again on this pass.
    configReads.remove(uid(guest));
    if (result.failed()) {
      List<String> log = driver.taskLog(node, task.getUpid(), 5);
      String message =
          "The "
              + task.getOperation()
              + " task failed: "
              + result.exitStatus()
              + (log.isEmpty() ? "" : "; last log lines: " + String.join(" | ", log));
      events.warning(guest, Reason.PROXMOX_TASK_FAILED, message);
      return Optional.of(
          new Step(
              Verdict.isFalse(ConditionType.GUEST_READY, Reason.PROXMOX_TASK_FAILED, message),
              settings.proxmox().taskPoll(),
              true));
    }
    return Optional.empty();
  }

  /**
   * The guest at the recorded VMID (confirmed by a read of its own when the list lacks it: a token
   * with too few rights sees an empty list), else at spec.vmid, else one with our name.
   */
  private Optional<Found> find(
      Guest guest, GuestStatus status, ProxmoxDriver driver, ProxmoxEndpoint endpoint) {
    GuestSpec spec = guest.getSpec();
    Integer vmid = status.getVmid() != null ? status.getVmid() : spec.getVmid();
    List<ClusterGuest> list = connections.guests(endpoint);
    if (vmid != null) {
      Optional<ClusterGuest> seen = list.stream().filter(g -> g.id().vmid() == vmid).findFirst();
      if (seen.isPresent()) {
        return Optional.of(new Found(seen.get().id(), seen.get(), null));
      }
      GuestId id = new GuestId(spec.getNode(), GuestBlueprint.proxmoxType(spec), vmid);
      return driver.config(id).map(config -> new Found(id, null, config));
    }
    String name = GuestBlueprint.name(guest);
    for (ClusterGuest candidate : list) {
      if (!candidate.template()
          && name.equals(candidate.name())
          && candidate.id().node().equals(spec.getNode())) {
        Optional<Map<String, String>> config = driver.config(candidate.id());
        if (config.isPresent()) {
          return Optional.of(new Found(candidate.id(), candidate, config.get()));
        }
      }
    }
    return Optional.empty();
  }

  private Step create(
      Guest guest,
      GuestStatus status,
      ProxmoxDriver driver,
      ProxmoxEndpoint endpoint,
      OwnerMarker marker) {
    GuestSpec spec = guest.getSpec();
    if (spec.getSource() == null) {
      return new Step(
          Verdict.isFalse(
              ConditionType.GUEST_READY,
              Reason.GUEST_NOT_FOUND,
              "No guest to adopt at VMID "
                  + spec.getVmid()
                  + " on node "
                  + spec.getNode()
                  + ", and no source to create one from"),
          settings.poll().proxmox(),
          false);
    }
    if (!suspension.mayWrite(guest)) {
      return suspended("create the guest");
    }
    if (status.getVmid() == null) {
      // The VMID goes to status before anything is created, so a crash never creates twice.
      status.setVmid(spec.getVmid() != null ? spec.getVmid() : driver.nextFreeVmid());
      status.setNode(spec.getNode());
      return waiting("VMID " + status.getVmid() + " allocated", settings.proxmox().taskPoll());
    }
    int vmid = status.getVmid();
    String operation;
    String upid;
    try {
      if (spec.getSource().getClone() != null) {
        String templateNode = GuestBlueprint.templateNode(spec);
        int template = spec.getSource().getClone().getTemplateVmid();
        String cluster = endpoint.name();
        if (!gate.tryAcquire(
            cluster + " " + templateNode + "/" + template,
            cluster + " " + spec.getNode(),
            uid(guest),
            settings.proxmox().cloneConcurrencyPerNode(),
            clock.instant())) {
          return waiting(
              "Waiting for its turn: clones of template " + template + " run one at a time",
              settings.proxmox().taskPoll());
        }
        operation = "clone";
        upid =
            driver.cloneGuest(
                new GuestId(templateNode, GuestBlueprint.proxmoxType(spec), template),
                vmid,
                GuestBlueprint.cloneSettings(guest, marker));
      } else {
        operation = "create";
        upid =
            driver.createContainer(
                spec.getNode(), vmid, GuestBlueprint.newContainer(guest, marker));
      }
    } catch (ProxmoxException e) {
      gate.release(uid(guest));
      if (e.locked()) {
        return waiting(
            "The template is locked by another task: " + e.getMessage(),
            settings.proxmox().taskPoll());
      }
      if (e.getMessage().contains("already exists") && spec.getVmid() == null) {
        // Taken between nextid and the create: allocate another.
        status.setVmid(null);
        return waiting("VMID " + vmid + " was taken meanwhile", settings.proxmox().taskPoll());
      }
      throw e;
    }
    status.setNode(spec.getNode());
    status.setTask(task(upid, operation));
    events.normal(
        guest,
        Reason.PROVISIONING,
        (operation.equals("clone")
                ? "Cloning template " + spec.getSource().getClone().getTemplateVmid()
                : "Creating a container from " + spec.getSource().getOstemplate())
            + " into VMID "
            + vmid
            + " on node "
            + spec.getNode());
    return waiting("The " + operation + " task runs (" + upid + ")", settings.proxmox().taskPoll());
  }

  private Step converge(
      Guest guest,
      GuestStatus status,
      ProxmoxDriver driver,
      ProxmoxEndpoint endpoint,
      OwnerMarker marker,
      Found found) {
    GuestSpec spec = guest.getSpec();
    GuestId id = found.id();
    ClusterGuest seen = found.seen();
    long generation = generation(guest);
    Instant now = clock.instant();
    ConfigRead last = configReads.get(uid(guest));
    List<String> drift =
        seen == null
            ? List.of()
            : GuestBlueprint.bulkDrift(
                guest,
                new GuestBlueprint.BulkView(
                    seen.name(), seen.status(), seen.tags(), seen.cores(), seen.memoryMib()));
    boolean stale =
        found.config() != null
            || last == null
            || last.vmid() != id.vmid()
            || last.generation() != generation
            || !last.at().plus(settings.poll().guestConfig()).isAfter(now);
    if (!stale && last.conflict() != null) {
      // Not ours: what the list shows of it is no drift of ours, and costs no read per poll.
      return new Step(last.conflict(), settings.poll().proxmox(), false);
    }
    boolean due = stale || !drift.isEmpty();
    if (seen != null && seen.lock() != null) {
      return waiting("The guest is locked (" + seen.lock() + ")", settings.proxmox().taskPoll());
    }
    if (due) {
      Map<String, String> config =
          found.config() != null ? found.config() : driver.config(id).orElse(null);
      if (config == null) {
        configReads.remove(uid(guest));
        return waiting("The guest vanished while it was read", settings.proxmox().taskPoll());
      }
      Ownership ownership = GuestBlueprint.ownership(config, marker);
      boolean adopt = Boolean.TRUE.equals(spec.getAdopt());
      if (ownership == Ownership.NOT_OURS && !adopt) {
        if (status.getVmid() != null && spec.getVmid() == null && status.getState() == null) {
          // Our allocated VMID was taken before our create ran: allocate another.
          configReads.remove(uid(guest));
          status.setVmid(null);
          return waiting(
              "VMID " + id.vmid() + " was taken by another guest", settings.proxmox().taskPoll());
        }
        Step conflict = conflict(guest, id, config);
        // Remembered, so a Conflict costs no read of its own per poll.
        configReads.put(
            uid(guest),
            new ConfigRead(generation, now, id.vmid(), List.of(), List.of(), conflict.verdict()));
        return conflict;
      }
      status.setVmid(id.vmid());
      status.setNode(id.node());
      if (config.containsKey("lock")) {
        return waiting(
            "The guest is locked (" + config.get("lock") + ")", settings.proxmox().taskPoll());
      }
      Map<String, String> changes = GuestBlueprint.changes(guest, marker, config);
      if (!changes.isEmpty()) {
        if (!suspension.mayWrite(guest)) {
          return suspended("change " + String.join(", ", changes.keySet()));
        }
        driver.updateConfig(id, changes, List.of());
        connections.invalidate(endpoint);
        events.normal(
            guest,
            ownership == Ownership.NOT_OURS
                ? Reason.ADOPTED
                : drift.isEmpty() ? Reason.CONFIG_UPDATED : Reason.DRIFT_CORRECTED,
            (drift.isEmpty() ? "" : "Found " + String.join(", ", drift) + "; ")
                + "set "
                + String.join(", ", changes.keySet())
                + " of "
                + id);
      }
      GuestBlueprint.DiskPlan disks = GuestBlueprint.disks(spec.getDisks(), config);
      if (!disks.grow().isEmpty()) {
        if (!suspension.mayWrite(guest)) {
          return suspended("grow disk " + disks.grow().get(0).disk());
        }
        GuestBlueprint.Resize resize = disks.grow().get(0);
        status.setTask(task(driver.resize(id, resize.disk(), resize.size()), "resize"));
        events.normal(
            guest,
            Reason.DISK_GROWN,
            "Growing disk " + resize.disk() + " of " + id + " to " + resize.size());
        return waiting(
            "Growing disk " + resize.disk() + " to " + resize.size(),
            settings.proxmox().taskPoll());
      }
      // A stopped guest takes pending changes at its next start; they matter once it runs.
      List<String> pending = List.copyOf(driver.pending(id).keySet());
      last = new ConfigRead(generation, now, id.vmid(), disks.refused(), pending, null);
      configReads.put(uid(guest), last);
    }
    return power(guest, status, driver, id, seen, last, due);
  }

  private Step power(
      Guest guest,
      GuestStatus status,
      ProxmoxDriver driver,
      GuestId id,
      ClusterGuest seen,
      ConfigRead read,
      boolean freshRead) {
    GuestSpec spec = guest.getSpec();
    String state = seen != null ? seen.status() : status.getState();
    boolean wantRunning = spec.getPowerState() != PowerState.Stopped;
    if (state != null && wantRunning != "running".equals(state)) {
      if (!suspension.mayWrite(guest)) {
        return suspended(wantRunning ? "start the guest" : "shut the guest down");
      }
      if ("running".equals(status.getState()) && wantRunning) {
        events.normal(guest, Reason.DRIFT_CORRECTED, "Found " + id + " " + state + "; starting it");
      }
      String upid =
          wantRunning
              ? driver.start(id)
              : driver.shutdown(
                  id,
                  spec.getShutdownTimeoutSeconds() == null
                      ? 120
                      : spec.getShutdownTimeoutSeconds());
      status.setTask(task(upid, wantRunning ? "start" : "shutdown"));
      events.normal(
          guest,
          Reason.POWER_CHANGE,
          (wantRunning ? "Starting " : "Shutting down ") + id + " (it was " + state + ")");
      status.setState(state);
      return waiting(
          (wantRunning ? "Starting " : "Shutting down ") + id, settings.proxmox().taskPoll());
    }
    status.setState(state);
    if (wantRunning) {
      boolean restartPending = read != null && !read.pending().isEmpty() && "running".equals(state);
      if (freshRead || (status.getAddresses() == null && !restartPending)) {
        List<String> addresses = GuestBlueprint.usableAddresses(driver.addresses(id));
        status.setAddresses(addresses.isEmpty() ? null : addresses);
      }
      if (status.getAddresses() == null && !restartPending) {
        return new Step(
            Verdict.isFalse(
                ConditionType.GUEST_READY,
                Reason.WAITING_FOR_ADDRESS,
                id
                    + " runs; waiting for its address"
                    + (id.type().equals("qemu") ? " from the QEMU guest agent" : "")),
            settings.proxmox().taskPoll(),
            false);
      }
    } else {
      status.setAddresses(null);
    }
    if (read != null && !read.refused().isEmpty()) {
      return settled(Reason.DISK_SHRINK_REFUSED, String.join("; ", read.refused()), false);
    }
    if (read != null && !read.pending().isEmpty() && "running".equals(state)) {
      return settled(
          Reason.RESTART_REQUIRED,
          "Changes to "
              + String.join(", ", read.pending())
              + " wait for the guest's next restart; the operator does not reboot it",
          false);
    }
    return settled(
        Reason.READY,
        id
            + " is "
            + state
            + (status.getAddresses() == null
                ? ""
                : " at " + String.join(", ", status.getAddresses())),
        true);
  }

  /** Deletion: Retain removes our marker, Delete shuts down and destroys with purge. */
  public Cleanup cleanup(Guest guest, GuestStatus status, ProxmoxEndpoint endpoint) {
    GuestSpec spec = guest.getSpec();
    configReads.remove(uid(guest));
    gate.release(uid(guest));
    if (status.getVmid() == null) {
      return new Cleanup(true, "No Proxmox guest was recorded for it", null);
    }
    ProxmoxDriver driver = connections.driver(endpoint);
    String node = status.getNode() != null ? status.getNode() : spec.getNode();
    GuestId id = new GuestId(node, GuestBlueprint.proxmoxType(spec), status.getVmid());
    if (status.getTask() != null) {
      TaskStatus task = driver.task(node, status.getTask().getUpid());
      if (task.running()) {
        return new Cleanup(
            false,
            "Waiting for the " + status.getTask().getOperation() + " task",
            settings.proxmox().taskPoll());
      }
      status.setTask(null);
    }
    Optional<Map<String, String>> config = driver.config(id);
    OwnerMarker marker = GuestBlueprint.marker(settings.ownerId(), guest);
    if (config.isEmpty()) {
      return new Cleanup(true, id + " is gone", null);
    }
    if (GuestBlueprint.ownership(config.get(), marker) == Ownership.NOT_OURS) {
      return new Cleanup(true, id + " does not carry our marker: left alone", null);
    }
    if (!suspension.mayWrite(guest)) {
      return new Cleanup(
          false, "Writes are suspended; the cleanup waits", settings.poll().proxmox());
    }
    if (spec.getDeletionPolicy() != DeletionPolicy.Delete) {
      Map<String, String> release = GuestBlueprint.release(config.get(), marker);
      if (!release.isEmpty()) {
        driver.updateConfig(id, release, List.of());
      }
      return new Cleanup(
          true, "Released (deletionPolicy Retain): " + id + " stays, without our marker", null);
    }
    connections.invalidate(endpoint);
    boolean running =
        connections.guests(endpoint).stream()
            .anyMatch(g -> g.id().equals(id) && "running".equals(g.status()));
    if (running) {
      int timeout =
          spec.getShutdownTimeoutSeconds() == null ? 120 : spec.getShutdownTimeoutSeconds();
      status.setTask(task(driver.shutdown(id, timeout), "shutdown"));
      events.normal(guest, Reason.POWER_CHANGE, "Shutting down " + id + " to destroy it");
      return new Cleanup(
          false, "Shutting down " + id + " before destroying it", settings.proxmox().taskPoll());
    }
    status.setTask(task(driver.destroy(id), "delete"));
    events.normal(guest, Reason.DESTROYING, "Destroying " + id + " with its disks (purge)");
    return new Cleanup(false, "Destroying " + id, settings.proxmox().taskPoll());
  }

  /** The Guest is gone from the cluster: forget what was remembered of it. */
  public void forget(Guest guest) {
    configReads.remove(uid(guest));
    gate.release(uid(guest));
  }

  private Step conflict(Guest guest, GuestId id, Map<String, String> config) {
    OwnerMarker owner = GuestBlueprint.ownerOf(config);
    return new Step(
        Verdict.isFalse(
            ConditionType.GUEST_READY,
            Reason.CONFLICT,
            id
                + " is not this Guest's ("
                + (owner == null
                    ? "it carries no homelab-operator marker"
                    : "marked for " + owner.text())
                + "); the operator leaves it untouched. Set spec.adopt: true to take it over"),
        settings.poll().proxmox(),
        false);
  }

  private Step settled(String reason, String message, boolean ready) {
    Verdict verdict =
        ready
            ? Verdict.isTrue(ConditionType.GUEST_READY, reason, message)
            : Verdict.isFalse(ConditionType.GUEST_READY, reason, message);
    return new Step(verdict, settings.poll().proxmox(), false);
  }

  private static Step waiting(String message, Duration requeue) {
    return new Step(
        Verdict.isFalse(ConditionType.GUEST_READY, Reason.PROVISIONING, message), requeue, false);
  }

  private Step suspended(String what) {
    return new Step(
        Verdict.unknown(
            ConditionType.GUEST_READY,
            Reason.PENDING,
            "External writes are suspended; the operator would " + what),
        settings.poll().proxmox(),
        false);
  }

  private GuestTask task(String upid, String operation) {
    GuestTask task = new GuestTask();
    task.setUpid(upid);
    task.setOperation(operation);
    task.setStartedAt(
        clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    return task;
  }

  private static String uid(Guest guest) {
    return guest.getMetadata().getUid();
  }

  private static long generation(Guest guest) {
    Long generation = guest.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }
}
