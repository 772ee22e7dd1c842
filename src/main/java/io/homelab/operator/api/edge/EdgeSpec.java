package io.homelab.operator.api.edge;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.homelab.operator.api.DeletionPolicy;
import io.homelab.operator.api.SshAccess;

/** The desired state of an Edge. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EdgeSpec {

  @Required
  @JsonPropertyDescription(
      "The VPS's public addresses: DNS records of the Edge's Routes point here, and home ends"
          + " of Tunnels connect here.")
  private PublicAddress publicAddress;

  @Required
  @JsonPropertyDescription(
      "How the operator reaches the VPS. Every change on the VPS goes through this SSH"
          + " connection, Caddy's admin API included.")
  private SshAccess ssh;

  @Required
  @JsonPropertyDescription("The WireGuard interface on the VPS that the Edge's Tunnels join.")
  private EdgeWireGuard wireguard;

  @JsonPropertyDescription(
      "The Caddy gateway on the VPS that terminates TLS for the Edge's Routes. Absent: the"
          + " defaults of each field.")
  private EdgeCaddy caddy;

  @JsonPropertyDescription(
      "The Cloudflare DNS zone the Edge's Routes publish their records in. Absent: the operator"
          + " manages no DNS for this Edge.")
  private EdgeDns dns;

  @JsonPropertyDescription(
      "Which Routes the Edge serves, by namespace and by host name. Absent: Routes from the"
          + " Edge's own namespace, any host name.")
  private AllowedRoutes allowedRoutes;

  @Default("Delete")
  @JsonPropertyDescription(
      "On deletion, Delete removes the operator's WireGuard interface and Caddy server from the"
          + " VPS; Retain leaves them running.")
  private DeletionPolicy deletionPolicy = DeletionPolicy.Delete;

  public PublicAddress getPublicAddress() {
    return publicAddress;
  }

  public void setPublicAddress(PublicAddress publicAddress) {
    this.publicAddress = publicAddress;
  }

  public SshAccess getSsh() {
    return ssh;
  }

  public void setSsh(SshAccess ssh) {
    this.ssh = ssh;
  }

  public EdgeWireGuard getWireguard() {
    return wireguard;
  }

  public void setWireguard(EdgeWireGuard wireguard) {
    this.wireguard = wireguard;
  }

  public EdgeCaddy getCaddy() {
    return caddy;
  }

  public void setCaddy(EdgeCaddy caddy) {
    this.caddy = caddy;
  }

  public EdgeDns getDns() {
    return dns;
  }

  public void setDns(EdgeDns dns) {
    this.dns = dns;
  }

  public AllowedRoutes getAllowedRoutes() {
    return allowedRoutes;
  }

  public void setAllowedRoutes(AllowedRoutes allowedRoutes) {
    this.allowedRoutes = allowedRoutes;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }
}
