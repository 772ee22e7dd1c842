package io.homelab.operator.api.guest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.homelab.operator.api.HomelabStatus;
import java.util.List;

/** The observed state of a Guest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GuestStatus extends HomelabStatus {

  @JsonPropertyDescription("The guest's VMID, recorded as soon as it is allocated.")
  private Integer vmid;

  @JsonPropertyDescription("The node the guest runs on.")
  private String node;

  @JsonPropertyDescription("Power state as Proxmox reports it: running or stopped.")
  private String state;

  @JsonPropertyDescription(
      "The guest's IP addresses (no loopback, no link-local), from the QEMU guest agent or the"
          + " container's interfaces. Routes to this Guest use the first.")
  private List<String> addresses;

  @JsonPropertyDescription("The Proxmox task the operator is waiting for, if any.")
  private GuestTask task;

  public Integer getVmid() {
    return vmid;
  }

  public void setVmid(Integer vmid) {
    this.vmid = vmid;
  }

  public String getNode() {
    return node;
  }

  public void setNode(String node) {
    this.node = node;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public List<String> getAddresses() {
    return addresses;
  }

  public void setAddresses(List<String> addresses) {
    this.addresses = addresses;
  }

  public GuestTask getTask() {
    return task;
  }

  public void setTask(GuestTask task) {
    this.task = task;
  }
}
