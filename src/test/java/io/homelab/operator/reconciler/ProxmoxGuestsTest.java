package io.homelab.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homelab.operator.api.DeletionPolicy;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.guest.PowerState;
import io.homelab.operator.sandbox.proxmox.ProxmoxSimulator;
import io.homelab.operator.sandbox.proxmox.SimulatedCluster.SimGuest;
import io.homelab.operator.status.ConditionType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Guests driven for real, against the Proxmox simulator on loopback (HTTPS, pinned fingerprint,
 * tasks that take 50 ms) and the mock API server. Every test uses a namespace of its own.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ProxmoxGuestsTest {

  static final String TOKEN = "homelab@pve!operator";
  static final String SECRET = "test-token-secret";
  static final int TEMPLATE = 9000;
  static final Duration DEADLINE = Duration.ofSeconds(30);

  static ProxmoxSimulator pve;

  @Inject KubernetesClient client;

  @BeforeAll
  static void startSimulator() {
    pve = ProxmoxSimulator.start(TOKEN, SECRET, Duration.ofMillis(50), "pve1");
    pve.cluster().addTemplate("pve1", TEMPLATE, "qemu", "debian-12-cloud");
  }

  @AfterAll
  static void stopSimulator() {
    pve.close();
  }

  @BeforeEach
  void clearFaults() {
    pve.cluster().hideList(false);
    pve.cluster().holdTasks(false);
  }

  Homelab lab(String namespace) {
    Homelab lab = new Homelab(client, namespace);
    lab.create(pve.connectionSecret(namespace, "proxmox"));
    return lab;
  }

  /** The sample VM under another name, without the disk to grow: quicker to make. */
  static Guest vm(Homelab lab, String name, java.util.function.Consumer<Guest> change) {
    return lab.guest(
        g -> {
          g.getMetadata().setName(name);
          g.getSpec().setDisks(null);
          change.accept(g);
        });
  }

  Guest awaitReady(Homelab lab, String name) {
    lab.awaitCondition(Guest.class, name, ConditionType.GUEST_READY, "True", "Ready");
    lab.awaitCondition(Guest.class, name, ConditionType.READY, "True", "Ready");
    return lab.get(Guest.class, name);
  }

  static SimGuest simGuest(int vmid) {
    return pve.cluster().guest(vmid).orElseThrow(() -> new AssertionError("no guest " + vmid));
  }

  static List<String> writes() {
    return pve.requests().stream().filter(r -> !r.startsWith("GET ")).toList();
  }

  @Test
  void aVmIsClonedConfiguredStartedAndFollowsItsSpecAndDrift() {
    Homelab lab = lab("vm");
    lab.guest(g -> {});
    Guest ready = awaitReady(lab, "app");
    int vmid = ready.getStatus().getVmid();
    assertThat(ready.getStatus().getNode()).isEqualTo("pve1");
    assertThat(ready.getStatus().getState()).isEqualTo("running");
    assertThat(ready.getStatus().getAddresses()).singleElement().asString().startsWith("10.10.");
    assertThat(ready.getStatus().getTask()).isNull();
    SimGuest vm = simGuest(vmid);
    assertThat(vm.status()).isEqualTo("running");
    assertThat(vm.config())
        .containsEntry("name", "app")
        .containsEntry("tags", "homelab-operator;web")
        .containsEntry("description", "homelab-operator:test/Guest/vm/app")
        .containsEntry("agent", "1")
        .containsEntry("ciuser", "debian")
        .containsEntry("cores", "2")
        .containsEntry("memory", "2048")
        .containsEntry("onboot", "1")
        .containsEntry("ipconfig0", "ip=dhcp")
        .containsEntry("net0", "virtio,bridge=vmbr0");
    assertThat(vm.config().get("scsi0")).contains("size=32G");
    assertThat(vm.config().get("sshkeys")).startsWith("ssh-ed25519%20AAAA");

    pve.resetCounts();
    lab.edit(Guest.class, "app", g -> g.getSpec().setMemory(4096));
    await("memory 4096 in Proxmox")
        .atMost(DEADLINE)
        .until(() -> simGuest(vmid).config().get("memory"), "4096"::equals);
    awaitObservedReady(lab, "app", 2);
    assertThat(writes()).containsExactly("PUT /nodes/pve1/qemu/" + vmid + "/config");

    pve.cluster().setConfig(vmid, "memory", "1024");
    pve.cluster().setStatus(vmid, "stopped");
    await("drift corrected")
        .atMost(DEADLINE)
        .until(
            () ->
                simGuest(vmid).config().get("memory").equals("4096")
                    && simGuest(vmid).status().equals("running"));
    assertThat(lab.events("Guest", "app"))
        .anySatisfy(e -> assertThat(e).contains("DriftCorrected").contains("memory 1024 MiB"));
    awaitReady(lab, "app");

    pve.resetCounts();
    Instant since = Instant.now();
    await("a quiet stretch of steady state")
        .during(Duration.ofMillis(3500))
        .atMost(Duration.ofSeconds(10))
        .until(() -> writes().isEmpty());
    long polls = Duration.between(since, Instant.now()).toSeconds() + 1;
    assertThat(pve.requests())
        .as("at steady state, only the shared list, once per poll")
        .allMatch(r -> r.equals("GET /cluster/resources"))
        .hasSizeBetween(1, (int) polls);
  }

  @Test
  void aVmidTakenBetweenNextidAndTheCloneIsLeftAloneAndAnotherAllocated() {
    Homelab lab = lab("race");
    pve.cluster().raceNextId("pve1", "quicker");
    lab.guest(g -> g.getMetadata().setName("late"));
    Guest ready = awaitReady(lab, "late");
    SimGuest quicker =
        pve.cluster().guests().stream()
            .filter(g -> "quicker".equals(g.config().get("name")))
            .findFirst()
            .orElseThrow();
    assertThat(ready.getStatus().getVmid())
        .as("the VMID the operator ended up with")
        .isNotEqualTo(quicker.vmid());
    assertThat(quicker.config().get("description")).as("the other guest, untouched").isNull();
    assertThat(quicker.config().get("tags")).isNull();
    assertThat(pve.cluster().guests().stream().filter(g -> "late".equals(g.config().get("name"))))
        .as("guests named late")
        .hasSize(1);
  }

  @Test
  void anLxcContainerIsCreatedFromItsOstemplate() {
    Homelab lab = lab("ct");
    lab.lxc(g -> {});
    Guest ready = awaitReady(lab, "media");
    SimGuest ct = simGuest(ready.getStatus().getVmid());
    assertThat(ready.getStatus().getAddresses()).containsExactly("192.168.20.30");
    assertThat(ct.config())
        .containsEntry("hostname", "media")
        .containsEntry("memory", "1024")
        .containsEntry("net0", "name=eth0,bridge=vmbr0,tag=20,ip=192.168.20.30/24,gw=192.168.20.1");
    assertThat(ct.config().get("rootfs")).contains("size=16G");
    assertThat(pve.requests()).anySatisfy(r -> assertThat(r).isEqualTo("POST /nodes/pve1/lxc"));
  }

  @Test
  void twentyClonesOfOneTemplateAllBecomeReady() {
    Homelab lab = lab("many");
    List<String> names = IntStream.range(0, 20).mapToObj(i -> "web-" + i).toList();
    for (String name : names) {
      lab.guest(
          g -> {
            g.getMetadata().setName(name);
            g.getSpec().setDisks(null);
          });
    }
    await("20 Guests Ready")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                names.stream()
                    .allMatch(
                        n ->
                            Homelab.condition(lab.get(Guest.class, n), ConditionType.READY)
                                .map(c -> c.getStatus().equals("True"))
                                .orElse(false)));
    List<Integer> vmids =
        names.stream().map(n -> lab.get(Guest.class, n).getStatus().getVmid()).toList();
    assertThat(vmids).doesNotHaveDuplicates().hasSize(20);
    assertThat(
            pve.cluster().guests().stream()
                .filter(g -> g.config().getOrDefault("description", "").contains("/Guest/many/")))
        .hasSize(20);
    for (String name : names) {
      assertThat(lab.events("Guest", name)).noneMatch(e -> e.contains("ProxmoxTaskFailed"));
    }
  }

  @Test
  void retainLeavesTheGuestWithoutOurMarkerAndDeleteDestroysItBeforeTheFinalizerGoes() {
    Homelab lab = lab("bye");
    lab.guest(g -> g.getMetadata().setName("kept"));
    lab.guest(
        g -> {
          g.getMetadata().setName("gone");
          g.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
        });
    int kept = awaitReady(lab, "kept").getStatus().getVmid();
    int gone = awaitReady(lab, "gone").getStatus().getVmid();

    lab.delete(Guest.class, "kept");
    lab.awaitGone(Guest.class, "kept");
    assertThat(simGuest(kept).status()).isEqualTo("running");
    assertThat(simGuest(kept).config().get("tags")).isEqualTo("web");
    assertThat(simGuest(kept).config().get("description")).isEmpty();

    pve.cluster().holdTasks(true);
    lab.delete(Guest.class, "gone");
    await("the shutdown task recorded")
        .atMost(DEADLINE)
        .until(
            () -> lab.get(Guest.class, "gone").getStatus().getTask(),
            t -> t != null && t.getOperation().equals("shutdown"));
    assertThat(lab.get(Guest.class, "gone").getMetadata().getFinalizers()).isNotEmpty();
    assertThat(pve.cluster().guest(gone)).isPresent();
    pve.cluster().holdTasks(false);
    lab.awaitGone(Guest.class, "gone");
    assertThat(pve.cluster().guest(gone)).isEmpty();
    assertThat(pve.requests()).contains("DELETE /nodes/pve1/qemu/" + gone);
  }

  @Test
  void anUnownedGuestAtTheAskedVmidIsAConflictAndLeftUntouched() {
    Homelab lab = lab("theirs");
    pve.cluster().addGuest("pve1", 4321, "qemu", "someone-elses", true);
    Map<String, String> before = simGuest(4321).config();
    pve.resetCounts();
    lab.guest(
        g -> {
          g.getMetadata().setName("mine");
          g.getSpec().setVmid(4321);
        });
    var conflict =
        lab.awaitCondition(Guest.class, "mine", ConditionType.GUEST_READY, "False", "Conflict");
    assertThat(conflict.getMessage()).contains("4321").contains("adopt");
    assertThat(simGuest(4321).config()).isEqualTo(before);
    assertThat(simGuest(4321).status()).isEqualTo("running");
    assertThat(writes()).isEmpty();
    assertThat(lab.get(Guest.class, "mine").getStatus().getVmid()).isNull();
  }

  @Test
  void aTokenThatSeesAnEmptyListMakesNothingAgain() {
    Homelab lab = lab("blind");
    vm(lab, "hidden", g -> {});
    int vmid = awaitReady(lab, "hidden").getStatus().getVmid();
    long ours = pve.cluster().guests().size();
    pve.cluster().hideList(true);
    pve.resetCounts();
    await("the list stays empty for a while")
        .during(Duration.ofMillis(2500))
        .atMost(Duration.ofSeconds(10))
        .until(() -> writes().isEmpty());
    assertThat(pve.cluster().guests()).hasSize((int) ours);
    assertThat(pve.requests())
        .contains("GET /nodes/pve1/qemu/" + vmid + "/config")
        .noneMatch(r -> r.contains("/clone"));
    assertThat(lab.get(Guest.class, "hidden").getStatus().getVmid()).isEqualTo(vmid);
  }

  @Test
  void aFailedCloneShowsItsExitStatusAndLogThenSucceedsOnRetry() {
    Homelab lab = lab("fail");
    pve.cluster().failNextTask("qmclone", "clone failed: storage 'local-lvm' is full");
    vm(lab, "unlucky", g -> {});
    var failed =
        lab.awaitCondition(
            Guest.class, "unlucky", ConditionType.GUEST_READY, "False", "ProxmoxTaskFailed");
    assertThat(failed.getMessage())
        .contains("clone task failed")
        .contains("storage 'local-lvm' is full")
        .contains("last log lines");
    awaitReady(lab, "unlucky");
    assertThat(lab.events("Guest", "unlucky"))
        .anySatisfy(e -> assertThat(e).startsWith("Warning ProxmoxTaskFailed"));
  }

  @Test
  void aProxmoxOutageIsReadyFalseNamingProxmoxAndPasses() {
    Homelab lab = lab("outage");
    // Only a Guest being created asks for the next VMID: the other tests' Guests do not take these.
    for (int i = 0; i < 2; i++) {
      pve.failNext("GET", "/cluster/nextid", 503, "service unavailable");
    }
    vm(lab, "patient", g -> {});
    var down =
        lab.awaitCondition(
            Guest.class, "patient", ConditionType.READY, "False", "ProxmoxUnavailable");
    assertThat(down.getMessage()).contains("Proxmox VE").contains("service unavailable");
    awaitReady(lab, "patient");
  }

  @Test
  void adoptTakesOverAnUnownedGuestAndWaitsForItsRestartToEnableTheAgent() {
    Homelab lab = lab("adopt");
    pve.cluster().addGuest("pve1", 4400, "qemu", "legacy", true);
    vm(
        lab,
        "legacy",
        g -> {
          g.getSpec().setVmid(4400);
          g.getSpec().setAdopt(true);
        });
    var restart =
        lab.awaitCondition(
            Guest.class, "legacy", ConditionType.GUEST_READY, "False", "RestartRequired");
    assertThat(restart.getMessage()).contains("agent").contains("does not reboot");
    assertThat(simGuest(4400).pending()).containsEntry("agent", "1");
    assertThat(simGuest(4400).status()).isEqualTo("running");

    // Someone stops it; the operator starts it again, and the agent change takes effect.
    pve.cluster().setStatus(4400, "stopped");
    awaitReady(lab, "legacy");
    assertThat(simGuest(4400).config())
        .containsEntry("tags", "homelab-operator;web")
        .containsEntry("description", "homelab-operator:test/Guest/adopt/legacy")
        .containsEntry("memory", "2048")
        .containsEntry("agent", "1");
    assertThat(lab.events("Guest", "legacy")).anySatisfy(e -> assertThat(e).contains("Adopted"));
    assertThat(pve.cluster().guests())
        .filteredOn(g -> "legacy".equals(g.config().get("name")))
        .singleElement()
        .extracting(SimGuest::vmid)
        .isEqualTo(4400);
  }

  @Test
  void aPausedGuestIsPlannedButNothingIsCreated() {
    Homelab lab = lab("paused");
    pve.resetCounts();
    lab.guest(
        g -> {
          g.getMetadata().setName("later");
          g.getMetadata().setAnnotations(Map.of(Annotations.PAUSED, "true"));
        });
    var pending =
        lab.awaitCondition(Guest.class, "later", ConditionType.GUEST_READY, "Unknown", "Pending");
    assertThat(pending.getMessage()).contains("would create");
    assertThat(writes()).isEmpty();
    assertThat(lab.get(Guest.class, "later").getStatus().getVmid()).isNull();
  }

  @Test
  void stoppedShutsTheGuestDownGracefullyAndDropsItsAddresses() {
    Homelab lab = lab("power");
    vm(lab, "sleepy", g -> {});
    int vmid = awaitReady(lab, "sleepy").getStatus().getVmid();
    pve.resetCounts();
    lab.edit(Guest.class, "sleepy", g -> g.getSpec().setPowerState(PowerState.Stopped));
    awaitObservedReady(lab, "sleepy", 2);
    Guest stopped = lab.get(Guest.class, "sleepy");
    assertThat(stopped.getStatus().getState()).isEqualTo("stopped");
    assertThat(stopped.getStatus().getAddresses()).isNull();
    assertThat(simGuest(vmid).status()).isEqualTo("stopped");
    assertThat(writes()).containsExactly("POST /nodes/pve1/qemu/" + vmid + "/status/shutdown");
    assertThat(lab.events("Guest", "sleepy"))
        .anySatisfy(e -> assertThat(e).contains("PowerChange").contains("Shutting down"));
  }

  @Test
  void turningTlsVerificationOffWorksAndCarriesAWarning() {
    Homelab lab = lab("insecure");
    lab.edit(Secret.class, "proxmox", s -> s.getStringData().remove("fingerprint"));
    assertThat(lab.get(Secret.class, "proxmox").getStringData()).doesNotContainKey("fingerprint");
    vm(lab, "trusting", g -> g.getSpec().getProxmox().setInsecureSkipTlsVerify(true));
    awaitReady(lab, "trusting");
    var warning =
        lab.awaitCondition(
            Guest.class, "trusting", ConditionType.TLS_VERIFIED, "False", "InsecureSkipTlsVerify");
    assertThat(warning.getMessage()).contains("API token");
  }

  void awaitObservedReady(Homelab lab, String name, long generation) {
    await(name + " observed at generation " + generation)
        .atMost(DEADLINE)
        .until(
            () -> Homelab.condition(lab.get(Guest.class, name), ConditionType.GUEST_READY),
            c ->
                c.isPresent()
                    && c.get().getStatus().equals("True")
                    && c.get().getObservedGeneration() == generation);
  }
}
