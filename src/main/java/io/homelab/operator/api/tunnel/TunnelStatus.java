package io.homelab.operator.api.tunnel;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.homelab.operator.api.HomelabStatus;

/** The observed state of a Tunnel. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TunnelStatus extends HomelabStatus {

  @JsonPropertyDescription("The home end's address inside the Edge's WireGuard network.")
  private String address;

  @JsonPropertyDescription("The home end's WireGuard public key.")
  private String publicKey;

  @JsonPropertyDescription("The Edge's WireGuard public key, as configured at home.")
  private String edgePublicKey;

  @JsonPropertyDescription("Name of the Secret holding the home end's wg-quick file (Secret mode).")
  private String homeConfigSecret;

  @JsonPropertyDescription("Time (RFC 3339) of the latest WireGuard handshake seen on the Edge.")
  private String lastHandshake;

  @JsonPropertyDescription("Bytes the Edge has received from this peer.")
  private Long receivedBytes;

  @JsonPropertyDescription("Bytes the Edge has sent to this peer.")
  private Long sentBytes;

  @JsonPropertyDescription("Value of the key-rotation annotation last carried out.")
  private String rotation;

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public String getPublicKey() {
    return publicKey;
  }

  public void setPublicKey(String publicKey) {
    this.publicKey = publicKey;
  }

  public String getEdgePublicKey() {
    return edgePublicKey;
  }

  public void setEdgePublicKey(String edgePublicKey) {
    this.edgePublicKey = edgePublicKey;
  }

  public String getHomeConfigSecret() {
    return homeConfigSecret;
  }

  public void setHomeConfigSecret(String homeConfigSecret) {
    this.homeConfigSecret = homeConfigSecret;
  }

  public String getLastHandshake() {
    return lastHandshake;
  }

  public void setLastHandshake(String lastHandshake) {
    this.lastHandshake = lastHandshake;
  }

  public Long getReceivedBytes() {
    return receivedBytes;
  }

  public void setReceivedBytes(Long receivedBytes) {
    this.receivedBytes = receivedBytes;
  }

  public Long getSentBytes() {
    return sentBytes;
  }

  public void setSentBytes(Long sentBytes) {
    this.sentBytes = sentBytes;
  }

  public String getRotation() {
    return rotation;
  }

  public void setRotation(String rotation) {
    this.rotation = rotation;
  }
}
