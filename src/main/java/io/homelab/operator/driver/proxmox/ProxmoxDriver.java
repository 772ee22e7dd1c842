package io.homelab.operator.driver.proxmox;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the Guest lifecycle asks of one Proxmox VE cluster. Long operations start a task and return
 * its UPID at once; {@link #task} tells later how it went. Failures are {@link ProxmoxException}s.
 */
public interface ProxmoxDriver {

  /** Every guest of the cluster, templates included, in one read. */
  List<ClusterGuest> guests();

  /** The names of the cluster's nodes. */
  List<String> nodes();

  /** The next free VMID. */
  int nextFreeVmid();

  /** Whether {@code vmid} is free right now. */
  boolean isFree(int vmid);

  /**
   * The guest's configuration, keys as Proxmox names them, {@code sshkeys} decoded; empty when
   * there is no such guest.
   */
  Optional<Map<String, String>> config(GuestId guest);

  /** Config keys with a change waiting for the guest's next restart, and the new values. */
  Map<String, String> pending(GuestId guest);

  /**
   * Clones a template into {@code newid}; returns the UPID.
   *
   * @param settings {@code name}, {@code description}, {@code full}, {@code storage}, {@code
   *     target}: the clone call takes no tags
   */
  String cloneGuest(GuestId template, int newid, Map<String, String> settings);

  /** Creates a container from {@code settings} ({@code ostemplate}, ...); returns the UPID. */
  String createContainer(String node, int vmid, Map<String, String> settings);

  /**
   * Changes the config at once ({@code sshkeys} given plain, sent URL-encoded), and deletes the
   * keys in {@code delete}.
   */
  void updateConfig(GuestId guest, Map<String, String> set, List<String> delete);

  /** Grows a disk to {@code size} (for example 32G); returns the UPID. */
  String resize(GuestId guest, String disk, String size);

  String start(GuestId guest);

  /** A graceful shutdown that turns into a stop after {@code timeoutSeconds}; returns the UPID. */
  String shutdown(GuestId guest, int timeoutSeconds);

  String stop(GuestId guest);

  /** Destroys the guest with its disks, purged from jobs; returns the UPID. */
  String destroy(GuestId guest);

  TaskStatus task(String node, String upid);

  /** The last {@code lines} lines of the task's log. */
  List<String> taskLog(String node, String upid, int lines);

  /**
   * The guest's IP addresses, loopback and link-local included: from the QEMU guest agent for a VM,
   * from the container's interfaces for LXC. Empty while the agent does not answer.
   */
  List<String> addresses(GuestId guest);
}
