package io.homelab.operator.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.homelab.operator.api.schema.Crds;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The JSONPath subset of printer columns, cells by column type, and ages as kubectl shows them. */
class PrinterColumnTest {

  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  static final JsonNode ROUTE =
      json(
          """
          {"metadata": {"name": "app", "creationTimestamp": "2025-06-01T11:57:30Z"},
           "spec": {"hostname": "app.example.com", "backend": {"port": 8080}},
           "status": {"addresses": ["10.0.0.5", "fd00::5"], "tunnels": 2,
             "conditions": [{"type": "Accepted", "status": "True"},
                            {"type": "Ready", "status": "False"}]}}
          """);

  @Test
  void pathsFindFieldsIndexesAndFilteredElements() {
    assertThat(find(".spec.hostname")).isEqualTo("app.example.com");
    assertThat(find(".status.conditions[?(@.type==\"Ready\")].status")).isEqualTo("False");
    assertThat(find(".status.conditions[?(@.type=='Accepted')].status")).isEqualTo("True");
    assertThat(find(".status.conditions[?(@.type!=\"Accepted\")].type")).isEqualTo("Ready");
    assertThat(find(".status.addresses[0]")).isEqualTo("10.0.0.5");
    assertThat(find(".status.addresses[-1]")).isEqualTo("fd00::5");
    assertThat(find("{.spec['hostname']}")).isEqualTo("app.example.com");
    assertThat(SimpleJsonPath.compile(".status.addresses[*]").find(ROUTE)).hasSize(2);
    assertThat(SimpleJsonPath.compile(".status.url").first(ROUTE)).isNull();
    assertThat(SimpleJsonPath.compile(".status.addresses[7]").first(ROUTE)).isNull();
    assertThat(SimpleJsonPath.compile(".spec.hostname.deeper").first(ROUTE)).isNull();
  }

  @Test
  void everyPrinterColumnOfTheProjectsCrdsCompiles() {
    Crds.byKind()
        .values()
        .forEach(
            crd ->
                crd.at("/spec/versions/0/additionalPrinterColumns")
                    .forEach(c -> SimpleJsonPath.compile(c.path("jsonPath").asText())));
  }

  @Test
  void pathsOutsideTheSubsetAreRefused() {
    assertThatThrownBy(() -> SimpleJsonPath.compile(".a[?(@.b>1)]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("== or !=");
    assertThatThrownBy(() -> SimpleJsonPath.compile("spec"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cellsFollowTheColumnType() {
    assertThat(cell("integer", ".status.tunnels").asLong()).isEqualTo(2);
    assertThat(cell("integer", ".spec.hostname").isNull()).isTrue();
    assertThat(cell("string", ".spec.backend.port").asText()).isEqualTo("8080");
    assertThat(cell("string", ".status.addresses").asText())
        .isEqualTo("[\"10.0.0.5\",\"fd00::5\"]");
    assertThat(cell("string", ".status.url").isNull()).isTrue();
    assertThat(cell("date", ".metadata.creationTimestamp").asText()).isEqualTo("2m30s");
    assertThat(cell("date", ".spec.hostname").asText()).isEqualTo("<invalid>");
  }

  @Test
  void agesAreShortenedAsKubectlShowsThem() {
    assertThat(age(Duration.ofSeconds(-5))).isEqualTo("<invalid>");
    assertThat(age(Duration.ZERO)).isEqualTo("0s");
    assertThat(age(Duration.ofSeconds(119))).isEqualTo("119s");
    assertThat(age(Duration.ofSeconds(150))).isEqualTo("2m30s");
    assertThat(age(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(age(Duration.ofMinutes(179))).isEqualTo("179m");
    assertThat(age(Duration.ofMinutes(190))).isEqualTo("3h10m");
    assertThat(age(Duration.ofHours(30))).isEqualTo("30h");
    assertThat(age(Duration.ofHours(75))).isEqualTo("3d3h");
    assertThat(age(Duration.ofDays(30))).isEqualTo("30d");
    assertThat(age(Duration.ofDays(800))).isEqualTo("2y70d");
    assertThat(age(Duration.ofDays(365 * 9))).isEqualTo("9y");
  }

  private static String find(String path) {
    return SimpleJsonPath.compile(path).first(ROUTE).asText();
  }

  private static JsonNode cell(String type, String path) {
    return PrinterColumn.ofJsonPath("C", type, "", "", 0, path).cell(ROUTE, NOW);
  }

  private static String age(Duration ago) {
    return PrinterColumn.age(NOW.minus(ago), NOW);
  }

  private static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
