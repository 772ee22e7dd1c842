package io.homelab.operator.api.guest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.homelab.operator.api.Patterns;

/** A template to clone. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CloneSource {

  @Required
  @Min(100)
  @Max(999999999)
  @JsonPropertyDescription("VMID of the template.")
  private Integer templateVmid;

  @Size(max = 63)
  @Pattern(Patterns.PROXMOX_NODE)
  @JsonPropertyDescription(
      "Node the template lives on. Absent: the guest's node. Cloning to another node needs"
          + " shared storage.")
  private String templateNode;

  @Default("true")
  @JsonPropertyDescription(
      "true: a full, independent copy. false: a linked clone that shares the template's disks.")
  private Boolean full = true;

  @Size(max = 64)
  @Pattern(Patterns.PROXMOX_STORAGE)
  @JsonPropertyDescription(
      "Storage for the new guest's disks (full clones). Absent: the template's.")
  private String storage;

  public Integer getTemplateVmid() {
    return templateVmid;
  }

  public void setTemplateVmid(Integer templateVmid) {
    this.templateVmid = templateVmid;
  }

  public String getTemplateNode() {
    return templateNode;
  }

  public void setTemplateNode(String templateNode) {
    this.templateNode = templateNode;
  }

  public Boolean getFull() {
    return full;
  }

  public void setFull(Boolean full) {
    this.full = full;
  }

  public String getStorage() {
    return storage;
  }

  public void setStorage(String storage) {
    this.storage = storage;
  }
}
