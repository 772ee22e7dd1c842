package io.homelab.operator.api.tunnel;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.homelab.operator.api.Patterns;
import io.homelab.operator.api.SecretRef;

/** The Nginx Proxy Manager at a home site. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProxyManager {

  @Required
  @Size(max = 2048)
  @Pattern(Patterns.HTTP_URL)
  @JsonPropertyDescription(
      "Base URL of NPM's API as the operator reaches it, for example http://npm.home.lan:81/api.")
  private String url;

  @Required
  @JsonPropertyDescription(
      "Secret with NPM's login: the keys 'identity' (the user's e-mail) and 'secret' (the"
          + " password).")
  private SecretRef credentialsSecretRef;

  @Size(max = 261)
  @Pattern(Patterns.HOST_PORT)
  @JsonPropertyDescription(
      "host:port that Caddy on the Edge forwards to through the tunnel: NPM's HTTP listener."
          + " Absent: the Tunnel's home address, port 80.")
  private String upstream;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public SecretRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(SecretRef credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }

  public String getUpstream() {
    return upstream;
  }

  public void setUpstream(String upstream) {
    this.upstream = upstream;
  }
}
