package io.homelab.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A reference to another homelab object in the same namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LocalObjectRef {

  @Required
  @Size(max = 253)
  @Pattern(Patterns.OBJECT_NAME)
  @JsonPropertyDescription("Name of the object, in the same namespace as this one.")
  private String name;

  public LocalObjectRef() {}

  public LocalObjectRef(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
