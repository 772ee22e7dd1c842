package io.homelab.operator.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One kind of object the sandbox API server serves, as discovery, tables and OpenAPI describe it:
 * either built in (core kinds, Leases, CRDs) or taken from a stored CustomResourceDefinition.
 *
 * @param group the API group, empty for the core group
 * @param columns the table columns after Name, in order
 * @param schema the OpenAPI v3 schema of the whole object, or null when none is published
 */
record ResourceType(
    String group,
    String version,
    String plural,
    String singular,
    String kind,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    List<String> verbs,
    boolean statusSubresource,
    List<PrinterColumn> columns,
    JsonNode schema) {

  /** Every verb of a stored kind: the CRUD dispatcher answers all of them. */
  static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** {@code group/version}, or only the version for the core group. */
  String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The path prefix of this group and version: {@code /api/v1} or {@code /apis/<g>/<v>}. */
  String groupVersionPath() {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  /** The collection path of this kind in a namespace, or cluster-wide when namespace is null. */
  String collectionPath(String namespace) {
    if (namespaced && namespace != null) {
      return groupVersionPath() + "/namespaces/" + namespace + "/" + plural;
    }
    return groupVersionPath() + "/" + plural;
  }
}
