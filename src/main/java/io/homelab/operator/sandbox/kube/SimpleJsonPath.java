package io.homelab.operator.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The part of Kubernetes JSONPath that {@code additionalPrinterColumns} use: a path without braces
 * made of {@code .field}, {@code ['field']}, {@code [index]} (negative counts from the end), {@code
 * [*]} and {@code .*}, and filters {@code [?(@.a.b=="value")]} with {@code ==} or {@code !=}
 * against a string, number or boolean literal. A path finds every node it reaches, in document
 * order; the API server's tables show the first.
 */
final class SimpleJsonPath {

  private final String source;
  private final List<Function<JsonNode, List<JsonNode>>> steps;

  private SimpleJsonPath(String source, List<Function<JsonNode, List<JsonNode>>> steps) {
    this.source = source;
    this.steps = steps;
  }

  /**
   * Parses a path such as {@code .status.conditions[?(@.type=="Ready")].status}; an enclosing
   * {@code {...}} is accepted too.
   *
   * @throws IllegalArgumentException when the path is outside the subset
   */
  static SimpleJsonPath compile(String path) {
    String text = path.strip();
    if (text.startsWith("{") && text.endsWith("}")) {
      text = text.substring(1, text.length() - 1).strip();
    }
    if (text.startsWith("$")) {
      text = text.substring(1);
    }
    return new SimpleJsonPath(path, new Parser(path, text).steps());
  }

  /** Every node the path reaches in {@code root}, in document order; empty when none. */
  List<JsonNode> find(JsonNode root) {
    List<JsonNode> current = List.of(root);
    for (Function<JsonNode, List<JsonNode>> step : steps) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode node : current) {
        next.addAll(step.apply(node));
      }
      current = next;
      if (current.isEmpty()) {
        break;
      }
    }
    return current.stream().filter(n -> n != null && !n.isMissingNode()).toList();
  }

  /** The first node the path reaches, or null. */
  JsonNode first(JsonNode root) {
    List<JsonNode> found = find(root);
    return found.isEmpty() ? null : found.get(0);
  }

  @Override
  public String toString() {
    return source;
  }

  private static final class Parser {
    private final String original;
    private final String text;
    private int at;

    Parser(String original, String text) {
      this.original = original;
      this.text = text;
    }

    List<Function<JsonNode, List<JsonNode>>> steps() {
      List<Function<JsonNode, List<JsonNode>>> steps = new ArrayList<>();
      while (at < text.length()) {
        char c = text.charAt(at);
        if (c == '.') {
          at++;
          if (peek('*')) {
            at++;
            steps.add(SimpleJsonPath::children);
          } else {
            String name = name();
            steps.add(node -> field(node, name));
          }
        } else if (c == '[') {
          steps.add(bracket());
        } else {
          throw error("unexpected '" + c + "'");
        }
      }
      return steps;
    }

    private Function<JsonNode, List<JsonNode>> bracket() {
      expect('[');
      Function<JsonNode, List<JsonNode>> step;
      if (peek('*')) {
        at++;
        step = SimpleJsonPath::children;
      } else if (peek('\'') || peek('"')) {
        String name = literalString();
        step = node -> field(node, name);
      } else if (peek('?')) {
        at++;
        expect('(');
        expect('@');
        List<String> fields = new ArrayList<>();
        while (peek('.')) {
          at++;
          fields.add(name());
        }
        skipSpaces();
        boolean equal;
        if (text.startsWith("==", at)) {
          equal = true;
        } else if (text.startsWith("!=", at)) {
          equal = false;
        } else {
          throw error("a filter needs == or !=");
        }
        at += 2;
        skipSpaces();
        Object literal = literal();
        skipSpaces();
        expect(')');
        step = node -> filter(node, fields, equal, literal);
      } else {
        int index = integer();
        step = node -> element(node, index);
      }
      expect(']');
      return step;
    }

    private String name() {
      int start = at;
      while (at < text.length() && ".[]() =!".indexOf(text.charAt(at)) < 0) {
        at++;
      }
      if (start == at) {
        throw error("a field name is missing");
      }
      return text.substring(start, at);
    }

    private Object literal() {
      if (peek('\'') || peek('"')) {
        return literalString();
      }
      int start = at;
      while (at < text.length() && ") ".indexOf(text.charAt(at)) < 0) {
        at++;
      }
      String token = text.substring(start, at);
      if (token.equals("true") || token.equals("false")) {
        return Boolean.valueOf(token);
      }
      try {
        return Double.valueOf(token);
      } catch (NumberFormatException e) {
        throw error("unsupported literal '" + token + "'");
      }
    }

    private String literalString() {
      char quote = text.charAt(at++);
      StringBuilder value = new StringBuilder();
      while (at < text.length() && text.charAt(at) != quote) {
        char c = text.charAt(at++);
        if (c == '\\' && at < text.length()) {
          c = text.charAt(at++);
        }
        value.append(c);
      }
      expect(quote);
      return value.toString();
    }

    private int integer() {
      int start = at;
      if (peek('-')) {
        at++;
      }
      while (at < text.length() && Character.isDigit(text.charAt(at))) {
        at++;
      }
      try {
        return Integer.parseInt(text.substring(start, at));
      } catch (NumberFormatException e) {
        throw error("an index is expected");
      }
    }

    private void skipSpaces() {
      while (peek(' ')) {
        at++;
      }
    }

    private boolean peek(char c) {
      return at < text.length() && text.charAt(at) == c;
    }

    private void expect(char c) {
      if (!peek(c)) {
        throw error("'" + c + "' expected");
      }
      at++;
    }

    private IllegalArgumentException error(String problem) {
      return new IllegalArgumentException(
          "JSONPath " + original + ": " + problem + " at position " + at);
    }
  }

  private static List<JsonNode> field(JsonNode node, String name) {
    JsonNode value = node.get(name);
    return node.isObject() && value != null ? List.of(value) : List.of();
  }

  private static List<JsonNode> children(JsonNode node) {
    List<JsonNode> children = new ArrayList<>();
    if (node.isContainerNode()) {
      node.elements().forEachRemaining(children::add);
    }
    return children;
  }

  private static List<JsonNode> element(JsonNode node, int index) {
    if (!node.isArray()) {
      return List.of();
    }
    int i = index < 0 ? node.size() + index : index;
    return i >= 0 && i < node.size() ? List.of(node.get(i)) : List.of();
  }

  private static List<JsonNode> filter(
      JsonNode node, List<String> fields, boolean equal, Object literal) {
    List<JsonNode> kept = new ArrayList<>();
    for (JsonNode candidate : children(node)) {
      JsonNode value = candidate;
      for (String f : fields) {
        value = value == null ? null : value.get(f);
      }
      if (value != null && matches(value, literal) == equal) {
        kept.add(candidate);
      }
    }
    return kept;
  }

  private static boolean matches(JsonNode value, Object literal) {
    if (literal instanceof String s) {
      return value.isTextual() && value.asText().equals(s);
    }
    if (literal instanceof Boolean b) {
      return value.isBoolean() && value.asBoolean() == b;
    }
    return value.isNumber() && value.asDouble() == (Double) literal;
  }
}
