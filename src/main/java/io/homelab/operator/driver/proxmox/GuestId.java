package io.homelab.operator.driver.proxmox;

/**
 * Where a guest lives: its node, its type ({@code qemu} or {@code lxc}) and its VMID.
 *
 * @param node the Proxmox node
 * @param type {@code qemu} or {@code lxc}, as Proxmox's paths spell it
 * @param vmid the VMID
 */
public record GuestId(String node, String type, int vmid) {

  public GuestId {
    if (!type.equals("qemu") && !type.equals("lxc")) {
      throw new IllegalArgumentException("type is qemu or lxc, not " + type);
    }
  }

  @Override
  public String toString() {
    return type + "/" + vmid + " on " + node;
  }
}
