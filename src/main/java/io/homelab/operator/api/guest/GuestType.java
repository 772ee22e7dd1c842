package io.homelab.operator.api.guest;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kind of Proxmox VE guest. */
public enum GuestType {
  /** A QEMU/KVM virtual machine. */
  @JsonProperty("vm")
  VM,
  /** An LXC container. */
  @JsonProperty("lxc")
  LXC
}
