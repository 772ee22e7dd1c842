package io.homelab.operator.driver.proxmox;

/**
 * A Proxmox task as {@code GET /nodes/{node}/tasks/{upid}/status} reports it.
 *
 * @param upid the task id
 * @param running whether it still runs
 * @param exitStatus {@code OK} on success, Proxmox's error otherwise; null while it runs
 */
public record TaskStatus(String upid, boolean running, String exitStatus) {

  public boolean succeeded() {
    return !running && "OK".equals(exitStatus);
  }

  public boolean failed() {
    return !running && !"OK".equals(exitStatus);
  }
}
