package io.homelab.operator.driver.proxmox;

import java.util.Set;

/**
 * One guest as {@code /cluster/resources?type=vm} shows it.
 *
 * @param id node, type and VMID
 * @param name the guest's name (a VM's name, a container's hostname)
 * @param status running or stopped
 * @param tags its tags
 * @param cores {@code maxcpu}
 * @param memoryMib {@code maxmem} in MiB
 * @param diskBytes {@code maxdisk}: the boot disk's size
 * @param template whether it is a template
 * @param lock the lock it holds (clone, create...), or null
 */
public record ClusterGuest(
    GuestId id,
    String name,
    String status,
    Set<String> tags,
    int cores,
    long memoryMib,
    long diskBytes,
    boolean template,
    String lock) {}
