package io.homelab.operator.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The committed CRDs of {@code crds/}, and YAML documents read the way kubectl reads them. */
public final class Crds {

  public static final Path CRD_DIR = Path.of("crds");
  public static final Path SAMPLE_DIR = Path.of("k8s-samples");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  private Crds() {}

  /** Every CRD in {@code crds/}, by kind. */
  public static Map<String, JsonNode> byKind() {
    Map<String, JsonNode> crds = new LinkedHashMap<>();
    for (Path file : files(CRD_DIR, ".yml")) {
      JsonNode crd = readDocuments(file).get(0);
      crds.put(crd.at("/spec/names/kind").asText(), crd);
    }
    if (crds.isEmpty()) {
      throw new IllegalStateException("No CRDs found in " + CRD_DIR.toAbsolutePath());
    }
    return crds;
  }

  /** The openAPIV3Schema of the single served version of a CRD. */
  public static JsonNode schemaOf(JsonNode crd) {
    return crd.at("/spec/versions/0/schema/openAPIV3Schema");
  }

  /** Files of a folder with the given suffix, sorted by name; fails when the folder is missing. */
  public static List<Path> files(Path dir, String suffix) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "Folder " + dir.toAbsolutePath() + " is missing: run the tests from the project root");
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** All YAML documents of a file (empty documents skipped). */
  public static List<JsonNode> readDocuments(Path file) {
    try {
      List<JsonNode> docs = new ArrayList<>();
      try (var parser = YAML.getFactory().createParser(file.toFile())) {
        var it = YAML.readValues(parser, JsonNode.class);
        while (it.hasNext()) {
          JsonNode doc = it.next();
          if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
            docs.add(doc);
          }
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  /** Every homelab.io object among the samples, with the file it came from. */
  public static Map<String, ObjectNode> homelabSamples() {
    Map<String, ObjectNode> samples = new LinkedHashMap<>();
    for (Path file : files(SAMPLE_DIR, ".yaml")) {
      for (JsonNode doc : readDocuments(file)) {
        if (doc.path("apiVersion").asText().startsWith("homelab.io/")) {
          samples.put(
              file.getFileName() + "#" + doc.at("/metadata/name").asText(), (ObjectNode) doc);
        }
      }
    }
    return samples;
  }
}
