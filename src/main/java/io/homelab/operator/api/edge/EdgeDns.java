package io.homelab.operator.api.edge;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.homelab.operator.api.Patterns;
import io.homelab.operator.api.SecretKeyRef;

/** The Cloudflare DNS zone an Edge's Routes publish into. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EdgeDns {

  @Required
  @Size(max = 253)
  @Pattern(Patterns.FQDN)
  @JsonPropertyDescription("Name of the Cloudflare zone, for example example.com.")
  private String zone;

  @Required
  @JsonPropertyDescription(
      "Secret key holding a Cloudflare API token with DNS edit rights on the zone.")
  private SecretKeyRef apiTokenSecretRef;

  @Min(1)
  @Max(86400)
  @Default("1")
  @ValidationRule(
      value = "self == 1 || (self >= 60 && self <= 86400)",
      message = "ttl is 1 (automatic) or between 60 and 86400 seconds")
  @JsonPropertyDescription("TTL of the records in seconds; 1 means automatic.")
  private Integer ttl = 1;

  public String getZone() {
    return zone;
  }

  public void setZone(String zone) {
    this.zone = zone;
  }

  public SecretKeyRef getApiTokenSecretRef() {
    return apiTokenSecretRef;
  }

  public void setApiTokenSecretRef(SecretKeyRef apiTokenSecretRef) {
    this.apiTokenSecretRef = apiTokenSecretRef;
  }

  public Integer getTtl() {
    return ttl;
  }

  public void setTtl(Integer ttl) {
    this.ttl = ttl;
  }
}
