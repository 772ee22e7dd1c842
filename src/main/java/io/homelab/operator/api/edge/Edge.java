package io.homelab.operator.api.edge;

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

/**
 * One public VPS at the edge of the homelab: its WireGuard interface, its Caddy gateway, and
 * optionally the Cloudflare zone its Routes publish into.
 */
@Group(HomelabApi.GROUP)
@Version(HomelabApi.VERSION)
@Kind("Edge")
@Plural("edges")
@Singular("edge")
@ShortNames("edge")
@Categories(HomelabApi.CATEGORY)
@AdditionalPrinterColumn(name = "Ready", jsonPath = HomelabApi.READY_JSON_PATH)
@AdditionalPrinterColumn(name = "Public-Address", jsonPath = ".spec.publicAddress.ipv4")
@AdditionalPrinterColumn(
    name = "Tunnels",
    jsonPath = ".status.tunnels",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Routes",
    jsonPath = ".status.routes",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@KindDescription(
    "One public VPS at the edge of the homelab: its WireGuard interface, its Caddy gateway that terminates TLS, and optionally the Cloudflare zone its Routes publish into.")
public class Edge extends CustomResource<EdgeSpec, EdgeStatus> implements Namespaced {

  @Override
  @JsonPropertyDescription("What the Edge should be; written by its owner, never by the operator.")
  public EdgeSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator last observed of the Edge; written by the operator only.")
  public EdgeStatus getStatus() {
    return super.getStatus();
  }
}
