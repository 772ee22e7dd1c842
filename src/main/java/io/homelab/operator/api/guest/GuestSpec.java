package io.homelab.operator.api.guest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.homelab.operator.api.DeletionPolicy;
import io.homelab.operator.api.Patterns;
import java.util.List;

/** The desired state of a Guest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(oldSelf.vmid) || (has(self.vmid) && self.vmid == oldSelf.vmid)",
    message = "vmid cannot change once set: a guest keeps its VMID")
@ValidationRule(
    value =
        "self.type != 'vm' || (has(self.source) && has(self.source.clone)) || (has(self.adopt)"
            + " && self.adopt)",
    message =
        "a VM is made by cloning a template: set source.clone (or adopt: true to take over"
            + " an existing VM)")
@ValidationRule(
    value =
        "self.type != 'lxc' || (has(self.source) && (has(self.source.ostemplate) ||"
            + " has(self.source.clone))) || (has(self.adopt) && self.adopt)",
    message =
        "an LXC container needs source.ostemplate or source.clone (or adopt: true to take"
            + " over an existing container)")
@ValidationRule(
    value =
        "!has(self.disks) || (self.type == 'lxc' ? self.disks.all(d, d.name == 'rootfs' ||"
            + " d.name.startsWith('mp')) : self.disks.all(d, d.name != 'rootfs' &&"
            + " !d.name.startsWith('mp')))",
    message =
        "disk names follow the guest type: rootfs and mpN for lxc; scsiN, virtioN, sataN"
            + " or ideN for vm")
@ValidationRule(
    value = "self.type != 'lxc' || !has(self.cloudInit) || !has(self.cloudInit.user)",
    message = "cloudInit.user applies to VMs only; an LXC container takes cloudInit.sshKeys")
public class GuestSpec {

  @Required
  @ValidationRule(value = "self == oldSelf", message = "type is immutable")
  @JsonPropertyDescription("vm (a QEMU virtual machine) or lxc (a container).")
  private GuestType type;

  @Required
  @JsonPropertyDescription("How the operator reaches the Proxmox VE API.")
  private ProxmoxConnection proxmox;

  @Required
  @Size(max = 63)
  @Pattern(Patterns.PROXMOX_NODE)
  @ValidationRule(
      value = "self == oldSelf",
      message = "node is immutable: migrating a guest is not done by editing the object")
  @JsonPropertyDescription("The Proxmox VE node the guest lives on.")
  private String node;

  @Min(100)
  @Max(999999999)
  @JsonPropertyDescription(
      "The guest's VMID. Absent: the next free one, from /cluster/nextid. A guest already at this"
          + " VMID that the operator does not own is left alone (Conflict) unless adopt is true.")
  private Integer vmid;

  @Size(max = 63)
  @Pattern(Patterns.PROXMOX_GUEST_NAME)
  @JsonPropertyDescription("Name of the guest in Proxmox (a DNS name). Absent: metadata.name.")
  private String name;

  @JsonPropertyDescription("Where the guest comes from: a template to clone, or an LXC ostemplate.")
  private GuestSource source;

  @Min(1)
  @Max(128)
  @JsonPropertyDescription("CPU cores. Absent: as the template has it (1 for a new container).")
  private Integer cores;

  @Min(16)
  @Max(4194304)
  @JsonPropertyDescription(
      "Memory in MiB. Absent: as the template has it (512 for a new container).")
  private Integer memory;

  @Size(max = 16)
  @ValidationRule(
      value = "self.all(d, self.exists_one(e, e.name == d.name))",
      message = "disk names must be unique")
  @JsonPropertyDescription(
      "Disks and their sizes. Disks only grow: a smaller size than the guest has is reported,"
          + " never applied.")
  private List<GuestDisk> disks;

  @JsonPropertyDescription("The guest's first network interface.")
  private GuestNetwork network;

  @JsonPropertyDescription("Cloud-init settings for a VM; SSH keys for a container.")
  private CloudInit cloudInit;

  @Default("Running")
  @JsonPropertyDescription(
      "Running or Stopped. Stopping shuts down gracefully, then stops after"
          + " shutdownTimeoutSeconds.")
  private PowerState powerState = PowerState.Running;

  @Default("true")
  @JsonPropertyDescription("Start the guest when the Proxmox node boots.")
  private Boolean onBoot = true;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Proxmox tags. The operator adds its own tag 'homelab-operator' beside them.")
  private List<@Size(max = 64) @Pattern(Patterns.PROXMOX_TAG) String> tags;

  @Default("false")
  @JsonPropertyDescription(
      "Take over an existing guest at vmid (or with this name) that the operator did not create.")
  private Boolean adopt = false;

  @Min(1)
  @Max(3600)
  @Default("120")
  @JsonPropertyDescription("Seconds a graceful shutdown may take before the guest is stopped hard.")
  private Integer shutdownTimeoutSeconds = 120;

  @Default("Retain")
  @JsonPropertyDescription(
      "On deletion, Retain (the default) leaves the guest and its disks in Proxmox and removes"
          + " the operator's marker; Delete destroys the guest and its disks.")
  private DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

  public GuestType getType() {
    return type;
  }

  public void setType(GuestType type) {
    this.type = type;
  }

  public ProxmoxConnection getProxmox() {
    return proxmox;
  }

  public void setProxmox(ProxmoxConnection proxmox) {
    this.proxmox = proxmox;
  }

  public String getNode() {
    return node;
  }

  public void setNode(String node) {
    this.node = node;
  }

  public Integer getVmid() {
    return vmid;
  }

  public void setVmid(Integer vmid) {
    this.vmid = vmid;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public GuestSource getSource() {
    return source;
  }

  public void setSource(GuestSource source) {
    this.source = source;
  }

  public Integer getCores() {
    return cores;
  }

  public void setCores(Integer cores) {
    this.cores = cores;
  }

  public Integer getMemory() {
    return memory;
  }

  public void setMemory(Integer memory) {
    this.memory = memory;
  }

  public List<GuestDisk> getDisks() {
    return disks;
  }

  public void setDisks(List<GuestDisk> disks) {
    this.disks = disks;
  }

  public GuestNetwork getNetwork() {
    return network;
  }

  public void setNetwork(GuestNetwork network) {
    this.network = network;
  }

  public CloudInit getCloudInit() {
    return cloudInit;
  }

  public void setCloudInit(CloudInit cloudInit) {
    this.cloudInit = cloudInit;
  }

  public PowerState getPowerState() {
    return powerState;
  }

  public void setPowerState(PowerState powerState) {
    this.powerState = powerState;
  }

  public Boolean getOnBoot() {
    return onBoot;
  }

  public void setOnBoot(Boolean onBoot) {
    this.onBoot = onBoot;
  }

  public List<String> getTags() {
    return tags;
  }

  public void setTags(List<String> tags) {
    this.tags = tags;
  }

  public Boolean getAdopt() {
    return adopt;
  }

  public void setAdopt(Boolean adopt) {
    this.adopt = adopt;
  }

  public Integer getShutdownTimeoutSeconds() {
    return shutdownTimeoutSeconds;
  }

  public void setShutdownTimeoutSeconds(Integer shutdownTimeoutSeconds) {
    this.shutdownTimeoutSeconds = shutdownTimeoutSeconds;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }
}
