package io.homelab.operator.api.edge;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** The namespaces an Edge admits Routes from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(has(self.from) && self.from == 'Selector') == has(self.selector)",
    message = "selector is required when from is Selector, and allowed only then")
public class RouteNamespaces {

  @Default("Same")
  @JsonPropertyDescription(
      "Same: the Edge's namespace only; All: every namespace; Selector: namespaces matching"
          + " selector.")
  private NamespacesFrom from = NamespacesFrom.Same;

  @JsonPropertyDescription("Label selector for namespaces, used when from is Selector.")
  private NamespaceSelector selector;

  public NamespacesFrom getFrom() {
    return from;
  }

  public void setFrom(NamespacesFrom from) {
    this.from = from;
  }

  public NamespaceSelector getSelector() {
    return selector;
  }

  public void setSelector(NamespaceSelector selector) {
    this.selector = selector;
  }
}
