package io.homelab.operator.api.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The CRDs in {@code crds/} accept every sample and refuse every bad manifest of the table with the
 * message a user would see; every CEL rule in them is exercised by the table.
 */
class CrdValidationTest {

  static ManifestValidator validator;
  static List<BadManifest> cases;

  @BeforeAll
  static void load() {
    validator = new ManifestValidator(Crds.byKind());
    cases = BadManifest.load();
  }

  @TestFactory
  Stream<DynamicTest> everySampleIsValid() {
    Map<String, com.fasterxml.jackson.databind.node.ObjectNode> samples = Crds.homelabSamples();
    assertThat(samples.values().stream().map(s -> s.get("kind").asText()))
        .as("the samples show every kind")
        .contains("Edge", "Tunnel", "Route", "Guest");
    return samples.entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey(),
                    () ->
                        assertThat(validator.validate(e.getValue()))
                            .as("violations of " + e.getKey())
                            .isEmpty()));
  }

  @TestFactory
  Stream<DynamicTest> everyBadManifestIsRefusedWithItsMessage() {
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> assertOutcome(c)));
  }

  private static void assertOutcome(BadManifest c) {
    List<Violation> violations = validator.validate(c.manifest(), c.old());
    List<Violation> unexplained = new ArrayList<>(violations);
    for (String expected : c.expected()) {
      Violation match =
          violations.stream()
              .filter(v -> v.message().contains(expected))
              .findFirst()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "'"
                              + c.name()
                              + "' should be refused with\n  "
                              + expected
                              + "\nbut the violations were:"
                              + ManifestValidator.describe(violations)));
      unexplained.remove(match);
    }
    assertThat(unexplained).as("violations of '" + c.name() + "' not in the table").isEmpty();
  }

  @Test
  void theTableHasAtLeastThirtyRefusals() {
    assertThat(cases.stream().filter(c -> !c.expected().isEmpty())).hasSizeGreaterThanOrEqualTo(30);
  }

  @Test
  void everyCelRuleCompiles() {
    validator.compileAll();
    assertThat(validator.allRules()).hasSizeGreaterThanOrEqualTo(15);
  }

  @Test
  void everyCelRuleIsHitByABadManifest() {
    Set<CelRuleId> hit = new LinkedHashSet<>();
    for (BadManifest c : cases) {
      validator.validate(c.manifest(), c.old()).stream()
          .map(Violation::rule)
          .filter(Objects::nonNull)
          .forEach(hit::add);
    }
    Set<CelRuleId> missed = new LinkedHashSet<>(validator.allRules());
    missed.removeAll(hit);
    assertThat(missed).as("CEL rules no bad manifest exercises").isEmpty();
  }

  @Test
  void theValidatorCatchesWhatItClaims() {
    // Guards the harness itself: an unknown kind and a wrong apiVersion are refused too.
    JsonNode route =
        Crds.homelabSamples().values().stream()
            .filter(s -> s.get("kind").asText().equals("Route"))
            .findFirst()
            .orElseThrow();
    com.fasterxml.jackson.databind.node.ObjectNode wrongVersion =
        (com.fasterxml.jackson.databind.node.ObjectNode) route.deepCopy();
    wrongVersion.put("apiVersion", "homelab.io/v1");
    assertThat(validator.validate(wrongVersion))
        .extracting(Violation::message)
        .containsExactly("no matches for kind \"Route\" in version \"homelab.io/v1\"");
  }
}
