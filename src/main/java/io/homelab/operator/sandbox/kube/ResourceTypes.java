package io.homelab.operator.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kinds the sandbox API server serves: a fixed set of built-in kinds (what the operator and
 * kubectl use) plus one per served version of every stored CustomResourceDefinition. The catalog is
 * made afresh for each request that needs it, so a CRD created or deleted through the API shows up
 * at once.
 */
final class ResourceTypes {

  private static final String NAME_DESCRIPTION =
      "Name must be unique within a namespace. More info:"
          + " https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
  private static final String AGE_DESCRIPTION =
      "CreationTimestamp is a timestamp representing the server time when this object was"
          + " created.";

  /** The built-in kinds, in discovery order. */
  static final List<ResourceType> BUILT_IN = builtIn();

  private final List<ResourceType> types;

  private ResourceTypes(List<ResourceType> types) {
    this.types = types;
  }

  /** The built-in kinds plus those of the given stored CRDs (as JSON). */
  static ResourceTypes of(List<JsonNode> crds) {
    List<ResourceType> types = new ArrayList<>(BUILT_IN);
    for (JsonNode crd : crds) {
      types.addAll(fromCrd(crd));
    }
    return new ResourceTypes(types);
  }

  List<ResourceType> all() {
    return types;
  }

  /** The kinds of one group and version, in catalog order. */
  List<ResourceType> of(String group, String version) {
    return types.stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version))
        .toList();
  }

  /** The groups (the core group excluded) with their versions, in catalog order. */
  Map<String, List<String>> groups() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (ResourceType t : types) {
      if (!t.group().isEmpty()) {
        List<String> versions = groups.computeIfAbsent(t.group(), g -> new ArrayList<>());
        if (!versions.contains(t.version())) {
          versions.add(t.version());
        }
      }
    }
    return groups;
  }

  /** The kind served at {@code group/version/plural}. */
  Optional<ResourceType> find(String group, String version, String plural) {
    return types.stream()
        .filter(
            t ->
                t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural))
        .findFirst();
  }

  /** The kinds a served CRD adds, one per served version. */
  static List<ResourceType> fromCrd(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    String group = spec.path("group").asText();
    String plural = names.path("plural").asText();
    if (group.isEmpty() || plural.isEmpty()) {
      return List.of();
    }
    String kind = names.path("kind").asText();
    String singular = names.path("singular").asText(kind.toLowerCase(java.util.Locale.ROOT));
    boolean namespaced = !"Cluster".equals(spec.path("scope").asText());
    List<ResourceType> types = new ArrayList<>();
    for (JsonNode version : spec.path("versions")) {
      if (!version.path("served").asBoolean(true)) {
        continue;
      }
      List<PrinterColumn> columns = new ArrayList<>();
      JsonNode printerColumns = version.path("additionalPrinterColumns");
      if (printerColumns.isArray() && !printerColumns.isEmpty()) {
        for (JsonNode c : printerColumns) {
          columns.add(
              PrinterColumn.ofJsonPath(
                  c.path("name").asText(),
                  c.path("type").asText("string"),
                  c.path("format").asText(""),
                  c.path("description").asText(""),
                  c.path("priority").asInt(0),
                  c.path("jsonPath").asText()));
        }
      } else {
        columns.add(age());
      }
      types.add(
          new ResourceType(
              group,
              version.path("name").asText(),
              plural,
              singular,
              kind,
              namespaced,
              texts(names.path("shortNames")),
              texts(names.path("categories")),
              ResourceType.ALL_VERBS,
              version.path("subresources").has("status"),
              columns,
              version.path("schema").path("openAPIV3Schema").isObject()
                  ? version.path("schema").path("openAPIV3Schema")
                  : null));
    }
    return types;
  }

  /** The Name column every table starts with. */
  static PrinterColumn name() {
    return new PrinterColumn(
        "Name", "string", "name", NAME_DESCRIPTION, 0, o -> o.path("metadata").path("name"));
  }

  static PrinterColumn age() {
    return PrinterColumn.ofJsonPath(
        "Age", "date", "", AGE_DESCRIPTION, 0, ".metadata.creationTimestamp");
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return List.copyOf(values);
  }

  private static List<ResourceType> builtIn() {
    PrinterColumn age = age();
    PrinterColumn dataCount =
        new PrinterColumn(
            "Data",
            "integer",
            "",
            "The number of keys in data and binaryData.",
            0,
            o ->
                JsonNodeFactory.instance.numberNode(
                    o.path("data").size() + o.path("binaryData").size()));
    List<ResourceType> types = new ArrayList<>();
    types.add(
        core(
            "namespaces",
            "Namespace",
            false,
            List.of("ns"),
            true,
            List.of(column("Status", ".status.phase", "The phase of the namespace."), age)));
    types.add(
        core(
            "secrets",
            "Secret",
            true,
            List.of(),
            false,
            List.of(column("Type", ".type", "The type of the secret."), dataCount, age)));
    types.add(core("configmaps", "ConfigMap", true, List.of("cm"), false, List.of(dataCount, age)));
    types.add(
        core(
            "events",
            "Event",
            true,
            List.of("ev"),
            false,
            List.of(
                column("Type", ".type", "Normal or Warning."),
                column("Reason", ".reason", "Why the event was reported."),
                column("Object", ".involvedObject.name", "The object the event is about."),
                column("Message", ".message", "A human-readable description."),
                age)));
    types.add(
        core(
            "pods",
            "Pod",
            true,
            List.of("po"),
            true,
            List.of(column("Status", ".status.phase", "The phase of the pod."), age)));
    types.add(core("services", "Service", true, List.of("svc"), true, List.of(age)));

    types.add(core("serviceaccounts", "ServiceAccount", true, List.of("sa"), false, List.of(age)));
    types.add(
        new ResourceType(
            "coordination.k8s.io",
            "v1",
            "leases",
            "lease",
            "Lease",
            true,
            List.of(),
            List.of(),
            ResourceType.ALL_VERBS,
            false,
            List.of(column("Holder", ".spec.holderIdentity", "The holder of the lease."), age),
            null));
    types.add(
        new ResourceType(
            "apiextensions.k8s.io",
            "v1",
            "customresourcedefinitions",
            "customresourcedefinition",
            "CustomResourceDefinition",
            false,
            List.of("crd", "crds"),
            List.of("api-extensions"),
            ResourceType.ALL_VERBS,
            true,
            List.of(
                PrinterColumn.ofJsonPath(
                    "Created At", "string", "", AGE_DESCRIPTION, 0, ".metadata.creationTimestamp")),
            null));
    types.add(
        new ResourceType(
            "authorization.k8s.io",
            "v1",
            "selfsubjectrulesreviews",
            "selfsubjectrulesreview",
            "SelfSubjectRulesReview",
            false,
            List.of(),
            List.of(),
            List.of("create"),
            false,
            List.of(),
            null));
    return List.copyOf(types);
  }

  private static ResourceType core(
      String plural,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      boolean status,
      List<PrinterColumn> columns) {
    // kubectl get all: the category real clusters give their workload kinds and services.
    List<String> categories =
        plural.equals("pods") || plural.equals("services") ? List.of("all") : List.of();
    return new ResourceType(
        "",
        "v1",
        plural,
        kind.toLowerCase(java.util.Locale.ROOT),
        kind,
        namespaced,
        shortNames,
        categories,
        ResourceType.ALL_VERBS,
        status,
        columns,
        null);
  }

  private static PrinterColumn column(String name, String path, String description) {
    return PrinterColumn.ofJsonPath(name, "string", "", description, 0, path);
  }
}
