package io.homelab.operator.chart;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rights as (API group, resource, verb) triples, written {@code group/resource verb} ({@code
 * /secrets get} for the core group, {@code homelab.io/routes/status patch} for a subresource): what
 * a chart's ClusterRoles and Roles grant, and what an operator was seen to ask of an API server.
 */
public final class Rbac {

  /**
   * Rights Kubernetes' default ClusterRole {@code system:basic-user} gives every authenticated
   * user: a chart need not grant them. The operator asks which rights it has at start.
   */
  public static final Set<String> EVERY_USER =
      Set.of(
          right("authorization.k8s.io", "selfsubjectrulesreviews", "create"),
          right("authorization.k8s.io", "selfsubjectaccessreviews", "create"));

  private Rbac() {}

  public static String right(String group, String resource, String verb) {
    return group + "/" + resource + " " + verb;
  }

  /** Every right the ClusterRoles and Roles among the rendered objects grant. */
  public static Set<String> granted(List<JsonNode> rendered) {
    Set<String> rights = new TreeSet<>();
    for (JsonNode role : rendered) {
      String kind = role.path("kind").asText();
      if (!kind.equals("ClusterRole") && !kind.equals("Role")) {
        continue;
      }
      for (JsonNode rule : role.path("rules")) {
        for (JsonNode group : rule.path("apiGroups")) {
          for (JsonNode resource : rule.path("resources")) {
            for (JsonNode verb : rule.path("verbs")) {
              rights.add(right(group.asText(), resource.asText(), verb.asText()));
            }
          }
        }
      }
    }
    return rights;
  }

  /**
   * The right one request to the API server needs, or null for a request outside the resource API
   * (discovery, {@code /version}, OpenAPI: every authenticated user may read those).
   *
   * @param method the HTTP method
   * @param pathAndQuery the request target, such as {@code
   *     /apis/homelab.io/v1alpha1/namespaces/ha/routes?watch=true}
   */
  public static String needed(String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    String[] parts = path.replaceAll("^/+|/+$", "").split("/");
    String group;
    int i;
    if (parts.length >= 3 && parts[0].equals("api")) {
      group = "";
      i = 2;
    } else if (parts.length >= 4 && parts[0].equals("apis")) {
      group = parts[1];
      i = 3;
    } else {
      return null;
    }
    if (i + 1 < parts.length && parts[i].equals("namespaces") && parts.length > i + 2) {
      i += 2; // a namespaced resource: /namespaces/<ns>/<resource>...
    }
    String resource = parts[i];
    String name = i + 1 < parts.length ? parts[i + 1] : null;
    String subresource = i + 2 < parts.length ? parts[i + 2] : null;
    if (subresource != null) {
      resource = resource + "/" + subresource;
    }
    boolean watch = ("&" + query + "&").contains("&watch=true&");
    String verb =
        switch (method) {
          case "GET" -> name == null ? (watch ? "watch" : "list") : "get";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> name == null ? "deletecollection" : "delete";
          default -> throw new IllegalArgumentException("unexpected method " + method);
        };
    return right(group, resource, verb);
  }
}
