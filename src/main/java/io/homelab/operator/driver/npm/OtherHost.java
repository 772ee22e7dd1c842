package io.homelab.operator.driver.npm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * A redirection or dead host ({@code GET /api/nginx/redirection-hosts}, {@code GET
 * /api/nginx/dead-hosts}): the operator never makes one, it only needs the domains they hold.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OtherHost(int id, List<String> domainNames) {

  public OtherHost {
    domainNames = domainNames == null ? List.of() : List.copyOf(domainNames);
  }

  public boolean serves(String domain) {
    return domainNames.stream().anyMatch(d -> d.equalsIgnoreCase(domain));
  }
}
