package io.homelab.operator.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-side printing: a {@code meta.k8s.io/v1} Table of a list or a single object, as kubectl
 * asks for with {@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}. The columns are Name
 * and then the kind's own (a CRD's {@code additionalPrinterColumns}); each row carries the object
 * as {@code includeObject} asks: {@code Metadata} (the default, a PartialObjectMetadata), {@code
 * Object} (the whole object) or {@code None}.
 */
final class Tables {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Tables() {}

  /** Whether an Accept header asks for a Table. */
  static boolean wanted(String accept) {
    if (accept == null) {
      return false;
    }
    for (String option : accept.split(",")) {
      String normalized = option.replace(" ", "");
      if (normalized.contains(";as=Table")
          && normalized.contains(";g=meta.k8s.io")
          && (normalized.contains(";v=v1;") || normalized.endsWith(";v=v1"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A Table of {@code response}, a list (with {@code items}) or a single object of {@code type}.
   */
  static ObjectNode of(ResourceType type, JsonNode response, String includeObject, Instant now) {
    List<JsonNode> objects = new ArrayList<>();
    String resourceVersion;
    if (response.has("items")) {
      response.path("items").forEach(objects::add);
      resourceVersion = response.path("metadata").path("resourceVersion").asText("");
    } else {
      objects.add(response);
      resourceVersion = response.path("metadata").path("resourceVersion").asText("");
    }
    List<PrinterColumn> columns = new ArrayList<>();
    columns.add(ResourceTypes.name());
    columns.addAll(type.columns());

    ObjectNode table = NODES.objectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    table.putObject("metadata").put("resourceVersion", resourceVersion);
    ArrayNode definitions = table.putArray("columnDefinitions");
    for (PrinterColumn column : columns) {
      definitions
          .addObject()
          .put("name", column.name())
          .put("type", column.type())
          .put("format", column.format())
          .put("description", column.description())
          .put("priority", column.priority());
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      columns.forEach(c -> cells.add(c.cell(object, now)));
      switch (includeObject == null ? "Metadata" : includeObject) {
        case "None":
          break;
        case "Object":
          row.set("object", object);
          break;
        default:
          ObjectNode partial =
              row.putObject("object")
                  .put("kind", "PartialObjectMetadata")
                  .put("apiVersion", "meta.k8s.io/v1");
          partial.set("metadata", object.path("metadata").deepCopy());
      }
    }
    return table;
  }
}
