package io.homelab.operator.api.tunnel;

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
import io.homelab.operator.api.LocalObjectRef;
import io.homelab.operator.api.Patterns;
import java.util.List;

/** The desired state of a Tunnel. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TunnelSpec {

  @Required
  @ValidationRule(
      value = "self == oldSelf",
      message = "edgeRef is immutable: create a new Tunnel to move a home site to another Edge")
  @JsonPropertyDescription(
      "The Edge (in this namespace) whose WireGuard interface this Tunnel joins.")
  private LocalObjectRef edgeRef;

  @Size(max = 39)
  @Pattern(Patterns.IP)
  @JsonPropertyDescription(
      "The home end's address inside the Edge's WireGuard network. Absent: allocated from the"
          + " network, never given to two Tunnels, and kept across restarts.")
  private String address;

  @Size(max = 32)
  @JsonPropertyDescription(
      "Home networks reached through this Tunnel (site-to-site), for example 192.168.1.0/24. The"
          + " tunnel address itself is always allowed.")
  private List<@Size(max = 43) @Pattern(Patterns.CIDR) String> allowedIPs;

  @Min(0)
  @Max(3600)
  @Default("25")
  @JsonPropertyDescription(
      "Seconds between keepalive packets from home; keeps the CGNAT mapping open. 0 turns them"
          + " off.")
  private Integer persistentKeepalive = 25;

  @JsonPropertyDescription(
      "How the home end gets its WireGuard configuration. Absent: a wg-quick file in a Secret.")
  private TunnelHome home;

  @JsonPropertyDescription(
      "The Nginx Proxy Manager at the home site that the Edge forwards this Tunnel's Routes to.")
  private ProxyManager proxyManager;

  @Default("Delete")
  @JsonPropertyDescription(
      "On deletion, Delete removes the peer from the Edge; Retain leaves it configured.")
  private DeletionPolicy deletionPolicy = DeletionPolicy.Delete;

  public LocalObjectRef getEdgeRef() {
    return edgeRef;
  }

  public void setEdgeRef(LocalObjectRef edgeRef) {
    this.edgeRef = edgeRef;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public List<String> getAllowedIPs() {
    return allowedIPs;
  }

  public void setAllowedIPs(List<String> allowedIPs) {
    this.allowedIPs = allowedIPs;
  }

  public Integer getPersistentKeepalive() {
    return persistentKeepalive;
  }

  public void setPersistentKeepalive(Integer persistentKeepalive) {
    this.persistentKeepalive = persistentKeepalive;
  }

  public TunnelHome getHome() {
    return home;
  }

  public void setHome(TunnelHome home) {
    this.home = home;
  }

  public ProxyManager getProxyManager() {
    return proxyManager;
  }

  public void setProxyManager(ProxyManager proxyManager) {
    this.proxyManager = proxyManager;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }
}
