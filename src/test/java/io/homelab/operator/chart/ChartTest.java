package io.homelab.operator.chart;

import static io.homelab.operator.chart.Charts.CRDS;
import static io.homelab.operator.chart.Charts.OPERATOR;
import static io.homelab.operator.chart.Charts.find;
import static io.homelab.operator.chart.Charts.ofKind;
import static io.homelab.operator.chart.Charts.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two charts, linted and rendered by the Helm library (helm-java embeds it: no binary, no
 * network): the objects they render with the default values and with every optional part on, and
 * the values their schema refuses.
 */
class ChartTest {

  static final String DEPLOYMENT = "homelab-homelab-operator";

  /** Every optional part of the operator chart on. */
  static final Map<String, Object> EVERYTHING_ON =
      Map.of(
          "replicas", 2,
          "serviceMonitor.enabled", true,
          "prometheusRule.enabled", true,
          "grafanaDashboard.enabled", true,
          "logFormat", "json",
          "watchNamespaces", List.of("homelab", "media"),
          "dryRun", true);

  @Test
  void bothChartsPassAStrictLint() {
    for (Path chart : List.of(OPERATOR, CRDS)) {
      LintResult lint = new Helm(chart).lint().strict().call();
      assertThat(lint.isFailed())
          .as("helm lint --strict %s: %s", chart, lint.getMessages())
          .isFalse();
    }
  }

  @Test
  void theDeploymentRunsLockedDownWithABoundedHeap() {
    List<JsonNode> objects = render(OPERATOR, Map.of());
    JsonNode pod = deployment(objects).path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").path(0);
    JsonNode security = container.path("securityContext");

    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText())
        .isEqualTo("RuntimeDefault");
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").isBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(security.path("capabilities").path("drop").toString()).isEqualTo("[\"ALL\"]");
    assertThat(container.path("resources").path("limits").path("memory").asText())
        .isEqualTo("512Mi");
    assertThat(env(container).get("JAVA_OPTS")).contains("-XX:MaxRAMPercentage=50");
    assertThat(container.path("volumeMounts").findValuesAsText("mountPath")).contains("/tmp");
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/q/health/ready");
    assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/q/health/live");
    assertThat(container.path("ports").path(0).path("name").asText()).isEqualTo("http");
    assertThat(container.path("ports").path(0).path("containerPort").asInt()).isEqualTo(8080);
  }

  @Test
  void theSettingsReachTheOperatorAsItsEnvironmentVariables() {
    Map<String, String> defaults =
        env(deployment(render(OPERATOR, Map.of())).at("/spec/template/spec/containers/0"));
    assertThat(defaults)
        .containsEntry("HOMELAB_OWNER_ID", "homelab")
        .containsEntry("HOMELAB_POLL_PROXMOX", "30s")
        .containsEntry("HOMELAB_POLL_GUEST_CONFIG", "10m")
        .containsEntry("HOMELAB_POLL_NPM", "60s")
        .containsEntry("HOMELAB_POLL_CLOUDFLARE", "5m")
        .containsEntry("HOMELAB_POLL_CADDY", "60s")
        .containsEntry("HOMELAB_POLL_WIREGUARD", "30s")
        .containsEntry("HOMELAB_DRY_RUN", "false")
        .containsEntry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false")
        .doesNotContainKey("HOMELAB_WATCHED_NAMESPACES");

    Map<String, Object> values = new HashMap<>(EVERYTHING_ON);
    values.put("ownerId", "lab-2");
    values.put("poll.npm", "15s");
    Map<String, String> set =
        env(deployment(render(OPERATOR, values)).at("/spec/template/spec/containers/0"));
    assertThat(set)
        .containsEntry("HOMELAB_OWNER_ID", "lab-2")
        .containsEntry("HOMELAB_POLL_NPM", "15s")
        .containsEntry("HOMELAB_WATCHED_NAMESPACES", "homelab,media")
        .containsEntry("HOMELAB_DRY_RUN", "true")
        .containsEntry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true");
  }

  @Test
  void theOptionalPartsAreRenderedOnlyWhenAskedFor() throws IOException {
    List<JsonNode> defaults = render(OPERATOR, Map.of());
    assertThat(ofKind(defaults, "ServiceMonitor")).isEmpty();
    assertThat(ofKind(defaults, "PrometheusRule")).isEmpty();
    assertThat(ofKind(defaults, "PodDisruptionBudget")).isEmpty();
    assertThat(ofKind(defaults, "ConfigMap")).isEmpty();
    assertThat(ofKind(defaults, "Service")).hasSize(1);

    List<JsonNode> all = render(OPERATOR, EVERYTHING_ON);
    assertThat(deployment(all).at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(ofKind(all, "PodDisruptionBudget")).hasSize(1);
    JsonNode monitor = ofKind(all, "ServiceMonitor").get(0);
    assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
    assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
    JsonNode service = ofKind(all, "Service").get(0);
    assertThat(service.at("/spec/ports/0/name").asText()).isEqualTo("http");
    assertThat(monitor.at("/spec/selector/matchLabels")).allSatisfy(v -> assertThat(v).isNotNull());
    monitor
        .at("/spec/selector/matchLabels")
        .fields()
        .forEachRemaining(
            e ->
                assertThat(service.path("metadata").path("labels").path(e.getKey()).asText())
                    .as("the Service's label %s", e.getKey())
                    .isEqualTo(e.getValue().asText()));

    JsonNode rule = ofKind(all, "PrometheusRule").get(0);
    assertThat(rule.at("/spec/groups").isArray()).isTrue();
    assertThat(rule.at("/spec/groups").size()).isPositive();

    JsonNode dashboards = ofKind(all, "ConfigMap").get(0);
    assertThat(dashboards.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    List<Path> files;
    try (Stream<Path> s = Files.list(OPERATOR.resolve("files/dashboards"))) {
      files = s.filter(p -> p.toString().endsWith(".json")).toList();
    }
    assertThat(files).isNotEmpty();
    ObjectMapper json = new ObjectMapper();
    for (Path file : files) {
      String name = file.getFileName().toString();
      JsonNode dashboard = json.readTree(dashboards.path("data").path(name).asText());
      assertThat(dashboard.path("title").isTextual()).as("%s has a title", name).isTrue();
    }
  }

  @Test
  void leaderElectionHasItsLeaseAndTwoReplicasHaveADisruptionBudget() {
    List<JsonNode> objects = render(OPERATOR, Map.of("replicas", 2));
    JsonNode role = find(objects, "Role", "homelab-homelab-operator-leader-election").orElseThrow();
    assertThat(role.at("/metadata/namespace").asText()).isEqualTo(Charts.NAMESPACE);
    assertThat(Rbac.granted(List.of(role)))
        .containsExactlyInAnyOrder(
            "coordination.k8s.io/leases get",
            "coordination.k8s.io/leases create",
            "coordination.k8s.io/leases patch");
    JsonNode pdb = ofKind(objects, "PodDisruptionBudget").get(0);
    assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
    assertThat(pdb.at("/spec/selector/matchLabels"))
        .isEqualTo(deployment(objects).at("/spec/selector/matchLabels"));
  }

  @Test
  void rbacHasNoWildcardAndIsARolePerWatchedNamespaceWhenThereAreSome() {
    List<JsonNode> cluster = render(OPERATOR, Map.of());
    List<JsonNode> scoped =
        render(OPERATOR, Map.of("watchNamespaces", List.of("homelab", "media")));
    for (List<JsonNode> objects : List.of(cluster, scoped)) {
      assertThat(Rbac.granted(objects)).noneMatch(r -> r.contains("*"));
    }
    assertThat(Rbac.granted(cluster)).isEqualTo(Rbac.granted(scoped));
    assertThat(find(scoped, "ClusterRole", "homelab-homelab-operator")).isEmpty();
    assertThat(
            ofKind(scoped, "Role").stream()
                .filter(r -> r.at("/metadata/name").asText().equals("homelab-homelab-operator"))
                .map(r -> r.at("/metadata/namespace").asText()))
        .containsExactlyInAnyOrder("homelab", "media");
    assertThat(
            ofKind(scoped, "RoleBinding").stream()
                .map(b -> b.at("/subjects/0/namespace").asText())
                .distinct())
        .containsExactly(Charts.NAMESPACE);
  }

  @ParameterizedTest(name = "{0}={1} is refused")
  @CsvSource({
    "ownerId, Not_Valid",
    "ownerId, ''",
    "ownerId, a-name-that-is-much-longer-than-32-chars",
    "logFormat, xml",
    "poll.npm, soon",
    "poll.caddy, 0s",
    "replicas, 0",
    "watchNamespaces, Bad_NS",
    "jvm.maxRamPercentage, 95",
    "unknownSetting, 1",
  })
  void badValuesFailAtInstall(String key, String value) {
    // Numbers as numbers and the namespace as a list: each value has the right type, and the
    // schema must refuse it for what it is.
    Object typed =
        value.matches("-?[0-9]+")
            ? (Object) Integer.valueOf(value)
            : key.equals("watchNamespaces") ? List.of(value) : value;
    Map<String, Object> values = Map.of(key, typed);
    assertThatThrownBy(() -> render(OPERATOR, values))
        .hasMessageContaining("values don't meet the specifications of the schema");
  }

  @Test
  void theCrdChartInstallsTheGeneratedCrdsAsTemplatesAndKeepsThem() throws IOException {
    List<JsonNode> crds = render(CRDS, Map.of());
    assertThat(crds)
        .hasSize(4)
        .allMatch(c -> c.path("kind").asText().equals("CustomResourceDefinition"));
    for (JsonNode crd : crds) {
      String name = crd.at("/metadata/name").asText();
      JsonNode generated = Charts.parse(Files.readString(Path.of("crds", name + "-v1.yml"))).get(0);
      assertThat(crd.path("spec").equals(Charts.NUMERIC, generated.path("spec")))
          .as("spec of %s is that of crds/", name)
          .isTrue();
      assertThat(crd.at("/metadata/annotations/helm.sh~1resource-policy").asText())
          .isEqualTo("keep");
    }
    assertThat(render(CRDS, Map.of("keep", false)))
        .allMatch(c -> c.at("/metadata/annotations/helm.sh~1resource-policy").isMissingNode());
  }

  @Test
  void theChartsCopiesOfTheCrdsAreTheGeneratedOnes() throws IOException {
    List<Path> generated;
    try (Stream<Path> s = Files.list(Path.of("crds"))) {
      generated = s.sorted().toList();
    }
    assertThat(generated).hasSize(4);
    for (Path copies : List.of(OPERATOR.resolve("crds"), CRDS.resolve("files"))) {
      try (Stream<Path> s = Files.list(copies)) {
        assertThat(s.map(p -> p.getFileName().toString()).sorted())
            .as("the files of %s", copies)
            .containsExactlyElementsOf(
                generated.stream().map(p -> p.getFileName().toString()).toList());
      }
      for (Path crd : generated) {
        assertThat(Files.readString(copies.resolve(crd.getFileName())))
            .as(
                "%s differs from crds/: run cp crds/*.yml %s/",
                copies.resolve(crd.getFileName()), copies)
            .isEqualTo(Files.readString(crd));
      }
    }
  }

  static JsonNode deployment(List<JsonNode> objects) {
    return find(objects, "Deployment", DEPLOYMENT).orElseThrow();
  }

  static Map<String, String> env(JsonNode container) {
    Map<String, String> env = new HashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    return env;
  }
}
