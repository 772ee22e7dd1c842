package io.homelab.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OwnerMarkerTest {

  private static final OwnerMarker APP = new OwnerMarker("home-1", "Route", "homelab", "app");

  @Test
  void textNamesOwnerKindNamespaceAndName() {
    assertThat(APP.text()).isEqualTo("homelab-operator:home-1/Route/homelab/app");
  }

  @Test
  void parseReadsBackWhatTextWrote() {
    assertThat(OwnerMarker.parse(APP.text())).isEqualTo(APP);
    OwnerMarker dotted = new OwnerMarker("x", "Guest", "team-a", "db.primary");
    assertThat(OwnerMarker.parse(dotted.text())).isEqualTo(dotted);
  }

  @Test
  void parseToleratesSurroundingWhitespace() {
    // Markers are read back from free-text fields (descriptions, comments) that gain newlines.
    assertThat(OwnerMarker.parse("  " + APP.text() + "\n")).isEqualTo(APP);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "hello",
        "homelab-operator:",
        "homelab-operator:home-1/Route/homelab",
        "homelab-operator:home-1/Route/homelab/app/extra",
        "homelab-operator:home-1//homelab/app",
        "homelab-operator:home 1/Route/homelab/app",
        "other-operator:home-1/Route/homelab/app",
        "managed by homelab-operator:home-1/Route/homelab/app",
        "homelab-operator:0123456789abcdef0123456"
      })
  void parseOfAnythingElseIsNull(String text) {
    assertThat(OwnerMarker.parse(text)).isNull();
  }

  @Test
  void parseOfNullIsNull() {
    assertThat(OwnerMarker.parse(null)).isNull();
  }

  @Test
  void everyPartIsRequired() {
    assertThatNullPointerException().isThrownBy(() -> new OwnerMarker(null, "Route", "ns", "n"));
    assertThatNullPointerException().isThrownBy(() -> new OwnerMarker("o", null, "ns", "n"));
    assertThatNullPointerException().isThrownBy(() -> new OwnerMarker("o", "Route", null, "n"));
    assertThatNullPointerException().isThrownBy(() -> new OwnerMarker("o", "Route", "ns", null));
  }

  @Test
  void shortFormIsFortyCharactersAndStable() {
    String shortForm = APP.shortForm();

    assertThat(shortForm).hasSize(40).startsWith("homelab-operator:");
    assertThat(shortForm.substring("homelab-operator:".length())).matches("[0-9a-f]{23}");
    assertThat(new OwnerMarker("home-1", "Route", "homelab", "app").shortForm())
        .isEqualTo(shortForm);
    // Pinned (first 23 hex digits of the SHA-256 of the text): a change of algorithm would make
    // the operator lose every external object it marked, so it must fail here first.
    assertThat(shortForm).isEqualTo("homelab-operator:edd04c42f84c0294accdc0a");
    assertThat(
            new OwnerMarker(
                    "a-very-long-owner-id-0123456789ab", "Guest", "n".repeat(63), "x".repeat(253))
                .shortForm())
        .hasSize(40);
  }

  @Test
  void shortFormDiffersForEachPartOfTheIdentity() {
    List<OwnerMarker> markers =
        List.of(
            APP,
            new OwnerMarker("home-2", "Route", "homelab", "app"),
            new OwnerMarker("home-1", "Guest", "homelab", "app"),
            new OwnerMarker("home-1", "Route", "other", "app"),
            new OwnerMarker("home-1", "Route", "homelab", "nas"),
            // Same characters, other split between namespace and name.
            new OwnerMarker("home-1", "Route", "homelab-app", "x"),
            new OwnerMarker("home-1", "Route", "homelab", "app-x"));

    Set<String> shortForms =
        markers.stream().map(OwnerMarker::shortForm).collect(Collectors.toSet());

    assertThat(shortForms).hasSameSizeAs(markers);
  }

  @Test
  void sameInstallationComparesOnlyTheOwnerId() {
    assertThat(APP.sameInstallation(new OwnerMarker("home-1", "Guest", "other", "db"))).isTrue();
    assertThat(APP.sameInstallation(new OwnerMarker("home-2", "Route", "homelab", "app")))
        .isFalse();
    assertThat(APP.sameInstallation(null)).isFalse();
  }

  @org.junit.jupiter.api.Test
  void compactIdStartsWithTheInstallationsPrefixAndDiffersPerObject() {
    OwnerMarker a = new OwnerMarker("home", "Route", "web", "app");
    OwnerMarker b = new OwnerMarker("home", "Route", "web", "blog");
    org.assertj.core.api.Assertions.assertThat(a.compactId())
        .startsWith(OwnerMarker.idPrefix("home"))
        .hasSize("homelab-home-".length() + 16)
        .isEqualTo(new OwnerMarker("home", "Route", "web", "app").compactId())
        .isNotEqualTo(b.compactId());
    org.assertj.core.api.Assertions.assertThat(
            new OwnerMarker("lab", "Route", "web", "app").compactId())
        .doesNotStartWith(OwnerMarker.idPrefix("home"));
  }
}
