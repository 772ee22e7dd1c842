package io.homelab.operator.api.edge;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/** A label selector over namespaces. All of its terms must match. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NamespaceSelector {

  @Size(max = 32)
  @JsonPropertyDescription("Labels a namespace must carry, with these exact values.")
  private Map<String, @Size(max = 63) String> matchLabels;

  @Size(max = 32)
  @JsonPropertyDescription("Set-based requirements on a namespace's labels.")
  private List<SelectorRequirement> matchExpressions;

  public Map<String, String> getMatchLabels() {
    return matchLabels;
  }

  public void setMatchLabels(Map<String, String> matchLabels) {
    this.matchLabels = matchLabels;
  }

  public List<SelectorRequirement> getMatchExpressions() {
    return matchExpressions;
  }

  public void setMatchExpressions(List<SelectorRequirement> matchExpressions) {
    this.matchExpressions = matchExpressions;
  }
}
