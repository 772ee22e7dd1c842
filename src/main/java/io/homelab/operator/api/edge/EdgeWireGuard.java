package io.homelab.operator.api.edge;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.homelab.operator.api.Patterns;
import io.homelab.operator.api.SecretKeyRef;

/** The WireGuard interface an Edge manages on its VPS. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EdgeWireGuard {

  @Size(max = 15)
  @Pattern(Patterns.INTERFACE_NAME)
  @Default("wg0")
  @JsonPropertyDescription(
      "Interface name on the VPS. The operator owns its config file and leaves an existing one it"
          + " did not write alone.")
  private String interfaceName = "wg0";

  @Min(1)
  @Max(65535)
  @Default("51820")
  @JsonPropertyDescription("UDP port WireGuard listens on; open it in the VPS's firewall.")
  private Integer listenPort = 51820;

  @Required
  @Size(max = 18)
  @Pattern(Patterns.CIDR_V4)
  @JsonPropertyDescription(
      "IPv4 network of the tunnel addresses, for example 10.77.0.0/24. The Edge takes one address"
          + " in it and each Tunnel another.")
  private String network;

  @Size(max = 15)
  @Pattern(Patterns.IPV4)
  @JsonPropertyDescription(
      "The Edge's own address inside network. Absent: the first host address of network.")
  private String address;

  @Min(1280)
  @Max(9000)
  @Default("1420")
  @JsonPropertyDescription("MTU of the interface in bytes.")
  private Integer mtu = 1420;

  @JsonPropertyDescription(
      "Secret key holding the interface's private key (base64, as 'wg genkey' prints it). Absent:"
          + " the operator generates a key pair and keeps it in a Secret it creates.")
  private SecretKeyRef privateKeySecretRef;

  public String getInterfaceName() {
    return interfaceName;
  }

  public void setInterfaceName(String interfaceName) {
    this.interfaceName = interfaceName;
  }

  public Integer getListenPort() {
    return listenPort;
  }

  public void setListenPort(Integer listenPort) {
    this.listenPort = listenPort;
  }

  public String getNetwork() {
    return network;
  }

  public void setNetwork(String network) {
    this.network = network;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public Integer getMtu() {
    return mtu;
  }

  public void setMtu(Integer mtu) {
    this.mtu = mtu;
  }

  public SecretKeyRef getPrivateKeySecretRef() {
    return privateKeySecretRef;
  }

  public void setPrivateKeySecretRef(SecretKeyRef privateKeySecretRef) {
    this.privateKeySecretRef = privateKeySecretRef;
  }
}
