package io.homelab.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.schema.Crds;
import io.homelab.operator.api.tunnel.Tunnel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The defaults in the CRDs and the defaults the code applies agree. The API server applies the
 * schema's defaults; the mock API server of the tests applies none, so the API classes carry the
 * same values as field initialisers. Both directions are checked: every schema default is what the
 * class yields for an absent field, and every value the class yields for an absent field is a
 * schema default.
 */
class DefaultsAgreementTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Map<String, Class<?>> KINDS =
      Map.of(
          "Edge", Edge.class, "Tunnel", Tunnel.class, "Route", Route.class, "Guest", Guest.class);

  @Test
  void everySchemaDefaultIsTheCodeDefault() {
    List<String> disagreements = new ArrayList<>();
    Crds.byKind()
        .forEach(
            (kind, crd) -> {
              Map<String, JsonNode> defaults = new LinkedHashMap<>();
              collectDefaults(Crds.schemaOf(crd).path("properties").path("spec"), "spec", defaults);
              assertThat(defaults).as(kind + " has defaults").isNotEmpty();
              defaults.forEach(
                  (path, expected) -> {
                    JsonNode actual = roundTrip(kind, parents(path)).at(pointer(path));
                    if (!sameValue(expected, actual)) {
                      disagreements.add(
                          kind + " " + path + ": CRD says " + expected + ", code gives " + actual);
                    }
                  });
            });
    assertThat(disagreements).isEmpty();
  }

  @Test
  void everyCodeDefaultIsInTheSchema() {
    List<String> undeclared = new ArrayList<>();
    Crds.byKind()
        .forEach(
            (kind, crd) -> {
              JsonNode specSchema = Crds.schemaOf(crd).path("properties").path("spec");
              ObjectNode skeleton = JSON.createObjectNode();
              skeleton.set("spec", emptyObjects(specSchema));
              JsonNode spec = roundTrip(kind, skeleton).get("spec");
              collectScalars(spec, "spec", specSchema, undeclared, kind);
            });
    assertThat(undeclared).as("values the code sets that the CRD does not default").isEmpty();
  }

  private static JsonNode roundTrip(String kind, ObjectNode object) {
    object.put("apiVersion", "homelab.io/v1alpha1").put("kind", kind);
    Object resource = JSON.convertValue(object, KINDS.get(kind));
    return JSON.valueToTree(resource);
  }

  /** Properties with a default, reached through objects only; a default inside a list fails. */
  private static void collectDefaults(JsonNode schema, String path, Map<String, JsonNode> out) {
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            p -> {
              String child = path + "." + p.getKey();
              if (p.getValue().has("default")) {
                out.put(child, p.getValue().get("default"));
              }
              collectDefaults(p.getValue(), child, out);
            });
    if (schema.has("items")) {
      Map<String, JsonNode> inItems = new LinkedHashMap<>();
      collectDefaults(schema.get("items"), path + "[]", inItems);
      assertThat(inItems).as("defaults inside lists are not covered by this test").isEmpty();
    }
  }

  /** An object holding empty objects along {@code path}'s parents, so its last field is absent. */
  private static ObjectNode parents(String path) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode node = root;
    String[] names = path.split("\\.");
    for (int i = 0; i < names.length - 1; i++) {
      node = node.putObject(names[i]);
    }
    return root;
  }

  /** Every object-typed property present as an empty object, recursively; nothing else set. */
  private static ObjectNode emptyObjects(JsonNode schema) {
    ObjectNode object = JSON.createObjectNode();
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            p -> {
              if (p.getValue().path("type").asText().equals("object")
                  && p.getValue().has("properties")) {
                object.set(p.getKey(), emptyObjects(p.getValue()));
              }
            });
    return object;
  }

  private static void collectScalars(
      JsonNode value, String path, JsonNode schema, List<String> out, String kind) {
    if (value.isObject()) {
      value
          .fields()
          .forEachRemaining(
              f ->
                  collectScalars(
                      f.getValue(),
                      path + "." + f.getKey(),
                      schema.path("properties").path(f.getKey()),
                      out,
                      kind));
    } else if (!value.isNull() && !schema.has("default")) {
      out.add(kind + " " + path + " = " + value);
    }
  }

  private static String pointer(String path) {
    return "/" + path.replace('.', '/');
  }

  private static boolean sameValue(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }
}
