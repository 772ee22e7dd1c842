package io.homelab.operator.api.edge;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.homelab.operator.api.Patterns;
import java.util.List;

/** One set-based requirement on a label. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(self.operator == 'In' || self.operator == 'NotIn') == (has(self.values) &&"
            + " size(self.values) > 0)",
    message = "values must be non-empty for In and NotIn, and empty for Exists and DoesNotExist")
public class SelectorRequirement {

  @Required
  @Size(max = 317)
  @Pattern(Patterns.LABEL_KEY)
  @JsonPropertyDescription("The label key the requirement applies to.")
  private String key;

  @Required
  @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
  private SelectorOperator operator;

  @Size(max = 64)
  @JsonPropertyDescription("Values for In and NotIn.")
  private List<@Size(max = 63) String> values;

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public SelectorOperator getOperator() {
    return operator;
  }

  public void setOperator(SelectorOperator operator) {
    this.operator = operator;
  }

  public List<String> getValues() {
    return values;
  }

  public void setValues(List<String> values) {
    this.values = values;
  }
}
