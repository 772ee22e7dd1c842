package io.homelab.operator.api.guest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.homelab.operator.api.SecretRef;

/** How the operator reaches a Proxmox VE cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProxmoxConnection {

  @Required
  @JsonPropertyDescription(
      "Secret with the keys 'url' (https://HOST:8006), 'tokenId' (USER@REALM!TOKENID) and"
          + " 'tokenSecret', and either 'caBundle' (PEM) or 'fingerprint' (the certificate's"
          + " SHA-256) to trust Proxmox's self-signed certificate.")
  private SecretRef connectionSecretRef;

  @Default("false")
  @JsonPropertyDescription(
      "Skip TLS verification. Anyone on the path can then read the API token: the Guest carries"
          + " a warning condition while this is on.")
  private Boolean insecureSkipTlsVerify = false;

  public SecretRef getConnectionSecretRef() {
    return connectionSecretRef;
  }

  public void setConnectionSecretRef(SecretRef connectionSecretRef) {
    this.connectionSecretRef = connectionSecretRef;
  }

  public Boolean getInsecureSkipTlsVerify() {
    return insecureSkipTlsVerify;
  }

  public void setInsecureSkipTlsVerify(Boolean insecureSkipTlsVerify) {
    this.insecureSkipTlsVerify = insecureSkipTlsVerify;
  }
}
