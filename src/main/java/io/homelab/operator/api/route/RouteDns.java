package io.homelab.operator.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** The DNS record of a Route, in the Edge's Cloudflare zone. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RouteDns {

  @Default("true")
  @JsonPropertyDescription(
      "Create the A (and AAAA) record pointing at the Edge. Ignored when the Edge has no zone.")
  private Boolean enabled = true;

  @Default("false")
  @JsonPropertyDescription("Proxy the record through Cloudflare (orange cloud).")
  private Boolean proxied = false;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Boolean getProxied() {
    return proxied;
  }

  public void setProxied(Boolean proxied) {
    this.proxied = proxied;
  }
}
