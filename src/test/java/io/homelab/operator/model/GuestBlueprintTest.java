package io.homelab.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.homelab.operator.api.guest.CloneSource;
import io.homelab.operator.api.guest.CloudInit;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.guest.GuestDisk;
import io.homelab.operator.api.guest.GuestIpv4;
import io.homelab.operator.api.guest.GuestNetwork;
import io.homelab.operator.api.guest.GuestSource;
import io.homelab.operator.api.guest.GuestSpec;
import io.homelab.operator.api.guest.GuestType;
import io.homelab.operator.model.GuestBlueprint.Ownership;
import io.homelab.operator.model.GuestBlueprint.Resize;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a Guest's Proxmox config should hold, against what it holds: pure, table by table. */
class GuestBlueprintTest {

  static final OwnerMarker MARKER = new OwnerMarker("home", "Guest", "lab", "app");

  static Guest vm() {
    Guest guest = new Guest();
    guest.setMetadata(new ObjectMetaBuilder().withNamespace("lab").withName("app").build());
    GuestSpec spec = new GuestSpec();
    spec.setType(GuestType.VM);
    spec.setNode("pve1");
    CloneSource clone = new CloneSource();
    clone.setTemplateVmid(9000);
    GuestSource source = new GuestSource();
    source.setClone(clone);
    spec.setSource(source);
    spec.setCores(2);
    spec.setMemory(2048);
    spec.setTags(List.of("web"));
    guest.setSpec(spec);
    return guest;
  }

  /** The config of a guest that already matches {@link #vm()}. */
  static Map<String, String> matching() {
    Map<String, String> config = new HashMap<>();
    config.put("name", "app");
    config.put("cores", "2");
    config.put("memory", "2048");
    config.put("onboot", "1");
    config.put("tags", "web;homelab-operator");
    config.put("description", MARKER.text());
    config.put("agent", "1");
    config.put("scsi0", "local-lvm:vm-101-disk-0,size=32G");
    return config;
  }

  @Test
  void aMatchingGuestNeedsNoWrite() {
    assertThat(GuestBlueprint.changes(vm(), MARKER, matching())).isEmpty();
  }

  @ParameterizedTest(name = "{0}={1} in Proxmox: write {2}")
  @CsvSource({
    "memory, 4096, 2048",
    "memory, 'current=2048', ",
    "cores, 1, 2",
    "onboot, 0, 1",
    "tags, web, web;homelab-operator",
    "tags, 'homelab-operator,web', ",
    "tags, 'web;homelab-operator;extra', web;homelab-operator",
    "agent, 0, 1",
    "agent, 'enabled=1,fstrim_cloned_disks=1', ",
    "name, other, app",
  })
  void eachDriftIsOneKeyToWrite(String key, String observed, String expected) {
    Map<String, String> config = matching();
    config.put(key, observed);
    Map<String, String> changes = GuestBlueprint.changes(vm(), MARKER, config);
    if (expected == null) {
      assertThat(changes).isEmpty();
    } else {
      assertThat(changes).containsOnlyKeys(key);
      assertThat(GuestBlueprint.splitTags(changes.get(key)))
          .isEqualTo(GuestBlueprint.splitTags(expected));
    }
  }

  @Test
  void theDescriptionKeepsTheUsersLinesAndGainsOurMarker() {
    Map<String, String> config = matching();
    config.put("description", "Nextcloud\nhomelab-operator:other/Guest/x/y\n");
    assertThat(GuestBlueprint.changes(vm(), MARKER, config))
        .containsExactly(Map.entry("description", "Nextcloud\n" + MARKER.text()));
  }

  @Test
  void cloudInitAndNetworkAreManagedOnlyWhenAsked() {
    Guest guest = vm();
    CloudInit cloudInit = new CloudInit();
    cloudInit.setUser("debian");
    cloudInit.setSshKeys(List.of("ssh-ed25519 AAAA a@b", "ssh-ed25519 BBBB c@d"));
    guest.getSpec().setCloudInit(cloudInit);
    GuestNetwork network = new GuestNetwork();
    network.setVlan(20);
    GuestIpv4 ipv4 = new GuestIpv4();
    ipv4.setAddress("192.168.1.50/24");
    ipv4.setGateway("192.168.1.1");
    network.setIpv4(ipv4);
    guest.getSpec().setNetwork(network);
    Map<String, String> config = matching();
    config.put("net0", "virtio=BC:24:11:00:00:01,bridge=vmbr1,firewall=1");
    assertThat(GuestBlueprint.changes(guest, MARKER, config))
        .containsEntry("ciuser", "debian")
        .containsEntry("sshkeys", "ssh-ed25519 AAAA a@b\nssh-ed25519 BBBB c@d")
        .containsEntry("ipconfig0", "ip=192.168.1.50/24,gw=192.168.1.1")
        .containsEntry("net0", "virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1,tag=20")
        .hasSize(4);
    assertThat(GuestBlueprint.changes(vm(), MARKER, config)).isEmpty();
  }

  @ParameterizedTest(name = "{0} asked, {1} there: grow {2}, refuse {3}")
  @CsvSource({
    "32G, 8G, true, false",
    "32G, 32G, false, false",
    "16G, 32G, false, true",
    "1T, 1024G, false, false",
    "40960M, 32G, true, false",
  })
  void disksGrowAndNeverShrink(String asked, String there, boolean grow, boolean refuse) {
    GuestDisk disk = new GuestDisk();
    disk.setName("scsi0");
    disk.setSize(asked);
    GuestBlueprint.DiskPlan plan =
        GuestBlueprint.disks(
            List.of(disk), Map.of("scsi0", "local-lvm:vm-101-disk-0,size=" + there));
    assertThat(plan.grow()).isEqualTo(grow ? List.of(new Resize("scsi0", asked)) : List.of());
    assertThat(plan.refused()).hasSize(refuse ? 1 : 0);
  }

  @Test
  void aDiskTheGuestLacksIsRefusedNotCreated() {
    GuestDisk disk = new GuestDisk();
    disk.setName("scsi1");
    disk.setSize("8G");
    assertThat(GuestBlueprint.disks(List.of(disk), matching()).refused())
        .singleElement()
        .asString()
        .contains("scsi1");
  }

  @ParameterizedTest(name = "description [{0}]: {1}")
  @CsvSource({
    "'homelab-operator:home/Guest/lab/app', OURS",
    "'Nextcloud\n  homelab-operator:home/Guest/lab/app  ', OURS",
    "'homelab-operator:home/Guest/lab/other', NOT_OURS",
    "'homelab-operator:elsewhere/Guest/lab/app', NOT_OURS",
    "'', NOT_OURS",
  })
  void ownershipIsThisObjectsMarkerLine(String description, Ownership expected) {
    assertThat(GuestBlueprint.ownership(Map.of("description", description), MARKER))
        .isEqualTo(expected);
  }

  @Test
  void releaseRemovesOnlyOurTagAndLine() {
    Map<String, String> config = matching();
    config.put("description", "Nextcloud\n" + MARKER.text());
    assertThat(GuestBlueprint.release(config, MARKER))
        .containsExactlyInAnyOrderEntriesOf(Map.of("tags", "web", "description", "Nextcloud"));
    assertThat(GuestBlueprint.release(Map.of("tags", "web"), MARKER)).isEmpty();
  }

  @Test
  void addressesLeaveOutLoopbackAndLinkLocal() {
    assertThat(
            GuestBlueprint.usableAddresses(
                List.of(
                    "127.0.0.1",
                    "::1",
                    "fe80::1",
                    "FE80::be24:11ff:fe00:1",
                    "169.254.3.4",
                    "2001:db8::5",
                    "192.168.1.50/24",
                    "10.0.0.2")))
        .containsExactly("192.168.1.50", "10.0.0.2", "2001:db8::5");
  }

  @Test
  void theBulkListShowsMemoryCoresTagsAndNameDrift() {
    assertThat(
            GuestBlueprint.bulkDrift(
                vm(),
                new GuestBlueprint.BulkView(
                    "app", "running", Set.of("web", "homelab-operator"), 2, 2048)))
        .isEmpty();
    assertThat(
            GuestBlueprint.bulkDrift(
                vm(), new GuestBlueprint.BulkView("app", "running", Set.of("web"), 4, 1024)))
        .hasSize(3)
        .anySatisfy(d -> assertThat(d).contains("memory 1024"));
  }

  @Test
  void aCloneTakesNameAndMarkerButNoTags() {
    Guest guest = vm();
    guest.getSpec().getSource().getClone().setStorage("fast");
    guest.getSpec().getSource().getClone().setTemplateNode("pve2");
    assertThat(GuestBlueprint.cloneSettings(guest, MARKER))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "name", "app",
                "description", MARKER.text(),
                "full", "1",
                "storage", "fast",
                "target", "pve1"));
    assertThat(GuestBlueprint.templateNode(guest.getSpec())).isEqualTo("pve2");
  }
}
