package io.homelab.operator.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.homelab.operator.api.Patterns;
import io.homelab.operator.api.SecretRef;
import java.util.List;

/** Access control at the Edge. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.allowedCidrs) && size(self.allowedCidrs) > 0) ||"
            + " has(self.basicAuthSecretRef)",
    message = "access needs allowedCidrs or basicAuthSecretRef; remove access to allow everyone")
public class RouteAccess {

  @Size(max = 64)
  @JsonPropertyDescription("Client networks allowed in; everyone else gets 403 at the Edge.")
  private List<@Size(max = 43) @Pattern(Patterns.CIDR) String> allowedCidrs;

  @JsonPropertyDescription(
      "Secret with the keys 'username' and 'password' that clients must present (HTTP basic"
          + " auth). The password is stored hashed at the Edge.")
  private SecretRef basicAuthSecretRef;

  public List<String> getAllowedCidrs() {
    return allowedCidrs;
  }

  public void setAllowedCidrs(List<String> allowedCidrs) {
    this.allowedCidrs = allowedCidrs;
  }

  public SecretRef getBasicAuthSecretRef() {
    return basicAuthSecretRef;
  }

  public void setBasicAuthSecretRef(SecretRef basicAuthSecretRef) {
    this.basicAuthSecretRef = basicAuthSecretRef;
  }
}
