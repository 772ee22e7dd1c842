package io.homelab.operator.api.edge;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One host name of an Edge's Routes in its Cloudflare zone: its records, or why it has none. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EdgeDnsName {

  @JsonPropertyDescription("The host name.")
  private String hostname;

  @JsonPropertyDescription("Ids of the records the operator keeps for it (A, and AAAA with IPv6).")
  private List<String> recordIds;

  @JsonPropertyDescription("Why the host name is not published (for example Conflict); else empty.")
  private String reason;

  @JsonPropertyDescription("What stands in the way, for a person to read.")
  private String message;

  public EdgeDnsName() {}

  public EdgeDnsName(String hostname, List<String> recordIds, String reason, String message) {
    this.hostname = hostname;
    this.recordIds = recordIds;
    this.reason = reason;
    this.message = message;
  }

  public String getHostname() {
    return hostname;
  }

  public void setHostname(String hostname) {
    this.hostname = hostname;
  }

  public List<String> getRecordIds() {
    return recordIds;
  }

  public void setRecordIds(List<String> recordIds) {
    this.recordIds = recordIds;
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

  /** Whether records are in place for the host name. */
  public boolean published() {
    return recordIds != null && !recordIds.isEmpty();
  }
}
