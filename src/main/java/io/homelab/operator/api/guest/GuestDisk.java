package io.homelab.operator.api.guest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.homelab.operator.api.Patterns;

/** One disk of a guest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GuestDisk {

  @Required
  @Size(max = 6)
  @Pattern(Patterns.DISK_NAME)
  @JsonPropertyDescription(
      "Proxmox disk key: scsi0, virtio0, sata0 or ide0 for a VM; rootfs or mp0 for a container.")
  private String name;

  @Required
  @Size(max = 10)
  @Pattern(Patterns.DISK_SIZE)
  @JsonPropertyDescription("Size with a K, M, G or T suffix, for example 32G.")
  private String size;

  @Size(max = 64)
  @Pattern(Patterns.PROXMOX_STORAGE)
  @JsonPropertyDescription(
      "Storage of a disk the operator adds (a container's rootfs at create). Absent: the"
          + " template's.")
  private String storage;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getSize() {
    return size;
  }

  public void setSize(String size) {
    this.size = size;
  }

  public String getStorage() {
    return storage;
  }

  public void setStorage(String storage) {
    this.storage = storage;
  }
}
