package io.homelab.operator.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Validates manifests against the committed CRDs the way the Kubernetes API server would, without
 * one: structural defaults are applied first, then the OpenAPI schema is checked by a JSON-schema
 * validator, unknown fields are refused (kubectl's strict field validation), and every {@code
 * x-kubernetes-validations} rule is evaluated with CEL, transition rules only on updates, with
 * {@code oldSelf}. Messages are worded as kubectl prints them.
 */
public final class ManifestValidator {

  private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b");
  private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private final Map<String, JsonNode> crds;
  private final Map<String, Schema> jsonSchemas = new HashMap<>();
  private final Cel cel;
  private final Map<String, CelRuntime.Program> programs = new HashMap<>();

  public ManifestValidator(Map<String, JsonNode> crds) {
    this.crds = crds;
    // OpenAPI v3 schemas are draft-4 JSON schemas plus Kubernetes' own keywords, checked below.
    Dialect dialect =
        Dialect.builder(Dialects.getDraft4())
            .keywords(
                Stream.of(
                        "x-kubernetes-validations",
                        "x-kubernetes-list-type",
                        "x-kubernetes-list-map-keys",
                        "x-kubernetes-preserve-unknown-fields",
                        "x-kubernetes-int-or-string",
                        "x-kubernetes-embedded-resource")
                    .map(NonValidationKeyword::new)
                    .toList())
            .build();
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(dialect);
    crds.forEach(
        (kind, crd) ->
            jsonSchemas.put(
                kind, registry.getSchema(Crds.schemaOf(crd).toString(), InputFormat.JSON)));
    this.cel =
        CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            // The API server's CEL has the strings library (substring, split, ...).
            .addCompilerLibraries(CelExtensions.strings())
            .addRuntimeLibraries(CelExtensions.strings())
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .build();
  }

  /** Every CEL rule in the CRDs. */
  public Set<CelRuleId> allRules() {
    Set<CelRuleId> rules = new LinkedHashSet<>();
    crds.forEach((kind, crd) -> collectRules(kind, Crds.schemaOf(crd), "", rules));
    return rules;
  }

  /** What the API server would refuse in a create of {@code manifest}. */
  public List<Violation> validate(JsonNode manifest) {
    return validate(manifest, null);
  }

  /**
   * What the API server would refuse in {@code manifest}: a create when {@code old} is null, an
   * update of {@code old} otherwise.
   */
  public List<Violation> validate(JsonNode manifest, JsonNode old) {
    String kind = manifest.path("kind").asText();
    JsonNode crd = crds.get(kind);
    if (crd == null) {
      return List.of(new Violation("kind", "no CRD defines kind \"" + kind + "\"", null));
    }
    String expected =
        crd.at("/spec/group").asText() + "/" + crd.at("/spec/versions/0/name").asText();
    if (!expected.equals(manifest.path("apiVersion").asText())) {
      return List.of(
          new Violation(
              "apiVersion",
              "no matches for kind \""
                  + kind
                  + "\" in version \""
                  + manifest.path("apiVersion").asText()
                  + "\"",
              null));
    }
    JsonNode schema = Crds.schemaOf(crd);
    ObjectNode object = applyDefaults(schema, manifest.deepCopy());
    JsonNode oldObject = old == null ? null : applyDefaults(schema, old.deepCopy());

    List<Violation> violations = new ArrayList<>();
    unknownFields(schema, object, "", violations);
    for (Error error : jsonSchemas.get(kind).validate(object.toString(), InputFormat.JSON)) {
      violations.add(fromSchemaError(error));
    }
    evaluateRules(kind, schema, object, oldObject, "", "", violations);
    violations.sort(Comparator.comparing(Violation::field));
    return violations;
  }

  // --- defaulting ------------------------------------------------------------------------------

  /** Fills absent properties that have a default, recursively, as the API server does. */
  static <T extends JsonNode> T applyDefaults(JsonNode schema, T value) {
    if (value instanceof ObjectNode object && schema.has("properties")) {
      Iterator<Map.Entry<String, JsonNode>> props = schema.get("properties").fields();
      while (props.hasNext()) {
        Map.Entry<String, JsonNode> prop = props.next();
        if (!object.has(prop.getKey()) && prop.getValue().has("default")) {
          object.set(prop.getKey(), prop.getValue().get("default").deepCopy());
        }
        if (object.has(prop.getKey())) {
          applyDefaults(prop.getValue(), object.get(prop.getKey()));
        }
      }
    } else if (value instanceof ArrayNode array && schema.has("items")) {
      array.forEach(item -> applyDefaults(schema.get("items"), item));
    }
    return value;
  }

  // --- unknown fields --------------------------------------------------------------------------

  private static void unknownFields(
      JsonNode schema, JsonNode value, String path, List<Violation> out) {
    if (value instanceof ObjectNode object && schema.has("properties")) {
      object
          .fieldNames()
          .forEachRemaining(
              name -> {
                String child = join(path, name);
                JsonNode childSchema = schema.get("properties").get(name);
                if (childSchema == null) {
                  if (!(path.isEmpty() && ROOT_FIELDS.contains(name))) {
                    out.add(new Violation(child, "unknown field \"" + child + "\"", null));
                  }
                } else {
                  unknownFields(childSchema, object.get(name), child, out);
                }
              });
    } else if (value instanceof ArrayNode array && schema.has("items")) {
      for (int i = 0; i < array.size(); i++) {
        unknownFields(schema.get("items"), array.get(i), path + "[" + i + "]", out);
      }
    }
  }

  // --- OpenAPI schema errors, worded as the API server words them
  // ---------------------------------

  private static Violation fromSchemaError(Error error) {
    String location = fieldPath(error.getInstanceLocation().toString());
    JsonNode value = fromJackson3(error.getInstanceNode());
    JsonNode schemaValue = fromJackson3(error.getSchemaNode());
    String message;
    switch (error.getKeyword()) {
      case "required" -> {
        location = join(location, error.getProperty());
        message = location + ": Required value";
      }
      case "pattern" ->
          message =
              invalid(location, value)
                  + location
                  + " in body should match '"
                  + schemaValue.asText()
                  + "'";
      case "enum" ->
          message =
              location
                  + ": Unsupported value: "
                  + render(value)
                  + ": supported values: "
                  + joinValues(schemaValue);
      case "maximum" ->
          message =
              invalid(location, value)
                  + location
                  + " in body should be less than or equal to "
                  + number(schemaValue);
      case "minimum" ->
          message =
              invalid(location, value)
                  + location
                  + " in body should be greater than or equal to "
                  + number(schemaValue);
      case "maxLength" ->
          message = location + ": Too long: may not be more than " + number(schemaValue) + " bytes";
      case "minLength" ->
          message =
              invalid(location, value)
                  + location
                  + " in body should be at least "
                  + number(schemaValue)
                  + " chars long";
      case "maxItems" ->
          message =
              location
                  + ": Too many: "
                  + value.size()
                  + ": must have at most "
                  + number(schemaValue)
                  + " items";
      case "maxProperties" ->
          message =
              location
                  + ": Too many: "
                  + value.size()
                  + ": must have at most "
                  + number(schemaValue)
                  + " items";
      case "type" ->
          message =
              invalid(location, value)
                  + location
                  + " in body must be of type "
                  + schemaValue.asText()
                  + ": "
                  + "\""
                  + jsonType(value)
                  + "\"";
      default -> message = location + ": " + error.getMessage();
    }
    return new Violation(location, message, null);
  }

  /** The validator works on Jackson 3 trees; messages are built from Jackson 2 ones. */
  private static JsonNode fromJackson3(tools.jackson.databind.JsonNode node) {
    try {
      return node == null ? null : Crds.JSON.readTree(node.toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String invalid(String location, JsonNode value) {
    return location + ": Invalid value: " + render(value) + ": ";
  }

  private static String number(JsonNode node) {
    double d = node.asDouble();
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String joinValues(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(render(v)));
    return String.join(", ", values);
  }

  private static String render(JsonNode value) {
    if (value == null) {
      return "null";
    }
    if (value.isTextual()) {
      return "\"" + value.asText() + "\"";
    }
    if (value.isContainerNode()) {
      return "\"" + jsonType(value) + "\"";
    }
    return value.toString();
  }

  private static String jsonType(JsonNode value) {
    if (value.isObject()) {
      return "object";
    } else if (value.isArray()) {
      return "array";
    } else if (value.isTextual()) {
      return "string";
    } else if (value.isIntegralNumber()) {
      return "integer";
    } else if (value.isNumber()) {
      return "number";
    } else if (value.isBoolean()) {
      return "boolean";
    }
    return "null";
  }

  /**
   * The validator's instance location, a JSON pointer ({@code /spec/disks/0/name}), as the API
   * server writes a field path ({@code spec.disks[0].name}).
   */
  static String fieldPath(String pointer) {
    StringBuilder path = new StringBuilder();
    for (String segment : pointer.split("/")) {
      if (segment.isEmpty() || segment.equals("$")) {
        continue;
      }
      String name = segment.replace("~1", "/").replace("~0", "~");
      if (name.chars().allMatch(Character::isDigit)) {
        path.append('[').append(name).append(']');
      } else {
        path.append(path.length() == 0 ? "" : ".").append(name);
      }
    }
    return path.toString();
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  // --- CEL ---------------------------------------------------------------------------------------

  private void evaluateRules(
      String kind,
      JsonNode schema,
      JsonNode value,
      JsonNode old,
      String path,
      String schemaPath,
      List<Violation> out) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return;
    }
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      String expression = rule.get("rule").asText();
      boolean transition = OLD_SELF.matcher(expression).find();
      if (transition && (old == null || old.isMissingNode() || old.isNull())) {
        continue;
      }
      Map<String, Object> vars = new HashMap<>();
      vars.put("self", toCel(value));
      if (transition) {
        vars.put("oldSelf", toCel(old));
      }
      Object result;
      try {
        result = program(expression).eval(vars);
      } catch (CelEvaluationException e) {
        result = e;
      }
      if (!Boolean.TRUE.equals(result)) {
        String message =
            result instanceof Exception e
                ? "rule evaluation failed: " + e.getMessage()
                : rule.path("message").asText("failed rule: " + expression);
        out.add(
            new Violation(
                path,
                (path.isEmpty() ? "<nil>" : path)
                    + ": Invalid value: \""
                    + jsonType(value)
                    + "\": "
                    + message,
                new CelRuleId(kind, schemaPath, expression)));
      }
    }
    if (value.isObject() && schema.has("properties")) {
      schema
          .get("properties")
          .fields()
          .forEachRemaining(
              prop ->
                  evaluateRules(
                      kind,
                      prop.getValue(),
                      value.get(prop.getKey()),
                      old == null ? null : old.get(prop.getKey()),
                      join(path, prop.getKey()),
                      join(schemaPath, prop.getKey()),
                      out));
    } else if (value.isArray() && schema.has("items")) {
      // List items are not correlated with the old object: transition rules under them do not run.
      for (int i = 0; i < value.size(); i++) {
        evaluateRules(
            kind,
            schema.get("items"),
            value.get(i),
            null,
            path + "[" + i + "]",
            schemaPath + "[]",
            out);
      }
    }
  }

  private CelRuntime.Program program(String expression) {
    return programs.computeIfAbsent(
        expression,
        e -> {
          try {
            CelAbstractSyntaxTree ast = cel.compile(e).getAst();
            return cel.createProgram(ast);
          } catch (CelValidationException | CelEvaluationException ex) {
            throw new IllegalStateException("CEL rule does not compile: " + e, ex);
          }
        });
  }

  /** Compiles every rule; a rule that does not compile is an error in the CRD. */
  public void compileAll() {
    allRules().forEach(r -> program(r.rule()));
  }

  private static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> map.put(e.getKey(), toCel(e.getValue())));
      return map;
    } else if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(n -> list.add(toCel(n)));
      return list;
    } else if (node.isIntegralNumber()) {
      return node.asLong();
    } else if (node.isNumber()) {
      return node.asDouble();
    } else if (node.isBoolean()) {
      return node.asBoolean();
    } else if (node.isTextual()) {
      return node.asText();
    }
    return dev.cel.common.values.NullValue.NULL_VALUE;
  }

  private static void collectRules(
      String kind, JsonNode schema, String schemaPath, Set<CelRuleId> rules) {
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      rules.add(new CelRuleId(kind, schemaPath, rule.get("rule").asText()));
    }
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            p -> collectRules(kind, p.getValue(), join(schemaPath, p.getKey()), rules));
    if (schema.has("items")) {
      collectRules(kind, schema.get("items"), schemaPath + "[]", rules);
    }
  }

  static String describe(List<Violation> violations) {
    return violations.stream()
        .map(Violation::message)
        .collect(Collectors.joining("\n  ", "\n  ", ""));
  }
}
