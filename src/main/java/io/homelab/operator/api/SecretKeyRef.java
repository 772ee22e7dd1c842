package io.homelab.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * One key of a Secret in the object's own namespace. A Secret reference never names a namespace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {

  @Required
  @Size(max = 253)
  @Pattern(Patterns.OBJECT_NAME)
  @JsonPropertyDescription("Name of the Secret, in the same namespace as this object.")
  private String name;

  @Required
  @Size(max = 253)
  @Pattern(Patterns.SECRET_KEY)
  @JsonPropertyDescription("Key within the Secret's data.")
  private String key;

  public SecretKeyRef() {}

  public SecretKeyRef(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
