package io.homelab.operator.api.guest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.homelab.operator.api.Patterns;

/** IPv4 settings of a guest's interface. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.gateway) || (has(self.address) && self.address != 'dhcp')",
    message = "gateway goes with a static address; with dhcp the gateway comes from DHCP")
public class GuestIpv4 {

  @Size(max = 18)
  @Pattern(Patterns.DHCP_OR_CIDR_V4)
  @Default("dhcp")
  @JsonPropertyDescription(
      "'dhcp', or a static address in CIDR notation, for example 192.168.1.50/24.")
  private String address = "dhcp";

  @Size(max = 15)
  @Pattern(Patterns.IPV4)
  @JsonPropertyDescription("Default gateway, with a static address.")
  private String gateway;

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public String getGateway() {
    return gateway;
  }

  public void setGateway(String gateway) {
    this.gateway = gateway;
  }
}
