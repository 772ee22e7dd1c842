package io.homelab.operator.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The facts-only extract of an API contract a simulator is held to (paths, parameters, types,
 * required fields, enums), read from the classpath, and a check of a JSON value against one of its
 * schemas. The check knows the JSON Schema keywords the extracts use: type, enum, required,
 * properties, additionalProperties, items, anyOf/oneOf, minimum/maximum, minLength/maxLength,
 * pattern, minItems/maxItems, uniqueItems, minProperties and the formats ipv4 and ipv6.
 */
public final class ContractFacts {

  private final JsonNode root;

  private ContractFacts(JsonNode root) {
    this.root = root;
  }

  /** Loads an extract from the classpath, e.g. {@code sandbox/npm/npm-api-facts.json}. */
  public static ContractFacts load(String resource) {
    try (InputStream in = ContractFacts.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("contract extract missing from the classpath: " + resource);
      }
      return new ContractFacts(SimulatorServer.JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The node at a JSON pointer, e.g. {@code /operations/POST ~1tokens/requestBody}. */
  public JsonNode at(String pointer) {
    JsonNode node = root.at(pointer);
    if (node.isMissingNode()) {
      throw new IllegalStateException("contract extract has nothing at " + pointer);
    }
    return node;
  }

  /** The operation {@code "METHOD /path"} of the extract. */
  public JsonNode operation(String methodAndPath) {
    return at("/operations/" + methodAndPath.replace("~", "~0").replace("/", "~1"));
  }

  /**
   * What is wrong with the query parameters of a request to {@code operation}, each read as its
   * schema's type; parameters the contract does not name are ignored, as the real APIs do.
   */
  public List<String> queryViolations(String operation, Map<String, String> query) {
    List<String> out = new ArrayList<>();
    for (JsonNode parameter : operation(operation).path("parameters")) {
      if (!parameter.path("in").asText().equals("query")) {
        continue;
      }
      String name = parameter.path("name").asText();
      String raw = query.get(name);
      if (raw == null) {
        if (parameter.path("required").asBoolean()) {
          out.add("query parameter " + name + " is required");
        }
        continue;
      }
      check(parameter.path("schema"), typed(parameter.path("schema"), raw), name, out);
    }
    return out;
  }

  private static JsonNode typed(JsonNode schema, String raw) {
    try {
      switch (schema.path("type").asText()) {
        case "integer":
          return LongNode.valueOf(Long.parseLong(raw));
        case "number":
          return DoubleNode.valueOf(Double.parseDouble(raw));
        case "boolean":
          if (raw.equals("true") || raw.equals("false")) {
            return BooleanNode.valueOf(Boolean.parseBoolean(raw));
          }
          break;
        default:
          break;
      }
    } catch (NumberFormatException e) {
      // left as text: the type check reports it
    }
    return TextNode.valueOf(raw);
  }

  /** What is wrong with {@code value} against {@code schema}; empty when it conforms. */
  public static List<String> violations(JsonNode schema, JsonNode value) {
    List<String> out = new ArrayList<>();
    check(schema, value, "body", out);
    return out;
  }

  private static void check(JsonNode schema, JsonNode value, String where, List<String> out) {
    if (schema.has("anyOf") || schema.has("oneOf")) {
      JsonNode options = schema.has("anyOf") ? schema.get("anyOf") : schema.get("oneOf");
      boolean any = false;
      for (JsonNode option : options) {
        any |= violations(option, value).isEmpty();
      }
      if (!any) {
        out.add(where + " matches none of its allowed forms");
        return;
      }
    }
    if (schema.has("type") && !typeMatches(schema.get("type"), value, schema)) {
      out.add(where + " must be " + schema.get("type").asText(schema.get("type").toString()));
      return;
    }
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode allowed : schema.get("enum")) {
        found |=
            allowed.equals(value)
                || (allowed.isNumber()
                    && value.isNumber()
                    && allowed.asDouble() == value.asDouble());
      }
      if (!found) {
        out.add(where + " must be one of " + schema.get("enum"));
      }
    }
    if (value.isNumber()) {
      if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
        out.add(where + " must be at least " + schema.get("minimum"));
      }
      if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
        out.add(where + " must be at most " + schema.get("maximum"));
      }
    }
    if (value.isTextual()) {
      String text = value.asText();
      if (schema.has("minLength") && text.length() < schema.get("minLength").asInt()) {
        out.add(where + " is too short");
      }
      if (schema.has("maxLength") && text.length() > schema.get("maxLength").asInt()) {
        out.add(where + " is longer than " + schema.get("maxLength"));
      }
      if (schema.has("pattern")
          && !Pattern.compile(schema.get("pattern").asText()).matcher(text).find()) {
        out.add(where + " does not match " + schema.get("pattern").asText());
      }
      if (schema.has("format") && !formatMatches(schema.get("format").asText(), text)) {
        out.add(where + " is not a valid " + schema.get("format").asText());
      }
    }
    if (value.isArray()) {
      if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
        out.add(where + " has too few items");
      }
      if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
        out.add(where + " has too many items");
      }
      if (schema.path("uniqueItems").asBoolean()) {
        Set<JsonNode> seen = new HashSet<>();
        for (JsonNode item : value) {
          if (!seen.add(item)) {
            out.add(where + " repeats " + item);
          }
        }
      }
      if (schema.has("items")) {
        for (int i = 0; i < value.size(); i++) {
          check(schema.get("items"), value.get(i), where + "[" + i + "]", out);
        }
      }
    }
    if (value.isObject()) {
      for (JsonNode required : schema.path("required")) {
        if (!value.has(required.asText())) {
          out.add(where + " must have required property '" + required.asText() + "'");
        }
      }
      if (schema.has("minProperties") && value.size() < schema.get("minProperties").asInt()) {
        out.add(where + " must have at least " + schema.get("minProperties") + " properties");
      }
      JsonNode properties = schema.path("properties");
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (properties.has(field.getKey())) {
          check(
              properties.get(field.getKey()), field.getValue(), where + "/" + field.getKey(), out);
        } else if (schema.path("additionalProperties").isBoolean()
            && !schema.get("additionalProperties").asBoolean()) {
          out.add(where + " must NOT have additional property '" + field.getKey() + "'");
        }
      }
    }
  }

  private static boolean typeMatches(JsonNode type, JsonNode value, JsonNode schema) {
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (typeMatches(t, value, schema)) {
          return true;
        }
      }
      return false;
    }
    if (value.isNull()) {
      return type.asText().equals("null") || schema.path("nullable").asBoolean();
    }
    return switch (type.asText()) {
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "array" -> value.isArray();
      case "object" -> value.isObject();
      default -> false;
    };
  }

  private static boolean formatMatches(String format, String text) {
    return switch (format) {
      case "ipv4" -> ipv4(text);
      case "ipv6" ->
          text.matches("[0-9a-fA-F:]+")
              && text.chars().filter(c -> c == ':').count() <= 7
              && text.split("::", -1).length <= 2;
      default -> true;
    };
  }

  private static boolean ipv4(String text) {
    String[] octets = text.split("\\.", -1);
    if (octets.length != 4) {
      return false;
    }
    for (String octet : octets) {
      if (!octet.matches("\\d{1,3}") || Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }
}
