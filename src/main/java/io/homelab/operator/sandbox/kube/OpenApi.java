package io.homelab.operator.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenAPI v3 documents of the sandbox API server: {@code /openapi/v3} (the index of one
 * document per group and version) and {@code /openapi/v3/api/v1} or {@code
 * /openapi/v3/apis/<group>/<version>}.
 *
 * <p>A CRD's document carries its {@code openAPIV3Schema} under {@code components/schemas} (named
 * as the real server names them, {@code io.homelab.v1alpha1.Route} for {@code homelab.io}), with
 * {@code apiVersion}, {@code kind} and {@code metadata} added and {@code
 * x-kubernetes-group-version-kind}, which is how {@code kubectl explain} finds it. Built-in kinds
 * get a small schema of their own.
 *
 * <p>Every kind's paths hold the operations a real server lists, with the {@code fieldValidation}
 * query parameter on PATCH: from that, kubectl learns that the server validates fields itself, so
 * {@code kubectl apply} needs no {@code --validate=false} and does not look for the OpenAPI v2
 * document (it still asks for {@code /openapi/v2}, gets 404 and goes on). PATCH lists JSON, merge
 * and apply patches only, never strategic merge: for a built-in kind kubectl then computes its
 * strategic merge patch from its own compiled-in types, not from these small schemas.
 */
final class OpenApi {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
  static final String LIST_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";
  private static final String API_VERSION_DESCRIPTION =
      "APIVersion defines the versioned schema of this representation of an object. Servers"
          + " should convert recognized schemas to the latest internal value, and may reject"
          + " unrecognized values.";
  private static final String KIND_DESCRIPTION =
      "Kind is a string value representing the REST resource this object represents. Servers may"
          + " infer this from the endpoint the client submits requests to. In CamelCase.";
  private static final String METADATA_DESCRIPTION =
      "Standard object's metadata: name, namespace, labels, annotations and the fields the server"
          + " sets.";

  private OpenApi() {}

  /** The key of a group and version in the index: {@code api/v1} or {@code apis/<g>/<v>}. */
  static String key(String group, String version) {
    return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
  }

  /** {@code /openapi/v3}: one entry per group and version, with a hash of its document. */
  static ObjectNode index(ResourceTypes types) {
    ObjectNode index = NODES.objectNode();
    ObjectNode paths = index.putObject("paths");
    for (Map.Entry<String, List<ResourceType>> gv : byGroupVersion(types).entrySet()) {
      ResourceType first = gv.getValue().get(0);
      String hash = hash(document(types, first.group(), first.version()));
      paths
          .putObject(gv.getKey())
          .put("serverRelativeURL", "/openapi/v3/" + gv.getKey() + "?hash=" + hash);
    }
    return index;
  }

  /** The document of one group and version, or null when nothing is served there. */
  static ObjectNode document(ResourceTypes types, String group, String version) {
    List<ResourceType> served = types.of(group, version);
    if (served.isEmpty()) {
      return null;
    }
    ObjectNode doc = NODES.objectNode().put("openapi", "3.0.0");
    doc.putObject("info")
        .put("title", "Kubernetes (homelab-operator sandbox)")
        .put("version", served.get(0).groupVersion());
    ObjectNode paths = doc.putObject("paths");
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    schemas.set(OBJECT_META, objectMetaSchema());
    schemas.set(LIST_META, listMetaSchema());
    for (ResourceType type : served) {
      String name = schemaName(type);
      schemas.set(name, kindSchema(type));
      schemas.set(name + "List", listSchema(type, name));
      addPaths(paths, type, name);
    }
    return doc;
  }

  /** The component name the real API server gives a kind. */
  static String schemaName(ResourceType type) {
    if (type.group().isEmpty()) {
      return "io.k8s.api.core." + type.version() + "." + type.kind();
    }
    if (type.group().endsWith(".k8s.io")) {
      String short_ = type.group().substring(0, type.group().length() - ".k8s.io".length());
      return "io.k8s.api." + short_ + "." + type.version() + "." + type.kind();
    }
    List<String> parts = new ArrayList<>(List.of(type.group().split("\\.")));
    Collections.reverse(parts);
    return String.join(".", parts) + "." + type.version() + "." + type.kind();
  }

  private static Map<String, List<ResourceType>> byGroupVersion(ResourceTypes types) {
    Map<String, List<ResourceType>> byGv = new LinkedHashMap<>();
    for (ResourceType t : types.all()) {
      byGv.computeIfAbsent(key(t.group(), t.version()), k -> new ArrayList<>()).add(t);
    }
    return byGv;
  }

  private static ObjectNode kindSchema(ResourceType type) {
    ObjectNode schema =
        type.schema() != null ? type.schema().deepCopy() : BuiltInSchemas.of(type.kind());
    schema.put("type", "object");
    ObjectNode properties =
        schema.has("properties") && schema.get("properties").isObject()
            ? (ObjectNode) schema.get("properties")
            : schema.putObject("properties");
    ObjectNode ordered = NODES.objectNode();
    ordered.set(
        "apiVersion", properties.has("apiVersion") ? properties.get("apiVersion") : apiVersion());
    ordered.set("kind", properties.has("kind") ? properties.get("kind") : kind());
    ordered.set("metadata", metadataRef(OBJECT_META));
    properties
        .properties()
        .forEach(
            e -> {
              if (!ordered.has(e.getKey())) {
                ordered.set(e.getKey(), e.getValue());
              }
            });
    schema.set("properties", ordered);
    schema.set("x-kubernetes-group-version-kind", gvk(type, type.kind()));
    return schema;
  }

  private static ObjectNode listSchema(ResourceType type, String itemSchema) {
    ObjectNode schema =
        NODES
            .objectNode()
            .put("description", type.kind() + "List is a list of " + type.kind() + ".")
            .put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    properties.set("apiVersion", apiVersion());
    properties
        .putObject("items")
        .put("description", "List of " + type.plural() + ".")
        .put("type", "array")
        .putObject("items")
        .put("$ref", "#/components/schemas/" + itemSchema);
    properties.set("kind", kind());
    properties.set("metadata", metadataRef(LIST_META));
    schema.putArray("required").add("items");
    schema.set("x-kubernetes-group-version-kind", gvk(type, type.kind() + "List"));
    return schema;
  }

  private static void addPaths(ObjectNode paths, ResourceType type, String schemaName) {
    String prefix = "/" + key(type.group(), type.version());
    String scoped = type.namespaced() ? prefix + "/namespaces/{namespace}" : prefix;
    String collection = scoped + "/" + type.plural();
    String item = collection + "/{name}";
    String ref = "#/components/schemas/" + schemaName;
    String listRef = ref + "List";

    ObjectNode collectionPath = paths.putObject(collection);
    pathParameters(collectionPath, type.namespaced(), false);
    if (type.verbs().contains("list")) {
      collectionPath.set("get", operation(type, "list", "list", listRef, List.of()));
    }
    if (type.verbs().contains("create")) {
      ObjectNode post =
          operation(
              type, "post", "create", ref, List.of("dryRun", "fieldManager", "fieldValidation"));
      post.set("requestBody", body(ref, List.of("application/json", "application/yaml")));
      collectionPath.set("post", post);
    }
    if (type.verbs().size() == 1) {
      return;
    }
    if (type.namespaced()) {
      ObjectNode all = paths.putObject(prefix + "/" + type.plural());
      all.set("get", operation(type, "list", "listForAllNamespaces", listRef, List.of()));
    }
    ObjectNode itemPath = paths.putObject(item);
    pathParameters(itemPath, type.namespaced(), true);
    itemPath.set("get", operation(type, "get", "read", ref, List.of()));
    ObjectNode put =
        operation(
            type, "put", "replace", ref, List.of("dryRun", "fieldManager", "fieldValidation"));
    put.set("requestBody", body(ref, List.of("application/json", "application/yaml")));
    itemPath.set("put", put);
    itemPath.set("patch", patch(type, ref, "patch"));
    itemPath.set("delete", operation(type, "delete", "delete", ref, List.of("dryRun")));
    if (type.statusSubresource()) {
      ObjectNode statusPath = paths.putObject(item + "/status");
      pathParameters(statusPath, type.namespaced(), true);
      statusPath.set("get", operation(type, "get", "readStatus", ref, List.of()));
      ObjectNode putStatus =
          operation(
              type,
              "put",
              "replaceStatus",
              ref,
              List.of("dryRun", "fieldManager", "fieldValidation"));
      putStatus.set("requestBody", body(ref, List.of("application/json", "application/yaml")));
      statusPath.set("put", putStatus);
      statusPath.set("patch", patch(type, ref, "patchStatus"));
    }
  }

  private static ObjectNode patch(ResourceType type, String ref, String verb) {
    ObjectNode patch =
        operation(
            type,
            "patch",
            verb,
            ref,
            List.of("dryRun", "fieldManager", "fieldValidation", "force"));
    List<String> types =
        List.of(
            "application/apply-patch+yaml",
            "application/json-patch+json",
            "application/merge-patch+json");
    ObjectNode requestBody = patch.putObject("requestBody");
    ObjectNode content = requestBody.putObject("content");
    for (String t : types) {
      content.putObject(t).putObject("schema").put("type", "object");
    }
    requestBody.put("required", true);
    return patch;
  }

  private static ObjectNode operation(
      ResourceType type, String action, String verb, String responseRef, List<String> query) {
    ObjectNode op = NODES.objectNode();
    op.put("description", verb + " " + type.kind());
    op.put("operationId", operationId(type, verb));
    ArrayNode parameters = op.putArray("parameters");
    for (String q : query) {
      ObjectNode param = parameters.addObject().put("name", q).put("in", "query");
      param.put("description", queryDescription(q));
      param
          .putObject("schema")
          .put("type", q.equals("force") ? "boolean" : "string")
          .put("uniqueItems", true);
    }
    ObjectNode responses = op.putObject("responses");
    ObjectNode content = responses.putObject("200").put("description", "OK").putObject("content");
    for (String mediaType : List.of("application/json", "application/yaml")) {
      content.putObject(mediaType).putObject("schema").put("$ref", responseRef);
    }
    responses.putObject("401").put("description", "Unauthorized");
    op.put("x-kubernetes-action", action);
    op.putObject("x-kubernetes-group-version-kind")
        .put("group", type.group())
        .put("version", type.version())
        .put("kind", type.kind());
    return op;
  }

  /**
   * An operation id in the real server's style: {@code patchNamespacedSecret}, {@code
   * listHomelabIoV1alpha1RouteForAllNamespaces}, {@code readNamespacedRouteStatus}.
   */
  private static String operationId(ResourceType type, String verb) {
    boolean forAll = verb.endsWith("ForAllNamespaces");
    boolean status = verb.endsWith("Status");
    String base =
        forAll
            ? verb.substring(0, verb.length() - "ForAllNamespaces".length())
            : status ? verb.substring(0, verb.length() - "Status".length()) : verb;
    StringBuilder id = new StringBuilder(base);
    for (String part : (type.group() + "." + type.version()).split("[.-]")) {
      if (!part.isEmpty() && !type.group().isEmpty()) {
        id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    if (type.group().isEmpty()) {
      id.append("Core").append(Character.toUpperCase(type.version().charAt(0)));
      id.append(type.version().substring(1));
    }
    if (type.namespaced() && !forAll) {
      id.append("Namespaced");
    }
    id.append(type.kind());
    if (forAll) {
      id.append("ForAllNamespaces");
    }
    if (status) {
      id.append("Status");
    }
    return id.toString();
  }

  private static String queryDescription(String name) {
    return switch (name) {
      case "dryRun" -> "When present, indicates that modifications should not be persisted.";
      case "fieldManager" -> "A name associated with the actor or entity that is making changes.";
      case "fieldValidation" ->
          "How the server treats unknown or duplicate fields: Ignore, Warn or Strict.";
      case "force" -> "Force an apply request to take over conflicting fields.";
      default -> name;
    };
  }

  private static void pathParameters(ObjectNode path, boolean namespaced, boolean named) {
    ArrayNode parameters = path.putArray("parameters");
    if (named) {
      parameters
          .addObject()
          .put("name", "name")
          .put("in", "path")
          .put("description", "name of the object")
          .put("required", true)
          .putObject("schema")
          .put("type", "string")
          .put("uniqueItems", true);
    }
    if (namespaced) {
      parameters
          .addObject()
          .put("name", "namespace")
          .put("in", "path")
          .put("description", "object name and auth scope, such as for teams and projects")
          .put("required", true)
          .putObject("schema")
          .put("type", "string")
          .put("uniqueItems", true);
    }
  }

  private static ObjectNode body(String ref, List<String> mediaTypes) {
    ObjectNode body = NODES.objectNode();
    ObjectNode content = body.putObject("content");
    for (String mediaType : mediaTypes) {
      content.putObject(mediaType).putObject("schema").put("$ref", ref);
    }
    body.put("required", true);
    return body;
  }

  private static ArrayNode gvk(ResourceType type, String kind) {
    ArrayNode list = NODES.arrayNode();
    list.addObject().put("group", type.group()).put("kind", kind).put("version", type.version());
    return list;
  }

  private static ObjectNode apiVersion() {
    return NODES.objectNode().put("description", API_VERSION_DESCRIPTION).put("type", "string");
  }

  private static ObjectNode kind() {
    return NODES.objectNode().put("description", KIND_DESCRIPTION).put("type", "string");
  }

  private static ObjectNode metadataRef(String schema) {
    ObjectNode metadata = NODES.objectNode();
    metadata.putArray("allOf").addObject().put("$ref", "#/components/schemas/" + schema);
    metadata.putObject("default");
    metadata.put("description", METADATA_DESCRIPTION);
    return metadata;
  }

  private static ObjectNode objectMetaSchema() {
    ObjectNode schema =
        NODES
            .objectNode()
            .put(
                "description",
                "ObjectMeta is metadata that all persisted resources must have, which includes all"
                    + " objects users must create.")
            .put("type", "object");
    ObjectNode p = schema.putObject("properties");
    stringMap(p, "annotations", "Unstructured key value data set by external tools.");
    string(p, "creationTimestamp", "When the server created the object (RFC 3339, UTC).");
    string(p, "deletionTimestamp", "When the object is to be deleted; set by the server.");
    p.putObject("finalizers")
        .put(
            "description",
            "Must be empty before the object is deleted from the registry. Each entry is an"
                + " identifier for the responsible component that will remove the entry.")
        .put("type", "array")
        .put("x-kubernetes-list-type", "set")
        .putObject("items")
        .put("type", "string")
        .put("default", "");
    string(p, "generateName", "A prefix the server uses to generate a unique name.");
    p.putObject("generation")
        .put("description", "A sequence number representing a specific generation of the spec.")
        .put("type", "integer")
        .put("format", "int64");
    stringMap(p, "labels", "Map of string keys and values to organize and select objects.");
    string(p, "name", "Name must be unique within a namespace.");
    string(p, "namespace", "The namespace the object lives in; empty for cluster-scoped kinds.");
    string(p, "resourceVersion", "An opaque value that changes whenever the object changes.");
    string(p, "uid", "The unique identifier the server gives the object when it is created.");
    return schema;
  }

  private static ObjectNode listMetaSchema() {
    ObjectNode schema =
        NODES
            .objectNode()
            .put("description", "ListMeta describes metadata that synthetic resources must have.")
            .put("type", "object");
    ObjectNode p = schema.putObject("properties");
    string(p, "continue", "Set when more items can be listed from the server.");
    string(p, "resourceVersion", "The version of the list, for a watch to start from.");
    return schema;
  }

  static void string(ObjectNode properties, String name, String description) {
    properties.putObject(name).put("description", description).put("type", "string");
  }

  static void stringMap(ObjectNode properties, String name, String description) {
    properties
        .putObject(name)
        .put("description", description)
        .put("type", "object")
        .putObject("additionalProperties")
        .put("type", "string")
        .put("default", "");
  }

  static String hash(JsonNode document) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-512");
      byte[] bytes = digest.digest(document.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(bytes).toUpperCase(Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
