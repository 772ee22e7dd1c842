package io.homelab.operator.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.homelab.operator.api.LocalObjectRef;
import io.homelab.operator.api.Patterns;

/** The service at home a Route leads to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.guestRef) != has(self.address)",
    message = "backend needs exactly one of guestRef and address")
@ValidationRule(
    value = "!has(self.guestRef) || has(self.port)",
    message = "backend.port is required with guestRef")
@ValidationRule(
    value = "!has(self.address) || !has(self.port)",
    message = "backend.address already carries the port (host:port); remove backend.port")
public class Backend {

  @JsonPropertyDescription("A Guest in this namespace; NPM forwards to its first address, at port.")
  private LocalObjectRef guestRef;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port of the service on the Guest.")
  private Integer port;

  @Size(max = 261)
  @Pattern(Patterns.HOST_PORT)
  @JsonPropertyDescription(
      "host:port of a service that is not a Guest, as NPM reaches it, for example"
          + " 192.168.1.20:8080 or nas.home.lan:5000.")
  private String address;

  @Default("http")
  @JsonPropertyDescription("Protocol NPM speaks to the backend: http or https.")
  private BackendScheme scheme = BackendScheme.HTTP;

  public LocalObjectRef getGuestRef() {
    return guestRef;
  }

  public void setGuestRef(LocalObjectRef guestRef) {
    this.guestRef = guestRef;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public BackendScheme getScheme() {
    return scheme;
  }

  public void setScheme(BackendScheme scheme) {
    this.scheme = scheme;
  }
}
