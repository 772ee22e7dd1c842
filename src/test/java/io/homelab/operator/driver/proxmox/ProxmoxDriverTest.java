package io.homelab.operator.driver.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.homelab.operator.sandbox.proxmox.ProxmoxSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The driver against the simulator: every call the lifecycle makes, and each way it fails. */
class ProxmoxDriverTest {

  static final String TOKEN = "homelab@pve!operator";
  static final String SECRET = "s3cret";
  static final Duration DEADLINE = Duration.ofSeconds(10);
  static final int TEMPLATE = 9000;

  static ProxmoxSimulator pve;
  ProxmoxDriver driver;

  @BeforeAll
  static void startSimulator() {
    pve = ProxmoxSimulator.start(TOKEN, SECRET, Duration.ofMillis(30), "pve1", "pve2");
    pve.cluster().addTemplate("pve1", TEMPLATE, "qemu", "debian-12");
    pve.cluster().addTemplate("pve1", 9001, "lxc", "debian-ct");
  }

  @AfterAll
  static void stopSimulator() {
    pve.close();
  }

  @BeforeEach
  void connect() {
    pve.cluster().hideList(false);
    pve.cluster().holdTasks(false);
    driver = pinned(pve.fingerprint());
  }

  static ProxmoxDriver pinned(String fingerprint) {
    return new HttpProxmoxDriver(
        new ProxmoxEndpoint(pve.url(), TOKEN, SECRET, null, fingerprint, false),
        Duration.ofSeconds(2));
  }

  TaskStatus awaitTask(String upid) {
    return await("task " + upid)
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> driver.task("pve1", upid), t -> !t.running());
  }

  int cloneAndWait(String name) {
    int vmid = driver.nextFreeVmid();
    String upid =
        driver.cloneGuest(
            new GuestId("pve1", "qemu", TEMPLATE),
            vmid,
            Map.of("name", name, "description", "owner line", "full", "1"));
    assertThat(awaitTask(upid).succeeded()).isTrue();
    return vmid;
  }

  @Test
  void thePinnedFingerprintIsTrustedAndAnyOtherRefused() {
    assertThat(driver.guests()).isNotEmpty();
    String wrong = "AB:".repeat(31) + "AB";
    ProxmoxException e = catchProxmox(() -> pinned(wrong).guests());
    assertThat(e.isTransient()).isTrue();
    assertThat(e.getMessage()).contains("failed");
  }

  @Test
  void aCaBundleIsTrustedWithTheHostNameChecked() {
    ProxmoxDriver byCa =
        new HttpProxmoxDriver(
            new ProxmoxEndpoint(pve.url(), TOKEN, SECRET, pve.certificatePem(), null, false),
            Duration.ofSeconds(2));
    assertThat(byCa.guests()).isNotEmpty();
    ProxmoxDriver byName =
        new HttpProxmoxDriver(
            new ProxmoxEndpoint(
                pve.url().replace("127.0.0.1", "localhost"),
                TOKEN,
                SECRET,
                pve.certificatePem(),
                null,
                false),
            Duration.ofSeconds(2));
    assertThat(catchProxmox(byName::guests).getMessage()).contains("localhost");
  }

  @Test
  void insecureTrustsAnythingButMustBeAskedFor() {
    ProxmoxDriver insecure =
        new HttpProxmoxDriver(
            new ProxmoxEndpoint(pve.url(), TOKEN, SECRET, null, null, true), Duration.ofSeconds(2));
    assertThat(insecure.guests()).isNotEmpty();
    assertThatThrownBy(() -> new ProxmoxEndpoint(pve.url(), TOKEN, SECRET, null, null, false))
        .hasMessageContaining("neither caBundle nor fingerprint");
    assertThatThrownBy(
            () -> new ProxmoxEndpoint(pve.url(), TOKEN, SECRET, null, "PLACEHOLDER", false))
        .hasMessageContaining("SHA-256");
  }

  @Test
  void aWrongTokenIsRefusedForGood() {
    ProxmoxDriver wrong =
        new HttpProxmoxDriver(
            new ProxmoxEndpoint(pve.url(), TOKEN, "nope", null, pve.fingerprint(), false),
            Duration.ofSeconds(2));
    ProxmoxException e = catchProxmox(wrong::guests);
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.isTransient()).isFalse();
  }

  @Test
  void cloneTakesTheDescriptionAndTheTemplatesLock() {
    pve.cluster().holdTasks(true);
    int first = driver.nextFreeVmid();
    String upid =
        driver.cloneGuest(
            new GuestId("pve1", "qemu", TEMPLATE),
            first,
            Map.of("name", "web", "description", "homelab-operator:test/Guest/ns/web"));
    assertThat(upid).startsWith("UPID:pve1:");
    ProxmoxException locked =
        catchProxmox(
            () ->
                driver.cloneGuest(
                    new GuestId("pve1", "qemu", TEMPLATE), first + 1, Map.of("name", "web2")));
    assertThat(locked.locked()).isTrue();
    assertThat(locked.isTransient()).isTrue();
    assertThat(locked.getMessage()).contains("can't lock file").contains("lock-9000.conf");
    pve.cluster().holdTasks(false);

    assertThat(awaitTask(upid).succeeded()).isTrue();
    assertThat(driver.config(new GuestId("pve1", "qemu", first)).orElseThrow())
        .containsEntry("name", "web")
        .containsEntry("description", "homelab-operator:test/Guest/ns/web")
        .doesNotContainKey("template");
    assertThat(driver.isFree(first)).isFalse();
    assertThat(driver.isFree(first + 50)).isTrue();
  }

  @Test
  void aFailedTaskShowsItsExitStatusAndLog() {
    pve.cluster().failNextTask("qmclone", "clone failed: storage 'local-lvm' is full");
    int vmid = driver.nextFreeVmid();
    String upid =
        driver.cloneGuest(new GuestId("pve1", "qemu", TEMPLATE), vmid, Map.of("name", "full"));
    TaskStatus task = awaitTask(upid);
    assertThat(task.failed()).isTrue();
    assertThat(task.exitStatus()).contains("storage 'local-lvm' is full");
    assertThat(driver.taskLog("pve1", upid, 2))
        .hasSize(2)
        .last()
        .asString()
        .contains("storage 'local-lvm' is full");
    assertThat(driver.config(new GuestId("pve1", "qemu", vmid))).isEmpty();
  }

  @Test
  void configUpdatesAtOnceAndSshKeysTravelUrlEncoded() {
    GuestId vm = new GuestId("pve1", "qemu", cloneAndWait("cfg"));
    String keys = "ssh-ed25519 AAAA one@laptop\nssh-ed25519 BBBB two@laptop";
    driver.updateConfig(
        vm,
        Map.of(
            "cores", "2",
            "memory", "2048",
            "ciuser", "debian",
            "sshkeys", keys,
            "ipconfig0", "ip=dhcp",
            "net0", "virtio,bridge=vmbr0,tag=20",
            "onboot", "1",
            "tags", "homelab-operator;web"),
        List.of());
    assertThat(pve.cluster().guest(vm.vmid()).orElseThrow().config().get("sshkeys"))
        .isEqualTo("ssh-ed25519%20AAAA%20one%40laptop%0Assh-ed25519%20BBBB%20two%40laptop");
    assertThat(driver.config(vm).orElseThrow())
        .containsEntry("sshkeys", keys)
        .containsEntry("memory", "2048")
        .containsEntry("net0", "virtio,bridge=vmbr0,tag=20");
    driver.updateConfig(vm, Map.of(), List.of("ciuser"));
    assertThat(driver.config(vm).orElseThrow()).doesNotContainKey("ciuser");
    assertThat(driver.guests())
        .filteredOn(g -> g.id().equals(vm))
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.tags()).containsExactlyInAnyOrder("homelab-operator", "web");
              assertThat(g.memoryMib()).isEqualTo(2048);
              assertThat(g.cores()).isEqualTo(2);
              assertThat(g.name()).isEqualTo("cfg");
            });
  }

  @Test
  void requestsAreVerifiedAgainstTheSchema() {
    GuestId vm = new GuestId("pve1", "qemu", cloneAndWait("schema"));
    ProxmoxApi api =
        new ProxmoxApi(
            new ProxmoxEndpoint(pve.url(), TOKEN, SECRET, null, pve.fingerprint(), false),
            Duration.ofSeconds(2));
    ProxmoxException unknown =
        catchProxmox(() -> api.putConfig("pve1", "qemu", vm.vmid(), Map.of("colour", "red")));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.getMessage())
        .containsIgnoringCase("parameter verification failed")
        .contains("colour");
    ProxmoxException wrongType =
        catchProxmox(() -> api.putConfig("pve1", "qemu", vm.vmid(), Map.of("cores", "two")));
    assertThat(wrongType.getMessage()).contains("cores").contains("integer");
    ProxmoxException missing = catchProxmox(() -> api.createLxc("pve1", Map.of("vmid", "150")));
    assertThat(missing.getMessage()).contains("ostemplate").contains("not optional");
    ProxmoxException clonesTakeNoTags =
        catchProxmox(
            () ->
                driver.cloneGuest(
                    new GuestId("pve1", "qemu", TEMPLATE), 4242, Map.of("tags", "web")));
    assertThat(clonesTakeNoTags.getMessage()).contains("tags");
  }

  @Test
  void aRunningVmKeepsColdChangesPendingAndShowsAgentAddresses() {
    GuestId vm = new GuestId("pve1", "qemu", cloneAndWait("run"));
    assertThat(driver.addresses(vm)).isEmpty();
    assertThat(awaitTask(driver.start(vm)).succeeded()).isTrue();
    assertThat(driver.addresses(vm)).isEmpty();
    driver.updateConfig(vm, Map.of("agent", "1", "memory", "1024"), List.of());
    assertThat(driver.pending(vm)).containsExactly(Map.entry("agent", "1"));
    assertThat(driver.config(vm).orElseThrow()).containsEntry("memory", "1024");
    assertThat(awaitTask(driver.stop(vm)).succeeded()).isTrue();
    assertThat(driver.pending(vm)).isEmpty();
    assertThat(awaitTask(driver.start(vm)).succeeded()).isTrue();
    assertThat(driver.addresses(vm))
        .contains("127.0.0.1")
        .anySatisfy(a -> assertThat(a).startsWith("10.10."))
        .anySatisfy(a -> assertThat(a).startsWith("fe80:"));
    assertThat(awaitTask(driver.shutdown(vm, 30)).succeeded()).isTrue();
    assertThat(pve.cluster().guest(vm.vmid()).orElseThrow().status()).isEqualTo("stopped");
  }

  @Test
  void disksGrowAndNeverShrink() {
    GuestId vm = new GuestId("pve1", "qemu", cloneAndWait("disk"));
    assertThat(awaitTask(driver.resize(vm, "scsi0", "32G")).succeeded()).isTrue();
    assertThat(driver.config(vm).orElseThrow().get("scsi0")).contains("size=32G");
    assertThat(driver.guests())
        .filteredOn(g -> g.id().equals(vm))
        .singleElement()
        .extracting(ClusterGuest::diskBytes)
        .isEqualTo(32L << 30);
    ProxmoxException shrink = catchProxmox(() -> driver.resize(vm, "scsi0", "16G"));
    assertThat(shrink.getMessage()).contains("shrinking disks is not supported");
  }

  @Test
  void destroyPurgesAStoppedGuestAndRefusesARunningOne() {
    GuestId vm = new GuestId("pve1", "qemu", cloneAndWait("doomed"));
    awaitTask(driver.start(vm));
    assertThat(catchProxmox(() -> driver.destroy(vm)).getMessage()).contains("running");
    awaitTask(driver.stop(vm));
    assertThat(awaitTask(driver.destroy(vm)).succeeded()).isTrue();
    assertThat(driver.config(vm)).isEmpty();
    assertThat(pve.requests())
        .anySatisfy(r -> assertThat(r).isEqualTo("DELETE /nodes/pve1/qemu/" + vm.vmid()));
  }

  @Test
  void aContainerIsCreatedFromAnOstemplateWithSshKeys() {
    int vmid = driver.nextFreeVmid();
    String upid =
        driver.createContainer(
            "pve1",
            vmid,
            Map.of(
                "ostemplate", "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
                "hostname", "ct",
                "ssh-public-keys", "ssh-ed25519 AAAA me@laptop",
                "rootfs", "local-lvm:8",
                "net0", "name=eth0,bridge=vmbr0,ip=dhcp",
                "tags", "homelab-operator",
                "description", "owner line"));
    assertThat(awaitTask(upid).succeeded()).isTrue();
    GuestId ct = new GuestId("pve1", "lxc", vmid);
    assertThat(driver.config(ct).orElseThrow()).containsEntry("hostname", "ct");
    assertThat(driver.addresses(ct)).isEmpty();
    awaitTask(driver.start(ct));
    assertThat(driver.addresses(ct)).contains("127.0.0.1").anySatisfy(a -> a.startsWith("10.10."));
    assertThat(driver.addresses(ct)).noneMatch(a -> a.contains("/"));
  }

  @Test
  void aGuestThatIsNotThereIsEmptyNotAnError() {
    assertThat(driver.config(new GuestId("pve1", "qemu", 777))).isEmpty();
    assertThat(catchProxmox(() -> driver.start(new GuestId("pve1", "qemu", 777))).notFound())
        .isTrue();
  }

  @Test
  void serverErrorsAndTimeoutsAreTransient() {
    pve.failNext("GET", "/cluster/resources", 503, "service unavailable");
    ProxmoxException unavailable = catchProxmox(driver::guests);
    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(unavailable.isTransient()).isTrue();

    ProxmoxDriver impatient =
        new HttpProxmoxDriver(
            new ProxmoxEndpoint(pve.url(), TOKEN, SECRET, null, pve.fingerprint(), false),
            Duration.ofMillis(200));
    pve.stallNext("GET", "/cluster/resources", Duration.ofMillis(700));
    ProxmoxException timeout = catchProxmox(impatient::guests);
    assertThat(timeout.status()).isZero();
    assertThat(timeout.isTransient()).isTrue();
    assertThat(timeout.getMessage()).contains("timed out");
    assertThat(driver.guests()).isNotEmpty();
  }

  @Test
  void aTokenWithTooFewRightsSeesAnEmptyListButTheGuestIsThere() {
    GuestId vm = new GuestId("pve1", "qemu", cloneAndWait("hidden"));
    pve.cluster().hideList(true);
    assertThat(driver.guests()).isEmpty();
    assertThat(driver.config(vm)).isPresent();
  }

  @Test
  void readsAndWritesAreCounted() {
    pve.resetCounts();
    driver.guests();
    driver.nextFreeVmid();
    assertThat(pve.reads()).isEqualTo(2);
    assertThat(pve.writes()).isZero();
    catchProxmox(() -> driver.stop(new GuestId("pve1", "qemu", 778)));
    assertThat(pve.writes()).isEqualTo(1);
  }

  static ProxmoxException catchProxmox(Runnable call) {
    try {
      call.run();
    } catch (ProxmoxException e) {
      return e;
    }
    throw new AssertionError("expected a ProxmoxException");
  }
}
