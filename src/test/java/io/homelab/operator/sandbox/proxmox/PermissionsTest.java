package io.homelab.operator.sandbox.proxmox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PermissionsTest {

  private final Permissions permissions = Permissions.load();

  @Test
  void aTokenWithoutGrantsMayDoEverything() {
    assertThat(permissions.denied("DELETE /nodes/{node}/qemu/{vmid}", values("100"))).isEmpty();
    assertThat(permissions.sees(100)).isTrue();
  }

  @Test
  void aGrantPropagatesToThePathsBelowIt() {
    permissions.grant("/vms", List.of("VM.Audit", "VM.Allocate"));

    assertThat(permissions.has("/vms/100", "VM.Allocate")).isTrue();
    assertThat(permissions.has("/vms", "VM.Audit")).isTrue();
    assertThat(permissions.has("/vmsx/1", "VM.Audit")).isFalse();
    assertThat(permissions.has("/storage/local", "VM.Audit")).isFalse();
    assertThat(permissions.has("/vms/100", "VM.PowerMgmt")).isFalse();
  }

  @Test
  void aCallIsHeldToTheSchemasCheckAndNamesWhatIsMissing() {
    permissions.grant("/vms/100", List.of("VM.Audit"));

    assertThat(permissions.denied("GET /nodes/{node}/qemu/{vmid}/config", values("100"))).isEmpty();
    assertThat(permissions.denied("POST /nodes/{node}/qemu/{vmid}/status/start", values("100")))
        .contains("Permission check failed (/vms/100, VM.PowerMgmt)");
    // "any": one of the config privileges is enough.
    permissions.grant("/vms/100", List.of("VM.Config.CPU"));
    assertThat(permissions.denied("PUT /nodes/{node}/qemu/{vmid}/config", values("100"))).isEmpty();
    assertThat(permissions.sees(100)).isTrue();
    assertThat(permissions.sees(101)).isFalse();
  }

  @Test
  void aCloneNeedsCloneOnTheSourceAllocateOnTheNewGuestAndSpaceOnTheStorage() {
    permissions.grant("/vms/9000", List.of("VM.Clone"));
    Map<String, String> clone =
        Map.of("node", "pve1", "vmid", "9000", "newid", "101", "storage", "local-lvm");

    assertThat(permissions.denied("POST /nodes/{node}/qemu/{vmid}/clone", clone))
        .contains("Permission check failed (/vms/101, VM.Allocate)");
    permissions.grant("/vms/101", List.of("VM.Allocate"));
    assertThat(permissions.denied("POST /nodes/{node}/qemu/{vmid}/clone", clone))
        .contains("Permission check failed (/storage/local-lvm, Datastore.AllocateSpace)");
    permissions.grant("/storage", List.of("Datastore.AllocateSpace"));
    assertThat(permissions.denied("POST /nodes/{node}/qemu/{vmid}/clone", clone)).isEmpty();
  }

  private static Map<String, String> values(String vmid) {
    return Map.of("node", "pve1", "vmid", vmid);
  }
}
