package io.homelab.operator.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** TLS settings of a Route at the Edge. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RouteTls {

  @Default("false")
  @JsonPropertyDescription("Send a Strict-Transport-Security header.")
  private Boolean hsts = false;

  @Min(0)
  @Max(63072000)
  @Default("31536000")
  @JsonPropertyDescription("max-age of the HSTS header in seconds.")
  private Integer hstsMaxAgeSeconds = 31536000;

  @Default("false")
  @JsonPropertyDescription("Add includeSubDomains to the HSTS header.")
  private Boolean hstsIncludeSubdomains = false;

  public Boolean getHsts() {
    return hsts;
  }

  public void setHsts(Boolean hsts) {
    this.hsts = hsts;
  }

  public Integer getHstsMaxAgeSeconds() {
    return hstsMaxAgeSeconds;
  }

  public void setHstsMaxAgeSeconds(Integer hstsMaxAgeSeconds) {
    this.hstsMaxAgeSeconds = hstsMaxAgeSeconds;
  }

  public Boolean getHstsIncludeSubdomains() {
    return hstsIncludeSubdomains;
  }

  public void setHstsIncludeSubdomains(Boolean hstsIncludeSubdomains) {
    this.hstsIncludeSubdomains = hstsIncludeSubdomains;
  }
}
