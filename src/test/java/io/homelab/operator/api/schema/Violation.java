package io.homelab.operator.api.schema;

/**
 * One reason the API server would refuse an object, worded as kubectl prints it.
 *
 * @param field the field path, as in {@code spec.backend.port}
 * @param message the whole message, starting with the field path
 * @param rule the CEL rule that failed, or null for an OpenAPI schema check
 */
public record Violation(String field, String message, CelRuleId rule) {

  @Override
  public String toString() {
    return message;
  }
}
