package io.homelab.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.homelab.operator.api.edge.AllowedRoutes;
import io.homelab.operator.api.edge.NamespaceSelector;
import io.homelab.operator.api.edge.NamespacesFrom;
import io.homelab.operator.api.edge.RouteNamespaces;
import io.homelab.operator.api.edge.SelectorOperator;
import io.homelab.operator.api.edge.SelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RouteAdmissionTest {

  private static final String EDGE = "vps";
  private static final String EDGE_NS = "infra";
  private static final String HOST = "app.example.com";

  @ParameterizedTest(name = "from {0}, Route in {1}: admitted {2}")
  @CsvSource({
    "Same, infra, true",
    "Same, apps,  false",
    "All,  infra, true",
    "All,  apps,  true",
  })
  void sameAdmitsOnlyTheEdgesNamespaceAndAllAdmitsEvery(
      NamespacesFrom from, String routeNamespace, boolean admitted) {
    Admission admission = admit(namespaces(from, null), routeNamespace, Map.of(), HOST);

    assertThat(admission.allowed()).isEqualTo(admitted);
    assertThat(admission.reason()).isEqualTo(admitted ? null : Admission.NOT_ALLOWED_BY_EDGE);
  }

  @Test
  void withoutAllowedRoutesOnlyTheEdgesOwnNamespaceIsAdmittedWithAnyHostName() {
    assertThat(admit(null, EDGE_NS, Map.of(), "anything.example.org").allowed()).isTrue();
    assertThat(admit(null, EDGE_NS, Map.of(), "other.example.net").allowed()).isTrue();

    Admission elsewhere = admit(null, "apps", Map.of(), HOST);
    assertThat(elsewhere.allowed()).isFalse();
    assertThat(elsewhere.reason()).isEqualTo(Admission.NOT_ALLOWED_BY_EDGE);
  }

  @Test
  void allowedRoutesWithoutNamespacesOrWithoutFromMeansSame() {
    AllowedRoutes noNamespaces = new AllowedRoutes();
    RouteNamespaces noFrom = new RouteNamespaces();
    noFrom.setFrom(null);
    AllowedRoutes withoutFrom = new AllowedRoutes();
    withoutFrom.setNamespaces(noFrom);

    for (AllowedRoutes allowed : List.of(noNamespaces, withoutFrom)) {
      assertThat(admit(allowed, EDGE_NS, Map.of(), HOST).allowed()).isTrue();
      assertThat(admit(allowed, "apps", Map.of(), HOST).reason())
          .isEqualTo(Admission.NOT_ALLOWED_BY_EDGE);
    }
  }

  @ParameterizedTest(name = "matchLabels {0} on namespace labels {1}: {2}")
  @MethodSource
  void selectorMatchLabels(
      Map<String, String> matchLabels, Map<String, String> labels, boolean admitted) {
    NamespaceSelector selector = new NamespaceSelector();
    selector.setMatchLabels(matchLabels);

    Admission admission =
        admit(namespaces(NamespacesFrom.Selector, selector), "apps", labels, HOST);

    assertThat(admission.allowed()).isEqualTo(admitted);
  }

  static Stream<Arguments> selectorMatchLabels() {
    return Stream.of(
        Arguments.of(Map.of("expose", "true"), Map.of("expose", "true"), true),
        Arguments.of(Map.of("expose", "true"), Map.of("expose", "true", "team", "a"), true),
        Arguments.of(Map.of("expose", "true"), Map.of("expose", "false"), false),
        Arguments.of(Map.of("expose", "true"), Map.of(), false),
        // Every term must hold, not just one.
        Arguments.of(Map.of("expose", "true", "team", "a"), Map.of("expose", "true"), false),
        Arguments.of(
            Map.of("expose", "true", "team", "a"), Map.of("expose", "true", "team", "a"), true));
  }

  @ParameterizedTest(name = "{0} {1} on namespace labels {2}: {3}")
  @MethodSource
  void selectorMatchExpressions(
      SelectorOperator operator,
      List<String> values,
      Map<String, String> labels,
      boolean admitted) {
    SelectorRequirement requirement = new SelectorRequirement();
    requirement.setKey("env");
    requirement.setOperator(operator);
    requirement.setValues(values);
    NamespaceSelector selector = new NamespaceSelector();
    selector.setMatchExpressions(List.of(requirement));

    Admission admission =
        admit(namespaces(NamespacesFrom.Selector, selector), "apps", labels, HOST);

    assertThat(admission.allowed()).isEqualTo(admitted);
  }

  static Stream<Arguments> selectorMatchExpressions() {
    List<String> prodOrStaging = List.of("prod", "staging");
    return Stream.of(
        Arguments.of(SelectorOperator.In, prodOrStaging, Map.of("env", "prod"), true),
        Arguments.of(SelectorOperator.In, prodOrStaging, Map.of("env", "staging"), true),
        Arguments.of(SelectorOperator.In, prodOrStaging, Map.of("env", "dev"), false),
        Arguments.of(SelectorOperator.In, prodOrStaging, Map.of("team", "prod"), false),
        Arguments.of(SelectorOperator.In, prodOrStaging, Map.of(), false),
        Arguments.of(SelectorOperator.NotIn, prodOrStaging, Map.of("env", "dev"), true),
        Arguments.of(SelectorOperator.NotIn, prodOrStaging, Map.of("env", "prod"), false),
        // As in Kubernetes: NotIn also holds when the label is absent.
        Arguments.of(SelectorOperator.NotIn, prodOrStaging, Map.of(), true),
        Arguments.of(SelectorOperator.Exists, null, Map.of("env", "dev"), true),
        Arguments.of(SelectorOperator.Exists, null, Map.of("env", ""), true),
        Arguments.of(SelectorOperator.Exists, null, Map.of("team", "a"), false),
        Arguments.of(SelectorOperator.DoesNotExist, null, Map.of("team", "a"), true),
        Arguments.of(SelectorOperator.DoesNotExist, null, Map.of(), true),
        Arguments.of(SelectorOperator.DoesNotExist, null, Map.of("env", "dev"), false));
  }

  @Test
  void matchLabelsAndMatchExpressionsMustBothHold() {
    SelectorRequirement notProd = new SelectorRequirement();
    notProd.setKey("env");
    notProd.setOperator(SelectorOperator.NotIn);
    notProd.setValues(List.of("prod"));
    NamespaceSelector selector = new NamespaceSelector();
    selector.setMatchLabels(Map.of("expose", "true"));
    selector.setMatchExpressions(List.of(notProd));
    AllowedRoutes allowed = namespaces(NamespacesFrom.Selector, selector);

    assertThat(admit(allowed, "apps", Map.of("expose", "true", "env", "dev"), HOST).allowed())
        .isTrue();
    assertThat(admit(allowed, "apps", Map.of("expose", "true", "env", "prod"), HOST).allowed())
        .isFalse();
    assertThat(admit(allowed, "apps", Map.of("env", "dev"), HOST).allowed()).isFalse();
  }

  @Test
  void anEmptySelectorMatchesEveryNamespace() {
    AllowedRoutes allowed = namespaces(NamespacesFrom.Selector, new NamespaceSelector());

    assertThat(admit(allowed, "apps", Map.of(), HOST).allowed()).isTrue();
    assertThat(admit(allowed, "apps", Map.of("any", "label"), HOST).allowed()).isTrue();
    // A namespace whose labels the caller could not find at all.
    assertThat(admit(allowed, "apps", null, HOST).allowed()).isTrue();
  }

  @Test
  void selectorFromWithoutASelectorAdmitsNoNamespaceNotEvenTheEdgesOwn() {
    AllowedRoutes allowed = namespaces(NamespacesFrom.Selector, null);

    for (String namespace : List.of("apps", EDGE_NS)) {
      Admission admission = admit(allowed, namespace, Map.of("expose", "true"), HOST);
      assertThat(admission.allowed()).isFalse();
      assertThat(admission.reason()).isEqualTo(Admission.NOT_ALLOWED_BY_EDGE);
    }
  }

  @ParameterizedTest(name = "suffix {0}, host {1}: {2}")
  @CsvSource({
    "example.com,   example.com,         true",
    "example.com,   app.example.com,     true",
    "example.com,   a.b.example.com,     true",
    "example.com,   badexample.com,      false",
    "example.com,   example.com.evil.io, false",
    "example.com,   example.org,         false",
    "*.example.com, app.example.com,     true",
    "*.example.com, a.b.example.com,     true",
    "*.example.com, example.com,         false",
    "*.example.com, badexample.com,      false",
    "*.example.com, app.badexample.com,  false",
  })
  void hostnameSuffixes(String suffix, String hostname, boolean admitted) {
    assertThat(RouteAdmission.hostnameMatches(suffix, hostname)).isEqualTo(admitted);

    Admission admission =
        admit(hostnames(NamespacesFrom.All, List.of(suffix)), "apps", Map.of(), hostname);
    assertThat(admission.allowed()).isEqualTo(admitted);
    assertThat(admission.reason()).isEqualTo(admitted ? null : Admission.HOSTNAME_NOT_ALLOWED);
  }

  @Test
  void anyOfSeveralSuffixesAdmits() {
    AllowedRoutes allowed = hostnames(NamespacesFrom.All, List.of("*.example.com", "example.org"));

    assertThat(admit(allowed, "apps", Map.of(), "app.example.com").allowed()).isTrue();
    assertThat(admit(allowed, "apps", Map.of(), "example.org").allowed()).isTrue();
    assertThat(admit(allowed, "apps", Map.of(), "example.com").allowed()).isFalse();
  }

  @Test
  void anEmptyListOfSuffixesAdmitsAnyHostName() {
    AllowedRoutes allowed = hostnames(NamespacesFrom.All, List.of());

    assertThat(admit(allowed, "apps", Map.of(), "whatever.example.net").allowed()).isTrue();
  }

  @Test
  void aRefusedNamespaceNamesTheEdgeTheNamespaceAndThePolicy() {
    Admission admission = admit(null, "apps", Map.of(), HOST);

    assertThat(admission.allowed()).isFalse();
    assertThat(admission.reason()).isEqualTo("NotAllowedByEdge");
    assertThat(admission.message()).contains("infra/vps").contains("apps").contains("Same");
  }

  @Test
  void aRefusedHostNameNamesTheEdgeTheHostAndTheSuffixesItServes() {
    AllowedRoutes allowed = hostnames(NamespacesFrom.All, List.of("*.example.com", "example.org"));

    Admission admission = admit(allowed, "apps", Map.of(), "app.example.net");

    assertThat(admission.allowed()).isFalse();
    assertThat(admission.reason()).isEqualTo("HostnameNotAllowed");
    assertThat(admission.message())
        .contains("infra/vps")
        .contains("app.example.net")
        .contains("*.example.com")
        .contains("example.org");
  }

  @Test
  void theNamespaceIsJudgedBeforeTheHostName() {
    // Both are wrong: the namespace is what the user must fix first (moving the Route, or asking
    // for the Edge's policy to change), so that is the reason shown.
    AllowedRoutes allowed = hostnames(NamespacesFrom.Same, List.of("example.com"));

    Admission admission = admit(allowed, "apps", Map.of(), "app.example.net");

    assertThat(admission.reason()).isEqualTo(Admission.NOT_ALLOWED_BY_EDGE);
  }

  @Test
  void anAdmissionHasNoReasonAndNamesTheEdge() {
    Admission admission =
        admit(hostnames(NamespacesFrom.All, List.of("example.com")), "apps", Map.of(), HOST);

    assertThat(admission.allowed()).isTrue();
    assertThat(admission.reason()).isNull();
    assertThat(admission.message()).contains("infra/vps");
  }

  private static Admission admit(
      AllowedRoutes allowed, String routeNamespace, Map<String, String> labels, String hostname) {
    return RouteAdmission.admit(allowed, EDGE, EDGE_NS, routeNamespace, labels, hostname);
  }

  private static AllowedRoutes namespaces(NamespacesFrom from, NamespaceSelector selector) {
    RouteNamespaces namespaces = new RouteNamespaces();
    namespaces.setFrom(from);
    namespaces.setSelector(selector);
    AllowedRoutes allowed = new AllowedRoutes();
    allowed.setNamespaces(namespaces);
    return allowed;
  }

  private static AllowedRoutes hostnames(NamespacesFrom from, List<String> suffixes) {
    AllowedRoutes allowed = namespaces(from, null);
    allowed.setHostnames(suffixes);
    return allowed;
  }
}
