package io.homelab.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Argo CD health checks of {@code argocd/argocd-cm-values.yaml}, run by Lua 5.1 (Debian's
 * {@code lua5.1}; Argo CD's interpreter is compatible with it) the way Argo CD runs them: the
 * object as the global {@code obj}, the script returning {@code {status, message}}.
 */
class ArgoHealthTest {

  static final Path SNIPPET = Path.of("argocd", "argocd-cm-values.yaml");
  static final Path SCRIPT = Path.of("argocd", "health.lua");
  static final List<String> KINDS = List.of("Edge", "Tunnel", "Route", "Guest");
  static final ObjectMapper JSON = new ObjectMapper();

  static Map<String, String> scripts;

  @BeforeAll
  static void read() throws IOException {
    JsonNode cm = new ObjectMapper(new YAMLFactory()).readTree(SNIPPET.toFile()).at("/configs/cm");
    scripts = new java.util.TreeMap<>();
    cm.fields().forEachRemaining(e -> scripts.put(e.getKey(), e.getValue().asText()));
  }

  @Test
  void theSnippetHasOneCheckPerKindAndEachIsHealthLua() throws IOException {
    assertThat(scripts.keySet())
        .containsExactlyInAnyOrderElementsOf(
            KINDS.stream().map(k -> "resource.customizations.health.homelab.io_" + k).toList());
    String source = Files.readString(SCRIPT);
    scripts.forEach(
        (key, script) ->
            assertThat(script)
                .as(
                    "%s in %s is %s (update the snippet after changing the script)",
                    key, SNIPPET, SCRIPT)
                .isEqualTo(source));
  }

  static Stream<Arguments> states() {
    return Stream.of(
        Arguments.of(
            "not yet seen by the operator", "{}", "Progressing", "Waiting for the operator"),
        Arguments.of(
            "an older generation observed",
            status(1, cond("Ready", "True", "Ready", 1)),
            "Progressing",
            "generation 2"),
        Arguments.of(
            "Ready for the current generation",
            status(2, cond("Accepted", "True", "Accepted", 2), cond("Ready", "True", "Ready", 2)),
            "Healthy",
            "All of"),
        Arguments.of(
            "Ready of an older generation",
            status(2, cond("Ready", "True", "Ready", 1)),
            "Progressing",
            "Ready condition"),
        Arguments.of(
            "a conflict",
            status(2, cond("Ready", "False", "Conflict", 2)),
            "Degraded",
            "Conflict: "),
        Arguments.of(
            "a system down",
            status(2, cond("Ready", "False", "ProxmoxUnavailable", 2)),
            "Degraded",
            "ProxmoxUnavailable"),
        Arguments.of(
            "a clone running",
            status(2, cond("Ready", "False", "Provisioning", 2)),
            "Progressing",
            "Provisioning"),
        Arguments.of(
            "waiting for home's new key",
            status(2, cond("Ready", "False", "AwaitingHomeConfig", 2)),
            "Progressing",
            "AwaitingHomeConfig"),
        Arguments.of(
            "a part not evaluated yet",
            status(2, cond("Ready", "Unknown", "Pending", 2)),
            "Progressing",
            "Pending"),
        Arguments.of(
            "paused by the operator (dry-run)",
            status(2, cond("Paused", "True", "DryRun", 2), cond("Ready", "False", "Conflict", 2)),
            "Suspended",
            "DryRun"),
        Arguments.of(
            "paused by annotation, not yet reported",
            "{\"metadata\":{\"annotations\":{\"homelab.io/paused\":\"true\"}}}",
            "Suspended",
            "homelab.io/paused"),
        Arguments.of(
            "being deleted",
            "{\"metadata\":{\"deletionTimestamp\":\"2026-01-01T00:00:00Z\"}}",
            "Progressing",
            "deleted"));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("states")
  void eachStateHasItsHealth(String state, String object, String health, String message)
      throws Exception {
    for (String kind : KINDS) {
      ObjectNode obj = (ObjectNode) JSON.readTree(object);
      obj.put("apiVersion", "homelab.io/v1alpha1").put("kind", kind);
      ObjectNode meta =
          obj.has("metadata") ? (ObjectNode) obj.get("metadata") : obj.putObject("metadata");
      meta.put("name", "x").put("namespace", "homelab");
      if (!meta.has("generation")) {
        meta.put("generation", 2);
      }
      String[] result = run(scripts.get("resource.customizations.health.homelab.io_" + kind), obj);
      assertThat(result[0])
          .as("%s %s: status (message %s)", kind, state, result[1])
          .isEqualTo(health);
      assertThat(result[1]).as("%s %s: message", kind, state).contains(message);
    }
  }

  static String status(int observedGeneration, String... conditions) {
    return "{\"status\":{\"observedGeneration\":"
        + observedGeneration
        + ",\"conditions\":["
        + String.join(",", conditions)
        + "]}}";
  }

  static String cond(String type, String status, String reason, int observedGeneration) {
    return "{\"type\":\""
        + type
        + "\",\"status\":\""
        + status
        + "\",\"reason\":\""
        + reason
        + "\",\"message\":\""
        + (type.equals("Ready") && status.equals("True") ? "All of [Accepted] are True" : reason)
        + "\",\"observedGeneration\":"
        + observedGeneration
        + ",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}";
  }

  /** Runs one health script on one object; returns its status and message. */
  static String[] run(String script, JsonNode obj) throws Exception {
    Path dir = Files.createTempDirectory("argo-health");
    try {
      Path health = Files.writeString(dir.resolve("health.lua"), script);
      Path main =
          Files.writeString(
              dir.resolve("main.lua"),
              "obj = "
                  + lua(obj)
                  + "\nlocal hs = dofile(\""
                  + health.toString().replace("\\", "\\\\")
                  + "\")\nio.write(hs.status, \"\\n\", hs.message or \"\")\n");
      Process p;
      try {
        p = new ProcessBuilder("lua5.1", main.toString()).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new AssertionError(
            "lua5.1 is not installed (Debian package lua5.1, in src/test/setup/system-packages.list;"
                + " the build installs it as root)",
            e);
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("lua5.1 exit, output: %s", out).isZero();
      String[] lines = out.split("\n", 2);
      return new String[] {lines[0], lines.length > 1 ? lines[1] : ""};
    } finally {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }

  /** A JSON tree as a Lua table constructor: objects keyed by string, arrays from 1. */
  static String lua(JsonNode node) {
    if (node.isObject()) {
      StringBuilder b = new StringBuilder("{");
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull()) {
          b.append('[')
              .append(luaString(e.getKey()))
              .append("]=")
              .append(lua(e.getValue()))
              .append(',');
        }
      }
      return b.append('}').toString();
    }
    if (node.isArray()) {
      StringBuilder b = new StringBuilder("{");
      node.forEach(v -> b.append(lua(v)).append(','));
      return b.append('}').toString();
    }
    if (node.isTextual()) {
      return luaString(node.asText());
    }
    return node.isNull() ? "nil" : node.toString();
  }

  static String luaString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
