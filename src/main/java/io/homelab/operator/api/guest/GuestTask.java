package io.homelab.operator.api.guest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A Proxmox task in progress, recorded so a later reconcile reads its result. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GuestTask {

  @JsonPropertyDescription("The task's UPID.")
  private String upid;

  @JsonPropertyDescription(
      "What the task does: clone, create, start, shutdown, stop, resize, delete.")
  private String operation;

  @JsonPropertyDescription("Time (RFC 3339) the task was started.")
  private String startedAt;

  public String getUpid() {
    return upid;
  }

  public void setUpid(String upid) {
    this.upid = upid;
  }

  public String getOperation() {
    return operation;
  }

  public void setOperation(String operation) {
    this.operation = operation;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }
}
