package io.homelab.operator.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One case of {@code schema/bad-manifests.yaml}: a sample changed into something the API server
 * must refuse (or, with no expected message, accept).
 */
record BadManifest(
    String name, JsonNode manifest, JsonNode old, List<String> expected, String sample) {

  private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)((?:\\[\\d+])*)");
  private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

  static List<BadManifest> load() {
    JsonNode cases;
    try (InputStream in = BadManifest.class.getResourceAsStream("/schema/bad-manifests.yaml")) {
      if (in == null) {
        throw new IllegalStateException(
            "schema/bad-manifests.yaml is missing from the test resources");
      }
      cases = Crds.YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<BadManifest> all = new ArrayList<>();
    for (JsonNode c : cases) {
      String sample = c.get("sample").asText();
      ObjectNode base = firstHomelabObject(Crds.SAMPLE_DIR.resolve(sample));
      apply(base, c.path("both"));
      ObjectNode changed = base.deepCopy();
      apply(changed, c.path("set"));
      List<String> expected = new ArrayList<>();
      c.path("expect").forEach(e -> expected.add(e.asText()));
      boolean update = c.path("update").asBoolean(false);
      all.add(
          new BadManifest(c.get("name").asText(), changed, update ? base : null, expected, sample));
    }
    return all;
  }

  private static ObjectNode firstHomelabObject(Path file) {
    return Crds.readDocuments(file).stream()
        .filter(d -> d.path("apiVersion").asText().startsWith("homelab.io/"))
        .map(d -> (ObjectNode) d.deepCopy())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(file + " holds no homelab.io object"));
  }

  private static void apply(ObjectNode target, JsonNode changes) {
    Iterator<Map.Entry<String, JsonNode>> it = changes.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> change = it.next();
      set(target, change.getKey(), change.getValue());
    }
  }

  /**
   * Sets {@code value} at a dotted path ({@code spec.disks[0].size}), creating objects on the way;
   * a null value removes the field.
   */
  static void set(ObjectNode root, String path, JsonNode value) {
    String[] segments = path.split("\\.(?![^\\[]*])");
    JsonNode node = root;
    for (int s = 0; s < segments.length; s++) {
      Matcher m = SEGMENT.matcher(segments[s]);
      if (!m.matches()) {
        throw new IllegalArgumentException("Bad path " + path);
      }
      String field = m.group(1);
      List<Integer> indexes = new ArrayList<>();
      Matcher idx = INDEX.matcher(m.group(2));
      while (idx.find()) {
        indexes.add(Integer.parseInt(idx.group(1)));
      }
      boolean last = s == segments.length - 1;
      ObjectNode object = (ObjectNode) node;
      if (last && indexes.isEmpty()) {
        if (value == null || value.isNull()) {
          object.remove(field);
        } else {
          object.set(field, value);
        }
        return;
      }
      JsonNode child = object.get(field);
      if (child == null || child.isNull()) {
        child = indexes.isEmpty() ? object.putObject(field) : object.putArray(field);
      }
      for (int i = 0; i < indexes.size(); i++) {
        ArrayNode array = (ArrayNode) child;
        int index = indexes.get(i);
        if (last && i == indexes.size() - 1) {
          array.set(index, value);
          return;
        }
        child = array.get(index);
      }
      node = child;
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
