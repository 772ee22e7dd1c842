package io.homelab.operator.api.tunnel;

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

/** One WireGuard link between an Edge and a home site, and that site's Nginx Proxy Manager. */
@Group(HomelabApi.GROUP)
@Version(HomelabApi.VERSION)
@Kind("Tunnel")
@Plural("tunnels")
@Singular("tunnel")
@ShortNames("tun")
@Categories(HomelabApi.CATEGORY)
@AdditionalPrinterColumn(name = "Ready", jsonPath = HomelabApi.READY_JSON_PATH)
@AdditionalPrinterColumn(name = "Edge", jsonPath = ".spec.edgeRef.name")
@AdditionalPrinterColumn(name = "Address", jsonPath = ".status.address")
@AdditionalPrinterColumn(
    name = "Last-Handshake",
    jsonPath = ".status.lastHandshake",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@KindDescription(
    "One WireGuard link between an Edge and a home site behind CGNAT, and the Nginx Proxy Manager of that site.")
public class Tunnel extends CustomResource<TunnelSpec, TunnelStatus> implements Namespaced {

  @Override
  @JsonPropertyDescription(
      "What the Tunnel should be; written by its owner, never by the operator.")
  public TunnelSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator last observed of the Tunnel; written by the operator only.")
  public TunnelStatus getStatus() {
    return super.getStatus();
  }
}
