package io.homelab.operator.api.guest;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.homelab.operator.api.HomelabApi;
import io.homelab.operator.api.KindDescription;

/** One Proxmox VE guest: a QEMU virtual machine or an LXC container. */
@Group(HomelabApi.GROUP)
@Version(HomelabApi.VERSION)
@Kind("Guest")
@Plural("guests")
@Singular("guest")
@ShortNames("guest")
@Categories(HomelabApi.CATEGORY)
@AdditionalPrinterColumn(name = "Ready", jsonPath = HomelabApi.READY_JSON_PATH)
@AdditionalPrinterColumn(name = "Type", jsonPath = ".spec.type")
@AdditionalPrinterColumn(name = "Node", jsonPath = ".spec.node")
@AdditionalPrinterColumn(
    name = "VMID",
    jsonPath = ".status.vmid",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "State", jsonPath = ".status.state")
@AdditionalPrinterColumn(name = "IP", jsonPath = ".status.addresses[0]")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@KindDescription("One Proxmox VE guest: a QEMU virtual machine or an LXC container.")
public class Guest extends CustomResource<GuestSpec, GuestStatus> implements Namespaced {

  @Override
  @JsonPropertyDescription("What the Guest should be; written by its owner, never by the operator.")
  public GuestSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator last observed of the Guest; written by the operator only.")
  public GuestStatus getStatus() {
    return super.getStatus();
  }
}
