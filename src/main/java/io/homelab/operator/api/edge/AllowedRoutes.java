package io.homelab.operator.api.edge;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.homelab.operator.api.Patterns;
import java.util.List;

/** Which Routes an Edge admits, in the manner of a Gateway API listener's allowedRoutes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AllowedRoutes {

  @JsonPropertyDescription(
      "Namespaces whose Routes may use this Edge's Tunnels. Absent: the Edge's own namespace.")
  private RouteNamespaces namespaces;

  @Size(max = 64)
  @JsonPropertyDescription(
      "Host names the Edge serves. 'example.com' admits example.com and every name under it;"
          + " '*.example.com' admits only names under it. Absent or empty: any host name.")
  private List<@Size(max = 253) @Pattern(Patterns.HOSTNAME_SUFFIX) String> hostnames;

  public RouteNamespaces getNamespaces() {
    return namespaces;
  }

  public void setNamespaces(RouteNamespaces namespaces) {
    this.namespaces = namespaces;
  }

  public List<String> getHostnames() {
    return hostnames;
  }

  public void setHostnames(List<String> hostnames) {
    this.hostnames = hostnames;
  }
}
