package io.homelab.operator.sandbox.kube;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The legacy (unaggregated) discovery documents of the Kubernetes API, built from the catalog:
 * {@code /api} (APIVersions), {@code /api/v1} and {@code /apis/<group>/<version>} (APIResourceList,
 * with short names, categories, verbs and the {@code /status} subresource), {@code /apis}
 * (APIGroupList) and {@code /apis/<group>} (APIGroup). kubectl asks for aggregated discovery first;
 * a plain {@code application/json} answer makes it use these.
 */
final class Discovery {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");

  private Discovery() {}

  static ObjectNode apiVersions(String serverAddress) {
    ObjectNode versions = NODES.objectNode().put("kind", "APIVersions");
    versions.putArray("versions").add("v1");
    versions
        .putArray("serverAddressByClientCIDRs")
        .addObject()
        .put("clientCIDR", "0.0.0.0/0")
        .put("serverAddress", serverAddress);
    return versions;
  }

  static ObjectNode groupList(ResourceTypes types) {
    ObjectNode list = NODES.objectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    types.groups().forEach((name, versions) -> groups.add(group(name, versions)));
    return list;
  }

  /** The APIGroup of {@code name}, or null when no kind is served in it. */
  static ObjectNode group(ResourceTypes types, String name) {
    List<String> versions = types.groups().get(name);
    if (versions == null) {
      return null;
    }
    return group(name, versions).put("kind", "APIGroup").put("apiVersion", "v1");
  }

  private static ObjectNode group(String name, List<String> versions) {
    ObjectNode group = NODES.objectNode().put("name", name);
    ArrayNode list = group.putArray("versions");
    for (String version : versions) {
      list.addObject().put("groupVersion", name + "/" + version).put("version", version);
    }
    group
        .putObject("preferredVersion")
        .put("groupVersion", name + "/" + versions.get(0))
        .put("version", versions.get(0));
    return group;
  }

  /** The APIResourceList of one group and version, or null when nothing is served there. */
  static ObjectNode resourceList(ResourceTypes types, String group, String version) {
    List<ResourceType> served = types.of(group, version);
    if (served.isEmpty()) {
      return null;
    }
    ObjectNode list =
        NODES
            .objectNode()
            .put("kind", "APIResourceList")
            .put("apiVersion", "v1")
            .put("groupVersion", served.get(0).groupVersion());
    ArrayNode resources = list.putArray("resources");
    for (ResourceType type : served) {
      ObjectNode resource =
          resources
              .addObject()
              .put("name", type.plural())
              .put("singularName", type.singular())
              .put("namespaced", type.namespaced())
              .put("kind", type.kind());
      strings(resource.putArray("verbs"), type.verbs());
      if (!type.shortNames().isEmpty()) {
        strings(resource.putArray("shortNames"), type.shortNames());
      }
      if (!type.categories().isEmpty()) {
        strings(resource.putArray("categories"), type.categories());
      }
      if (type.statusSubresource()) {
        ObjectNode status =
            resources
                .addObject()
                .put("name", type.plural() + "/status")
                .put("singularName", "")
                .put("namespaced", type.namespaced())
                .put("kind", type.kind());
        strings(status.putArray("verbs"), STATUS_VERBS);
      }
    }
    return list;
  }

  /** The discovery paths the server answers, for the root document {@code /}. */
  static List<String> paths(ResourceTypes types) {
    List<String> paths = new java.util.ArrayList<>(List.of("/api", "/api/v1", "/apis"));
    for (Map.Entry<String, List<String>> group : types.groups().entrySet()) {
      paths.add("/apis/" + group.getKey());
      group.getValue().forEach(v -> paths.add("/apis/" + group.getKey() + "/" + v));
    }
    paths.addAll(List.of("/healthz", "/livez", "/openapi/v3", "/readyz", "/version"));
    return paths;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
