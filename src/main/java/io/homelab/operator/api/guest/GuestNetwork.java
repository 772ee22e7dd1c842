package io.homelab.operator.api.guest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.homelab.operator.api.Patterns;

/** The guest's first network interface (net0). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GuestNetwork {

  @Size(max = 15)
  @Pattern(Patterns.BRIDGE)
  @Default("vmbr0")
  @JsonPropertyDescription("Linux bridge on the node.")
  private String bridge = "vmbr0";

  @Min(1)
  @Max(4094)
  @JsonPropertyDescription("VLAN tag. Absent: untagged.")
  private Integer vlan;

  @JsonPropertyDescription("IPv4 settings. Absent: DHCP.")
  private GuestIpv4 ipv4;

  public String getBridge() {
    return bridge;
  }

  public void setBridge(String bridge) {
    this.bridge = bridge;
  }

  public Integer getVlan() {
    return vlan;
  }

  public void setVlan(Integer vlan) {
    this.vlan = vlan;
  }

  public GuestIpv4 getIpv4() {
    return ipv4;
  }

  public void setIpv4(GuestIpv4 ipv4) {
    this.ipv4 = ipv4;
  }
}
