package io.homelab.operator.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.homelab.operator.api.Patterns;
import java.util.List;

/** The end-to-end probe of a Route: a request to its public URL, as the internet makes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.expectedStatus) || self.expectedStatus.all(s, size(s) != 7 ||"
            + " s.substring(0, 3) <= s.substring(4, 7))",
    message = "a range in expectedStatus goes from the lower code to the higher, as in '200-399'")
public class RouteProbe {

  @Default("true")
  @JsonPropertyDescription(
      "false stops the probe for this Route: no ProbeSucceeded condition, no probe metrics.")
  private Boolean enabled = true;

  @Size(max = 2048)
  @Pattern(Patterns.URL_PATH)
  @Default("/")
  @JsonPropertyDescription("Path (and query) the probe requests, starting with '/'.")
  private String path = "/";

  @Size(max = 16)
  @JsonPropertyDescription(
      "HTTP status codes that count as success: codes ('200'), classes ('2xx') or ranges"
          + " ('200-399'). Absent: the operator's homelab.probe.expected-status (any 2xx or 3xx"
          + " by default), or 401 for a Route with basic auth.")
  private List<@Size(max = 7) @Pattern(Patterns.HTTP_STATUSES) String> expectedStatus;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public List<String> getExpectedStatus() {
    return expectedStatus;
  }

  public void setExpectedStatus(List<String> expectedStatus) {
    this.expectedStatus = expectedStatus;
  }
}
