package io.homelab.operator.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The project's Helm charts, rendered with the Helm library that helm-java embeds (no helm binary,
 * no network), and the rendered objects read back as JSON trees.
 */
public final class Charts {

  public static final Path OPERATOR = Path.of("helm", "homelab-operator");
  public static final Path CRDS = Path.of("helm", "homelab-operator-crds");
  public static final String RELEASE = "homelab";
  public static final String NAMESPACE = "homelab-system";

  /** The Kubernetes version rendered for (the charts need 1.25 or later). */
  public static final String KUBE_VERSION = "v1.32.0";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Compares JSON trees with numbers by value: Helm writes 86400.0 back as 86400. */
  public static final Comparator<JsonNode> NUMERIC =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  private Charts() {}

  /**
   * {@code helm template} of a chart with these values (keys with dots name nested values: {@code
   * poll.npm}), given as a values file so that lists and numbers keep their types; the objects it
   * renders.
   */
  public static List<JsonNode> render(Path chart, Map<String, ?> values) {
    Map<String, Object> nested = new LinkedHashMap<>();
    values.forEach((key, value) -> put(nested, key.split("\\."), value));
    try {
      Path file = Files.createTempFile("values-", ".yaml");
      try {
        YAML.writeValue(file.toFile(), nested);
        TemplateCommand template =
            new Helm(chart)
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION)
                .withValuesFile(file);
        return parse(template.call());
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> into, String[] path, Object value) {
    Map<String, Object> at = into;
    for (int i = 0; i < path.length - 1; i++) {
      at = (Map<String, Object>) at.computeIfAbsent(path[i], k -> new LinkedHashMap<>());
    }
    at.put(path[path.length - 1], value);
  }

  /** The documents of a multi-document YAML text, empty ones left out. */
  public static List<JsonNode> parse(String yaml) {
    List<JsonNode> objects = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(yaml)) {
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode() && doc.size() > 0) {
          objects.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("helm rendered YAML that does not parse:\n" + yaml, e);
    }
    return objects;
  }

  public static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  public static Optional<JsonNode> find(List<JsonNode> objects, String kind, String name) {
    return ofKind(objects, kind).stream()
        .filter(o -> name.equals(o.path("metadata").path("name").asText()))
        .findFirst();
  }
}
