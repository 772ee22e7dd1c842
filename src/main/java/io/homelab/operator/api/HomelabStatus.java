package io.homelab.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** What every homelab object reports: the generation it has seen, and its conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HomelabStatus {

  @JsonPropertyDescription(
      "The metadata.generation of the spec that the operator last acted on. Status describes"
          + " that generation.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Current state, one entry per aspect: Accepted, ResolvedRefs, one <System>Ready per system"
          + " driven, and Ready.")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
