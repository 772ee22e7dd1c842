package io.homelab.operator.sandbox.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The facts of the Proxmox VE API schema the simulator holds requests to: for each operation its
 * path, parameters, their types, bounds and enums, and which are required. Loaded from the
 * facts-only extract of the official schema ({@code sandbox/proxmox/pve-api-facts.json}).
 */
final class ApiFacts {

  static final String RESOURCE = "/sandbox/proxmox/pve-api-facts.json";

  /** One operation: {@code METHOD path} with its path template as a pattern. */
  record Operation(String method, String template, Pattern path, List<String> pathParams) {}

  /** A matched operation and the values of its path parameters. */
  record Match(Operation operation, Map<String, String> pathValues) {}

  private final Map<String, JsonNode> parameters = new LinkedHashMap<>();
  private final List<Operation> operations = new ArrayList<>();

  static ApiFacts load() {
    try (InputStream in = ApiFacts.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return new ApiFacts(new ObjectMapper().readTree(in).get("operations"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ApiFacts(JsonNode root) {
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    Pattern param = Pattern.compile("\\{([^}]+)}");
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String[] parts = e.getKey().split(" ", 2);
      List<String> names = new ArrayList<>();
      Matcher m = param.matcher(parts[1]);
      StringBuilder regex = new StringBuilder();
      int last = 0;
      while (m.find()) {
        regex.append(Pattern.quote(parts[1].substring(last, m.start()))).append("([^/]+)");
        names.add(m.group(1));
        last = m.end();
      }
      regex.append(Pattern.quote(parts[1].substring(last)));
      operations.add(new Operation(parts[0], parts[1], Pattern.compile(regex.toString()), names));
      parameters.put(e.getKey(), e.getValue().get("parameters"));
    }
  }

  Optional<Match> match(String method, String path) {
    for (Operation op : operations) {
      if (!op.method().equals(method)) {
        continue;
      }
      Matcher m = op.path().matcher(path);
      if (m.matches()) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < op.pathParams().size(); i++) {
          values.put(op.pathParams().get(i), m.group(i + 1));
        }
        return Optional.of(new Match(op, values));
      }
    }
    return Optional.empty();
  }

  /**
   * What is wrong with the parameters of a request, by parameter, as Proxmox words it; empty when
   * they verify.
   */
  Map<String, String> verify(Match match, Map<String, String> params) {
    JsonNode schema =
        parameters.get(match.operation().method() + " " + match.operation().template());
    Map<String, String> all = new LinkedHashMap<>(params);
    all.putAll(match.pathValues());
    Map<String, String> errors = new TreeMap<>();
    for (Map.Entry<String, String> e : all.entrySet()) {
      JsonNode facts = factsOf(schema, e.getKey());
      if (facts == null) {
        errors.put(
            e.getKey(),
            "property is not defined in schema and the schema does not allow additional"
                + " properties");
      } else {
        check(facts, e.getValue()).ifPresent(problem -> errors.put(e.getKey(), problem));
      }
    }
    schema
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().path("optional").asBoolean(false)
                  && !e.getKey().contains("[n]")
                  && !all.containsKey(e.getKey())) {
                errors.put(e.getKey(), "property is missing and it is not optional");
              }
            });
    return errors;
  }

  private static JsonNode factsOf(JsonNode schema, String name) {
    if (schema.has(name)) {
      return schema.get(name);
    }
    Matcher indexed = Pattern.compile("([a-z]+)(\\d+)").matcher(name);
    return indexed.matches() ? schema.get(indexed.group(1) + "[n]") : null;
  }

  private static Optional<String> check(JsonNode facts, String value) {
    String type = facts.path("type").asText("string");
    switch (type) {
      case "integer" -> {
        if (!value.matches("-?\\d+")) {
          return Optional.of("type check ('integer') failed - got '" + value + "'");
        }
        long n = Long.parseLong(value);
        if (facts.has("minimum") && n < facts.get("minimum").asLong()) {
          return Optional.of("value must have a minimum value of " + facts.get("minimum"));
        }
        if (facts.has("maximum") && n > facts.get("maximum").asLong()) {
          return Optional.of("value must have a maximum value of " + facts.get("maximum"));
        }
      }
      case "number" -> {
        if (!value.matches("-?\\d+(\\.\\d+)?")) {
          return Optional.of("type check ('number') failed - got '" + value + "'");
        }
      }
      case "boolean" -> {
        if (!value.matches("(?i)0|1|true|false|yes|no|on|off")) {
          return Optional.of("type check ('boolean') failed - got '" + value + "'");
        }
      }
      default -> {
        if (facts.has("maxLength") && value.length() > facts.get("maxLength").asInt()) {
          return Optional.of("value may only be " + facts.get("maxLength") + " characters long");
        }
        if (facts.has("pattern") && !value.matches(facts.get("pattern").asText())) {
          return Optional.of("value does not match the regex pattern");
        }
      }
    }
    if (facts.has("enum")) {
      List<String> allowed = new ArrayList<>();
      facts.get("enum").forEach(v -> allowed.add(v.asText()));
      if (!allowed.contains(value)) {
        return Optional.of("value '" + value + "' does not have a value in the enumeration");
      }
    }
    return Optional.empty();
  }
}
