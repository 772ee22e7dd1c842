package io.homelab.operator.api.edge;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.homelab.operator.api.Patterns;

/** The public addresses of a VPS. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PublicAddress {

  @Required
  @Size(max = 15)
  @Pattern(Patterns.IPV4)
  @JsonPropertyDescription(
      "Public IPv4 address: the target of A records and the WireGuard endpoint.")
  private String ipv4;

  @Size(max = 39)
  @Pattern(Patterns.IPV6)
  @JsonPropertyDescription("Public IPv6 address, if the VPS has one: the target of AAAA records.")
  private String ipv6;

  public String getIpv4() {
    return ipv4;
  }

  public void setIpv4(String ipv4) {
    this.ipv4 = ipv4;
  }

  public String getIpv6() {
    return ipv6;
  }

  public void setIpv6(String ipv6) {
    this.ipv6 = ipv6;
  }
}
