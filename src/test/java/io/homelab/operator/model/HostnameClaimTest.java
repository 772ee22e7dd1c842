package io.homelab.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HostnameClaimTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final Instant T1 = T0.plusSeconds(1);

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void theHolderIsTheSameWhateverOrderTheClaimsComeIn(
      String rule, List<HostnameClaim> claims, HostnameClaim expected) {
    for (List<HostnameClaim> order : permutations(claims)) {
      assertThat(HostnameClaim.holder(order)).as("claims in order %s", order).contains(expected);
    }
  }

  static Stream<Arguments> theHolderIsTheSameWhateverOrderTheClaimsComeIn() {
    HostnameClaim oldest = new HostnameClaim("zzz", "zzz", T0);
    HostnameClaim tieA = new HostnameClaim("apps", "web", T1);
    HostnameClaim tieB = new HostnameClaim("blog", "aaa", T1);
    HostnameClaim sameNsA = new HostnameClaim("apps", "a", T1);
    HostnameClaim unknownAge = new HostnameClaim("aaa", "aaa", null);
    HostnameClaim alsoUnknown = new HostnameClaim("aaa", "bbb", null);
    return Stream.of(
        Arguments.of(
            "the oldest creation time wins, whatever its name",
            List.of(tieA, oldest, tieB),
            oldest),
        Arguments.of("at equal time the namespace decides", List.of(tieB, tieA), tieA),
        Arguments.of(
            "at equal time and namespace the name decides", List.of(tieA, sameNsA), sameNsA),
        Arguments.of(
            "a claim without creation time sorts after every dated one",
            List.of(unknownAge, tieB),
            tieB),
        Arguments.of(
            "claims without creation time fall back to namespace and name",
            List.of(alsoUnknown, unknownAge),
            unknownAge));
  }

  @Test
  void aSingleClaimHoldsItsHostName() {
    HostnameClaim only = new HostnameClaim("apps", "web", T0);

    assertThat(HostnameClaim.holder(List.of(only))).contains(only);
  }

  @Test
  void noClaimsNoHolder() {
    assertThat(HostnameClaim.holder(List.of())).isEmpty();
  }

  @Test
  void keyIsNamespaceSlashName() {
    assertThat(new HostnameClaim("apps", "web", T0).key()).isEqualTo("apps/web");
    assertThat(new HostnameClaim("apps", "web", null).key()).isEqualTo("apps/web");
  }

  private static List<List<HostnameClaim>> permutations(List<HostnameClaim> claims) {
    if (claims.size() <= 1) {
      return List.of(claims);
    }
    List<List<HostnameClaim>> all = new ArrayList<>();
    for (int i = 0; i < claims.size(); i++) {
      List<HostnameClaim> rest = new ArrayList<>(claims);
      HostnameClaim first = rest.remove(i);
      for (List<HostnameClaim> tail : permutations(rest)) {
        List<HostnameClaim> order = new ArrayList<>();
        order.add(first);
        order.addAll(tail);
        all.add(order);
      }
    }
    return all;
  }
}
