package io.homelab.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.homelab.operator.api.schema.Crds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a person sees of the CRDs: names, columns, documentation, and bounds that CEL needs. */
class CrdStructureTest {

  static final Map<String, JsonNode> CRDS = Crds.byKind();

  @Test
  void theFourKindsAreNamespacedInTheHomelabCategoryWithTheirShortNames() {
    assertThat(CRDS).containsOnlyKeys("Edge", "Tunnel", "Route", "Guest");
    Map<String, String> shortNames =
        Map.of("Edge", "edge", "Tunnel", "tun", "Route", "rt", "Guest", "guest");
    CRDS.forEach(
        (kind, crd) -> {
          assertThat(crd.at("/spec/group").asText()).isEqualTo("homelab.io");
          assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
          assertThat(crd.at("/spec/versions/0/name").asText()).isEqualTo("v1alpha1");
          assertThat(crd.at("/spec/versions/0/subresources/status").isObject()).isTrue();
          assertThat(texts(crd.at("/spec/names/shortNames"))).containsExactly(shortNames.get(kind));
          assertThat(texts(crd.at("/spec/names/categories"))).containsExactly("homelab");
        });
  }

  @Test
  void printerColumnsShowReadyFirstTheKeyFieldsThenAge() {
    Map<String, List<String>> expected =
        Map.of(
            "Edge", List.of("Ready", "Public-Address", "Tunnels", "Routes", "Age"),
            "Tunnel", List.of("Ready", "Edge", "Address", "Last-Handshake", "Age"),
            "Route", List.of("Ready", "Hostname", "URL", "Age"),
            "Guest", List.of("Ready", "Type", "Node", "VMID", "State", "IP", "Age"));
    CRDS.forEach(
        (kind, crd) -> {
          List<String> columns = new ArrayList<>();
          crd.at("/spec/versions/0/additionalPrinterColumns")
              .forEach(c -> columns.add(c.get("name").asText()));
          assertThat(columns).as(kind).isEqualTo(expected.get(kind));
          JsonNode ready = crd.at("/spec/versions/0/additionalPrinterColumns/0/jsonPath");
          assertThat(ready.asText()).isEqualTo(".status.conditions[?(@.type==\"Ready\")].status");
        });
  }

  @Test
  void everyPropertyIsDescribed() {
    List<String> undocumented = new ArrayList<>();
    CRDS.forEach(
        (kind, crd) -> {
          JsonNode root = Crds.schemaOf(crd);
          if (root.path("description").asText().isBlank()) {
            undocumented.add(kind);
          }
          walk(
              root,
              kind,
              (path, prop) -> {
                if (prop.path("description").asText().isBlank()) {
                  undocumented.add(path);
                }
              });
        });
    assertThat(undocumented).as("properties without a description").isEmpty();
  }

  @Test
  void whatCelReadsIsBounded() {
    // The API server estimates each rule's cost from maxLength, maxItems and maxProperties and
    // refuses a CRD whose rules could cost too much: everything a rule can reach must be bounded.
    List<String> unbounded = new ArrayList<>();
    CRDS.forEach(
        (kind, crd) ->
            walk(
                Crds.schemaOf(crd),
                kind,
                (path, prop) -> {
                  if (prop.has("x-kubernetes-validations")) {
                    collectUnbounded(prop, path, unbounded);
                  }
                }));
    assertThat(unbounded).as("strings, lists and maps a CEL rule reads without a bound").isEmpty();
  }

  @Test
  void conditionsAreAListKeyedByType() {
    CRDS.forEach(
        (kind, crd) -> {
          JsonNode conditions = Crds.schemaOf(crd).at("/properties/status/properties/conditions");
          assertThat(conditions.path("x-kubernetes-list-type").asText()).as(kind).isEqualTo("map");
          assertThat(texts(conditions.path("x-kubernetes-list-map-keys"))).containsExactly("type");
        });
  }

  private static void collectUnbounded(JsonNode schema, String path, List<String> out) {
    String type = schema.path("type").asText();
    if (type.equals("string") && !schema.has("maxLength") && !schema.has("enum")) {
      out.add(path);
    } else if (type.equals("array") && !schema.has("maxItems")) {
      out.add(path);
    } else if (type.equals("object")
        && schema.has("additionalProperties")
        && !schema.has("maxProperties")) {
      out.add(path);
    }
    schema
        .path("properties")
        .fields()
        .forEachRemaining(p -> collectUnbounded(p.getValue(), path + "." + p.getKey(), out));
    if (schema.has("items")) {
      collectUnbounded(schema.get("items"), path + "[]", out);
    }
    if (schema.path("additionalProperties").isObject()) {
      collectUnbounded(schema.get("additionalProperties"), path + "{}", out);
    }
  }

  interface PropertyVisitor {
    void visit(String path, JsonNode property);
  }

  /** Visits every named property under {@code schema}, through objects and list items. */
  static void walk(JsonNode schema, String path, PropertyVisitor visitor) {
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            p -> {
              String child = path + "." + p.getKey();
              visitor.visit(child, p.getValue());
              walk(p.getValue(), child, visitor);
            });
    if (schema.has("items")) {
      walk(schema.get("items"), path + "[]", visitor);
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }
}
