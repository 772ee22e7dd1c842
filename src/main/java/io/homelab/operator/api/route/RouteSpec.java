package io.homelab.operator.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.homelab.operator.api.Patterns;

/**
 * The desired state of a Route. A Route has no deletion policy: deleting it always un-exposes the
 * host name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RouteSpec {

  @Required
  @Size(max = 253)
  @Pattern(Patterns.FQDN)
  @JsonPropertyDescription(
      "The public host name, lower case, for example app.example.com. The oldest Route keeps a"
          + " host name; later ones claiming it are refused with HostnameConflict.")
  private String hostname;

  @Required
  @JsonPropertyDescription(
      "The Tunnel that carries the traffic home. It may be in another namespace when its Edge"
          + " admits this Route's namespace.")
  private TunnelRef tunnelRef;

  @Required
  @JsonPropertyDescription("Where NPM at home forwards the requests: a Guest, or a plain address.")
  private Backend backend;

  @Default("true")
  @JsonPropertyDescription(
      "false takes the host name off the internet (DNS record and Edge route removed, NPM host"
          + " disabled) while keeping the Route.")
  private Boolean enabled = true;

  @JsonPropertyDescription("TLS behaviour at the Edge. Caddy redirects HTTP to HTTPS in any case.")
  private RouteTls tls;

  @JsonPropertyDescription("The DNS record. Absent: a record is created when the Edge has a zone.")
  private RouteDns dns;

  @Default("false")
  @JsonPropertyDescription("Allow WebSocket upgrades through NPM.")
  private Boolean websockets = false;

  @Default("true")
  @JsonPropertyDescription("Have NPM block common exploit requests.")
  private Boolean blockExploits = true;

  @JsonPropertyDescription(
      "Restrict who may reach the host name, at the Edge. Absent: anyone on the internet.")
  private RouteAccess access;

  @JsonPropertyDescription(
      "The end-to-end probe: while the Route is Ready, the operator requests its public URL"
          + " through the Edge every homelab.probe.interval and reports ProbeSucceeded. Absent:"
          + " probed with the defaults.")
  private RouteProbe probe;

  public String getHostname() {
    return hostname;
  }

  public void setHostname(String hostname) {
    this.hostname = hostname;
  }

  public TunnelRef getTunnelRef() {
    return tunnelRef;
  }

  public void setTunnelRef(TunnelRef tunnelRef) {
    this.tunnelRef = tunnelRef;
  }

  public Backend getBackend() {
    return backend;
  }

  public void setBackend(Backend backend) {
    this.backend = backend;
  }

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public RouteTls getTls() {
    return tls;
  }

  public void setTls(RouteTls tls) {
    this.tls = tls;
  }

  public RouteDns getDns() {
    return dns;
  }

  public void setDns(RouteDns dns) {
    this.dns = dns;
  }

  public Boolean getWebsockets() {
    return websockets;
  }

  public void setWebsockets(Boolean websockets) {
    this.websockets = websockets;
  }

  public Boolean getBlockExploits() {
    return blockExploits;
  }

  public void setBlockExploits(Boolean blockExploits) {
    this.blockExploits = blockExploits;
  }

  public RouteAccess getAccess() {
    return access;
  }

  public void setAccess(RouteAccess access) {
    this.access = access;
  }

  public RouteProbe getProbe() {
    return probe;
  }

  public void setProbe(RouteProbe probe) {
    this.probe = probe;
  }
}
