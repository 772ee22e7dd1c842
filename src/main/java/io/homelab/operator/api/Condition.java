package io.homelab.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One aspect of an object's current state, in the shape of Kubernetes' standard conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {

  @Required
  @Size(max = 316)
  @Pattern("^[A-Za-z][A-Za-z0-9]*$")
  @JsonPropertyDescription(
      "Type of the condition in CamelCase: Accepted, ResolvedRefs, one <System>Ready per system"
          + " the object drives, and Ready, their conjunction.")
  private String type;

  @Required
  @Pattern("^(True|False|Unknown)$")
  @JsonPropertyDescription("Status of the condition: True, False or Unknown.")
  private String status;

  @Size(max = 1024)
  @JsonPropertyDescription(
      "Machine-readable CamelCase reason for the last transition, for example HostnameConflict.")
  private String reason;

  @Size(max = 32768)
  @JsonPropertyDescription("Human-readable explanation of the condition.")
  private String message;

  @JsonPropertyDescription(
      "Time (RFC 3339) at which the status of this condition last changed; unchanged while the"
          + " status stays the same.")
  private String lastTransitionTime;

  @JsonPropertyDescription(
      "The object's metadata.generation that this condition was computed from.")
  private Long observedGeneration;

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }
}
