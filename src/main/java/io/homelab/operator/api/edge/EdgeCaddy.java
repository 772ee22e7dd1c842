package io.homelab.operator.api.edge;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.homelab.operator.api.Patterns;
import java.util.List;

/** The Caddy gateway on a VPS, programmed through its admin API over the Edge's SSH connection. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!(has(self.issuer) && self.issuer == 'Internal') || (!has(self.acmeEmail) &&"
            + " !has(self.acmeCaUrl))",
    message = "acmeEmail and acmeCaUrl apply to the Acme issuer only, not to Internal")
public class EdgeCaddy {

  @Size(max = 261)
  @Pattern(Patterns.HOST_PORT)
  @Default("localhost:2019")
  @JsonPropertyDescription(
      "Address of Caddy's admin API on the VPS. The operator reaches it through an SSH port"
          + " forward; it never needs to be public.")
  private String adminAddress = "localhost:2019";

  @Size(max = 8)
  @JsonPropertyDescription(
      "Addresses the operator's Caddy server listens on. Absent or empty: ':80' and ':443'.")
  private List<@Size(max = 261) @Pattern(Patterns.LISTEN_ADDRESS) String> listen;

  @Size(max = 63)
  @Pattern("^[A-Za-z0-9_-]+$")
  @JsonPropertyDescription(
      "Name of a server that already exists in Caddy's config (apps.http.servers.<name>) to put"
          + " the routes into, instead of the operator's own server 'homelab'.")
  private String server;

  @Default("Acme")
  @JsonPropertyDescription(
      "Where certificates come from: Acme (a public ACME CA) or Internal (Caddy's local CA).")
  private CaddyIssuer issuer = CaddyIssuer.Acme;

  @Size(max = 254)
  @Pattern(Patterns.EMAIL)
  @JsonPropertyDescription("Contact e-mail given to the ACME CA.")
  private String acmeEmail;

  @Size(max = 2048)
  @Pattern(Patterns.HTTPS_URL)
  @JsonPropertyDescription(
      "Directory URL of the ACME CA, for example Let's Encrypt's staging directory while"
          + " testing. Absent: Caddy's default CAs.")
  private String acmeCaUrl;

  public String getAdminAddress() {
    return adminAddress;
  }

  public void setAdminAddress(String adminAddress) {
    this.adminAddress = adminAddress;
  }

  public List<String> getListen() {
    return listen;
  }

  public void setListen(List<String> listen) {
    this.listen = listen;
  }

  public String getServer() {
    return server;
  }

  public void setServer(String server) {
    this.server = server;
  }

  public CaddyIssuer getIssuer() {
    return issuer;
  }

  public void setIssuer(CaddyIssuer issuer) {
    this.issuer = issuer;
  }

  public String getAcmeEmail() {
    return acmeEmail;
  }

  public void setAcmeEmail(String acmeEmail) {
    this.acmeEmail = acmeEmail;
  }

  public String getAcmeCaUrl() {
    return acmeCaUrl;
  }

  public void setAcmeCaUrl(String acmeCaUrl) {
    this.acmeCaUrl = acmeCaUrl;
  }
}
