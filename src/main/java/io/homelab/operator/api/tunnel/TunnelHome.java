package io.homelab.operator.api.tunnel;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.homelab.operator.api.Patterns;
import io.homelab.operator.api.SshAccess;

/** The home end of a Tunnel. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(has(self.mode) && self.mode == 'SSH') == has(self.ssh)",
    message = "ssh is required when mode is SSH, and allowed only then")
@ValidationRule(
    value =
        "!(has(self.mode) && self.mode == 'SSH') || (!has(self.publicKey) &&"
            + " !has(self.secretName))",
    message =
        "publicKey and secretName belong to Secret mode; in SSH mode the operator makes"
            + " the home key and pushes the configuration itself")
public class TunnelHome {

  @Default("Secret")
  @JsonPropertyDescription(
      "Secret: the operator writes a wg-quick file into a Secret for you to install at home. SSH:"
          + " the operator pushes it to a home host and applies it.")
  private HomeMode mode = HomeMode.Secret;

  @Size(max = 44)
  @Pattern(Patterns.WIREGUARD_KEY)
  @JsonPropertyDescription(
      "The home end's WireGuard public key, when you keep the private key yourself. Absent: the"
          + " operator generates the home key pair and puts it in the Secret.")
  private String publicKey;

  @Size(max = 253)
  @Pattern(Patterns.OBJECT_NAME)
  @JsonPropertyDescription(
      "Name of the Secret the operator writes the home configuration to. Absent:"
          + " <tunnel name>-home.")
  private String secretName;

  @JsonPropertyDescription("The home host the configuration is pushed to, in SSH mode.")
  private SshAccess ssh;

  @Size(max = 15)
  @Pattern(Patterns.INTERFACE_NAME)
  @Default("wg0")
  @JsonPropertyDescription("Interface name at home (the wg-quick file name).")
  private String interfaceName = "wg0";

  public HomeMode getMode() {
    return mode;
  }

  public void setMode(HomeMode mode) {
    this.mode = mode;
  }

  public String getPublicKey() {
    return publicKey;
  }

  public void setPublicKey(String publicKey) {
    this.publicKey = publicKey;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public SshAccess getSsh() {
    return ssh;
  }

  public void setSsh(SshAccess ssh) {
    this.ssh = ssh;
  }

  public String getInterfaceName() {
    return interfaceName;
  }

  public void setInterfaceName(String interfaceName) {
    this.interfaceName = interfaceName;
  }
}
