package io.homelab.operator.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.homelab.operator.api.Patterns;

/** A reference to a Tunnel, possibly in another namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TunnelRef {

  @Required
  @Size(max = 253)
  @Pattern(Patterns.OBJECT_NAME)
  @JsonPropertyDescription("Name of the Tunnel.")
  private String name;

  @Size(max = 63)
  @Pattern(Patterns.NAMESPACE)
  @JsonPropertyDescription(
      "Namespace of the Tunnel. Absent: the Route's own. Another namespace is allowed only when"
          + " the Tunnel's Edge admits Routes from this one.")
  private String namespace;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }
}
