package io.homelab.operator.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * One column of a server-side table: a CRD's {@code additionalPrinterColumns} entry, or a column of
 * a built-in kind. {@code value} picks the raw value out of the object (null when absent); the cell
 * is that value converted by {@code type} the way the API server does: a {@code string} column
 * prints any value, {@code integer}, {@code number} and {@code boolean} keep values of their type
 * only, and a {@code date} column shows the age of a timestamp ({@code 5m}, {@code 3h2m}).
 */
record PrinterColumn(
    String name,
    String type,
    String format,
    String description,
    int priority,
    Function<JsonNode, JsonNode> value) {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** A column read with a JSONPath of the subset {@link SimpleJsonPath} knows. */
  static PrinterColumn ofJsonPath(
      String name, String type, String format, String description, int priority, String path) {
    SimpleJsonPath compiled = SimpleJsonPath.compile(path);
    return new PrinterColumn(name, type, format, description, priority, compiled::first);
  }

  /** The cell of this column for {@code object}; a JSON null shows as {@code <none>}. */
  JsonNode cell(JsonNode object, Instant now) {
    JsonNode raw = value.apply(object);
    if (raw == null || raw.isNull() || raw.isMissingNode()) {
      return NODES.nullNode();
    }
    switch (type) {
      case "integer":
        return raw.isNumber() ? NODES.numberNode(raw.asLong()) : NODES.nullNode();
      case "number":
        return raw.isNumber() ? NODES.numberNode(raw.asDouble()) : NODES.nullNode();
      case "boolean":
        return raw.isBoolean() ? raw : NODES.nullNode();
      case "date":
        if (!raw.isTextual()) {
          return NODES.nullNode();
        }
        try {
          return NODES.textNode(age(Instant.parse(raw.asText()), now));
        } catch (DateTimeParseException e) {
          return NODES.textNode("<invalid>");
        }
      default:
        return NODES.textNode(raw.isValueNode() ? raw.asText() : raw.toString());
    }
  }

  /**
   * How long ago {@code then} was, in the short form of {@code kubectl get}: seconds up to two
   * minutes, then minutes and seconds up to ten minutes, minutes up to three hours, hours and
   * minutes up to eight hours, hours up to two days, days and hours up to eight days, days up to
   * two years, then years and days up to eight years, then years.
   */
  static String age(Instant then, Instant now) {
    Duration d = Duration.between(then, now);
    if (d.compareTo(Duration.ofSeconds(-1)) < 0) {
      return "<invalid>";
    }
    if (d.isNegative()) {
      return "0s";
    }
    long seconds = d.getSeconds();
    long minutes = seconds / 60;
    long hours = seconds / 3600;
    long days = hours / 24;
    long years = days / 365;
    if (seconds < 120) {
      return seconds + "s";
    }
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    }
    if (minutes < 180) {
      return minutes + "m";
    }
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    }
    if (hours < 48) {
      return hours + "h";
    }
    if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? days + "d" : days + "d" + h + "h";
    }
    if (days < 365 * 2) {
      return days + "d";
    }
    if (days < 365 * 8) {
      long rest = days % 365;
      return rest == 0 ? years + "y" : years + "y" + rest + "d";
    }
    return years + "y";
  }
}
