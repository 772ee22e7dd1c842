package io.homelab.operator.api.route;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The protocol NPM speaks to the backend. */
public enum BackendScheme {
  @JsonProperty("http")
  HTTP,
  @JsonProperty("https")
  HTTPS
}
