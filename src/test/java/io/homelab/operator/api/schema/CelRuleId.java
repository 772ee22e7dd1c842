package io.homelab.operator.api.schema;

/**
 * One CEL rule of one CRD.
 *
 * @param kind the kind whose schema holds the rule
 * @param schemaPath where in the schema, as {@code spec.backend} ({@code []} for list items)
 * @param rule the rule's expression
 */
public record CelRuleId(String kind, String schemaPath, String rule) {}
