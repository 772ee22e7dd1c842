package io.homelab.operator.api.route;

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
 * One public host name, end to end: a Cloudflare DNS record, a Caddy route on the Edge, and an
 * Nginx Proxy Manager proxy host at home.
 */
@Group(HomelabApi.GROUP)
@Version(HomelabApi.VERSION)
@Kind("Route")
@Plural("routes")
@Singular("route")
@ShortNames("rt")
@Categories(HomelabApi.CATEGORY)
@AdditionalPrinterColumn(name = "Ready", jsonPath = HomelabApi.READY_JSON_PATH)
@AdditionalPrinterColumn(name = "Hostname", jsonPath = ".spec.hostname")
@AdditionalPrinterColumn(name = "URL", jsonPath = ".status.url")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@KindDescription(
    "One public host name, end to end: a Cloudflare DNS record, a Caddy route on the Edge, and an Nginx Proxy Manager proxy host at home that forwards to a Guest or an address.")
public class Route extends CustomResource<RouteSpec, RouteStatus> implements Namespaced {

  @Override
  @JsonPropertyDescription("What the Route should be; written by its owner, never by the operator.")
  public RouteSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator last observed of the Route; written by the operator only.")
  public RouteStatus getStatus() {
    return super.getStatus();
  }
}
