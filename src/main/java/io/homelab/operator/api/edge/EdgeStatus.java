package io.homelab.operator.api.edge;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.homelab.operator.api.HomelabStatus;
import java.util.List;

/** The observed state of an Edge. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EdgeStatus extends HomelabStatus {

  @JsonPropertyDescription("Public key of the Edge's WireGuard interface (never the private key).")
  private String publicKey;

  @JsonPropertyDescription("The Edge's own address inside its WireGuard network.")
  private String address;

  @JsonPropertyDescription(
      "The WireGuard interface the operator has configured on the VPS; deletion (deletionPolicy"
          + " Delete) removes it.")
  private String configuredInterface;

  @JsonPropertyDescription("Number of Tunnels that use this Edge.")
  private Integer tunnels;

  @JsonPropertyDescription("Number of Routes the Edge serves.")
  private Integer routes;

  @JsonPropertyDescription(
      "Host names the Edge's Caddy serves, as of its latest successful write or read; a Route is"
          + " EdgeReady when its host name is here.")
  private List<String> servedHostnames;

  @JsonPropertyDescription(
      "The Caddy server the operator has configured on the VPS: its own 'homelab', or the server"
          + " spec.caddy.server names. Kept until the Edge's cleanup.")
  private String caddyServer;

  @JsonPropertyDescription(
      "The host names of the Edge's Routes in its Cloudflare zone: the ids of the records the"
          + " operator keeps, or why a name is not published. A Route is DnsReady when its host"
          + " name has records here.")
  private List<EdgeDnsName> dnsNames;

  @JsonPropertyDescription("Id of the Edge's Cloudflare zone, once found.")
  private String dnsZoneId;

  public List<EdgeDnsName> getDnsNames() {
    return dnsNames;
  }

  public void setDnsNames(List<EdgeDnsName> dnsNames) {
    this.dnsNames = dnsNames;
  }

  public String getDnsZoneId() {
    return dnsZoneId;
  }

  public void setDnsZoneId(String dnsZoneId) {
    this.dnsZoneId = dnsZoneId;
  }

  public String getPublicKey() {
    return publicKey;
  }

  public void setPublicKey(String publicKey) {
    this.publicKey = publicKey;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public String getConfiguredInterface() {
    return configuredInterface;
  }

  public void setConfiguredInterface(String configuredInterface) {
    this.configuredInterface = configuredInterface;
  }

  public Integer getTunnels() {
    return tunnels;
  }

  public void setTunnels(Integer tunnels) {
    this.tunnels = tunnels;
  }

  public Integer getRoutes() {
    return routes;
  }

  public void setRoutes(Integer routes) {
    this.routes = routes;
  }

  public List<String> getServedHostnames() {
    return servedHostnames;
  }

  public void setServedHostnames(List<String> servedHostnames) {
    this.servedHostnames = servedHostnames;
  }

  public String getCaddyServer() {
    return caddyServer;
  }

  public void setCaddyServer(String caddyServer) {
    this.caddyServer = caddyServer;
  }
}
