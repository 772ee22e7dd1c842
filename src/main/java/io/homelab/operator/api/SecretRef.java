package io.homelab.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A whole Secret in the object's own namespace, for credentials made of several keys; the keys it
 * must hold are named where the reference is used.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretRef {

  @Required
  @Size(max = 253)
  @Pattern(Patterns.OBJECT_NAME)
  @JsonPropertyDescription("Name of the Secret, in the same namespace as this object.")
  private String name;

  public SecretRef() {}

  public SecretRef(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
