package io.homelab.operator.api.guest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.homelab.operator.api.Patterns;

/** Where a new guest comes from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.clone) != has(self.ostemplate)",
    message = "source needs exactly one of clone and ostemplate")
public class GuestSource {

  @JsonPropertyDescription("Clone a template (a VM or container template) into the new guest.")
  private CloneSource clone;

  @Size(max = 255)
  @Pattern(Patterns.OSTEMPLATE)
  @JsonPropertyDescription(
      "An LXC template volume to create a container from, for example"
          + " local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst.")
  private String ostemplate;

  public CloneSource getClone() {
    return clone;
  }

  public void setClone(CloneSource clone) {
    this.clone = clone;
  }

  public String getOstemplate() {
    return ostemplate;
  }

  public void setOstemplate(String ostemplate) {
    this.ostemplate = ostemplate;
  }
}
