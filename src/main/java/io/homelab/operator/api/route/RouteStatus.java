package io.homelab.operator.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.homelab.operator.api.HomelabStatus;
import java.util.List;

/** The observed state of a Route. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RouteStatus extends HomelabStatus {

  @JsonPropertyDescription("The public URL, https://<hostname>.")
  private String url;

  @JsonPropertyDescription("Id of the NPM proxy host the operator manages for this Route.")
  private Long proxyHostId;

  @JsonPropertyDescription("@id of the Caddy route on the Edge.")
  private String caddyRouteId;

  @JsonPropertyDescription(
      "Ids of the Cloudflare DNS records (A, and AAAA when the Edge has IPv6).")
  private List<String> dnsRecordIds;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public Long getProxyHostId() {
    return proxyHostId;
  }

  public void setProxyHostId(Long proxyHostId) {
    this.proxyHostId = proxyHostId;
  }

  public String getCaddyRouteId() {
    return caddyRouteId;
  }

  public void setCaddyRouteId(String caddyRouteId) {
    this.caddyRouteId = caddyRouteId;
  }

  public List<String> getDnsRecordIds() {
    return dnsRecordIds;
  }

  public void setDnsRecordIds(List<String> dnsRecordIds) {
    this.dnsRecordIds = dnsRecordIds;
  }
}
