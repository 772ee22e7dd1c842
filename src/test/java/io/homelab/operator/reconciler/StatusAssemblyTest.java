package io.homelab.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.homelab.operator.api.Condition;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.route.RouteStatus;
import io.homelab.operator.model.Verdict;
import io.homelab.operator.status.ConditionStatus;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.status.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatusAssemblyTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final Clock AT_T0 = Clock.fixed(T0, ZoneOffset.UTC);
  private static final Clock AT_T1 = Clock.offset(AT_T0, Duration.ofMinutes(5));
  private static final String T0_TEXT = "2026-01-01T10:00:00Z";
  private static final String T1_TEXT = "2026-01-01T10:05:00Z";

  private static final Verdict ACCEPTED =
      Verdict.isTrue(ConditionType.ACCEPTED, Reason.ACCEPTED, "fine");
  private static final Verdict RESOLVED =
      Verdict.isTrue(ConditionType.RESOLVED_REFS, "ResolvedRefs", "all there");
  private static final Verdict PAUSED =
      Verdict.isTrue(ConditionType.PAUSED, Reason.PAUSED_BY_ANNOTATION, "paused by annotation");
  private static final List<String> HOPS =
      List.of(ConditionType.DNS_READY, ConditionType.EDGE_READY);
  private static final String PENDING = "not driven yet";

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void readyIsTheConjunctionOfVerdictsAndHops(
      String description,
      List<Verdict> verdicts,
      List<String> hops,
      ConditionStatus ready,
      String reason,
      String messagePrefix) {
    RouteStatus status = assemble(route(1L, null), AT_T0, verdicts, hops, null);

    Condition readyCondition = condition(status, ConditionType.READY);
    assertThat(readyCondition.getStatus()).isEqualTo(ready.name());
    assertThat(readyCondition.getReason()).isEqualTo(reason);
    assertThat(readyCondition.getMessage()).startsWith(messagePrefix);
  }

  static Stream<Arguments> readyIsTheConjunctionOfVerdictsAndHops() {
    Verdict conflict =
        Verdict.isFalse(ConditionType.ACCEPTED, "HostnameConflict", "held by apps/older");
    Verdict pending = Verdict.unknown(ConditionType.ACCEPTED, Reason.PENDING, "waiting");
    Verdict noTunnel =
        Verdict.isFalse(ConditionType.RESOLVED_REFS, "TunnelNotFound", "no apps/home");
    return Stream.of(
        Arguments.of(
            "every verdict True, no hops",
            List.of(ACCEPTED, RESOLVED),
            List.of(),
            ConditionStatus.True,
            Reason.READY,
            "All of"),
        Arguments.of(
            "every verdict True, hops not driven yet",
            List.of(ACCEPTED, RESOLVED),
            HOPS,
            ConditionStatus.Unknown,
            Reason.PENDING,
            ConditionType.DNS_READY + ": " + PENDING),
        Arguments.of(
            "a False verdict",
            List.of(conflict, RESOLVED),
            HOPS,
            ConditionStatus.False,
            "HostnameConflict",
            "Accepted: held by apps/older"),
        Arguments.of(
            "a False verdict decides over an Unknown one before it",
            List.of(pending, noTunnel),
            HOPS,
            ConditionStatus.False,
            "TunnelNotFound",
            "ResolvedRefs: no apps/home"),
        Arguments.of(
            "else the first verdict that is not True decides",
            List.of(pending, RESOLVED),
            HOPS,
            ConditionStatus.Unknown,
            Reason.PENDING,
            "Accepted: waiting"),
        Arguments.of(
            "a False verdict after a True one",
            List.of(ACCEPTED, noTunnel),
            HOPS,
            ConditionStatus.False,
            "TunnelNotFound",
            "ResolvedRefs: no apps/home"),
        Arguments.of(
            "no verdicts and no hops",
            List.of(),
            List.of(),
            ConditionStatus.True,
            Reason.READY,
            "All of"));
  }

  @Test
  void everyVerdictAndHopIsShownInOrderThenReady() {
    RouteStatus status = assemble(route(1L, null), AT_T0, List.of(ACCEPTED, RESOLVED), HOPS, null);

    assertThat(status.getConditions())
        .extracting(Condition::getType)
        .containsExactly(
            ConditionType.ACCEPTED,
            ConditionType.RESOLVED_REFS,
            ConditionType.DNS_READY,
            ConditionType.EDGE_READY,
            ConditionType.READY);
    assertThat(condition(status, ConditionType.EDGE_READY))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("Unknown");
              assertThat(c.getReason()).isEqualTo(Reason.PENDING);
              assertThat(c.getMessage()).isEqualTo(PENDING);
            });
  }

  @Test
  void pausedIsShownButDoesNotGateReady() {
    RouteStatus status =
        assemble(route(1L, null), AT_T0, List.of(ACCEPTED, RESOLVED), List.of(), PAUSED);

    assertThat(condition(status, ConditionType.PAUSED))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo(Reason.PAUSED_BY_ANNOTATION);
              assertThat(c.getMessage()).isEqualTo("paused by annotation");
            });
    assertThat(condition(status, ConditionType.READY).getStatus()).isEqualTo("True");
    assertThat(condition(status, ConditionType.READY).getMessage())
        .doesNotContain(ConditionType.PAUSED);
  }

  @Test
  void whilePausedReadyStillFollowsTheHops() {
    RouteStatus status =
        assemble(route(1L, null), AT_T0, List.of(ACCEPTED, RESOLVED), HOPS, PAUSED);

    assertThat(condition(status, ConditionType.READY).getStatus()).isEqualTo("Unknown");
    assertThat(condition(status, ConditionType.READY).getMessage())
        .startsWith(ConditionType.DNS_READY);
  }

  @Test
  void pausedDisappearsOnceWritesAreAllowedAgain() {
    RouteStatus before =
        assemble(route(1L, null), AT_T0, List.of(ACCEPTED, RESOLVED), List.of(), PAUSED);

    RouteStatus after =
        assemble(route(1L, before), AT_T1, List.of(ACCEPTED, RESOLVED), List.of(), null);

    assertThat(after.getConditions())
        .extracting(Condition::getType)
        .doesNotContain(ConditionType.PAUSED);
  }

  @Test
  void observedGenerationIsTheObjectsGenerationOnTheStatusAndEveryCondition() {
    RouteStatus status = assemble(route(7L, null), AT_T0, List.of(ACCEPTED), HOPS, PAUSED);

    assertThat(status.getObservedGeneration()).isEqualTo(7L);
    assertThat(status.getConditions())
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(7L));
  }

  @Test
  void anObjectWithoutGenerationIsReportedAsGenerationZero() {
    RouteStatus status = assemble(route(null, null), AT_T0, List.of(ACCEPTED), List.of(), null);

    assertThat(status.getObservedGeneration()).isZero();
  }

  @Test
  void unchangedConditionsKeepTheirTransitionTimeAcrossReconciles() {
    RouteStatus first = assemble(route(1L, null), AT_T0, List.of(ACCEPTED, RESOLVED), HOPS, null);
    Verdict lost = Verdict.isFalse(ConditionType.RESOLVED_REFS, "TunnelNotFound", "gone");

    RouteStatus second = assemble(route(2L, first), AT_T1, List.of(ACCEPTED, lost), HOPS, null);

    assertThat(condition(second, ConditionType.ACCEPTED).getLastTransitionTime())
        .isEqualTo(T0_TEXT);
    assertThat(condition(second, ConditionType.DNS_READY).getLastTransitionTime())
        .isEqualTo(T0_TEXT);
    assertThat(condition(second, ConditionType.RESOLVED_REFS).getLastTransitionTime())
        .isEqualTo(T1_TEXT);
    // Ready went from Unknown (hops) to False (ResolvedRefs).
    assertThat(condition(second, ConditionType.READY).getLastTransitionTime()).isEqualTo(T1_TEXT);
    assertThat(second.getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void assembleFillsAndReturnsTheGivenStatusKeepingItsOtherFields() {
    RouteStatus given = new RouteStatus();
    given.setUrl("https://app.example.com");
    given.setProxyHostId(42L);

    RouteStatus returned =
        StatusAssembly.assemble(
            route(1L, null), given, AT_T0, List.of(ACCEPTED), List.of(), PENDING, null);

    assertThat(returned).isSameAs(given);
    assertThat(returned.getUrl()).isEqualTo("https://app.example.com");
    assertThat(returned.getProxyHostId()).isEqualTo(42L);
  }

  @Test
  void aFailureKeepsThePreviousConditionsAndTurnsReadyFalseWithItsReason() {
    RouteStatus before =
        assemble(route(1L, null), AT_T0, List.of(ACCEPTED, RESOLVED), List.of(), null);
    List<Condition> previous = List.copyOf(before.getConditions());

    RouteStatus after =
        StatusAssembly.failed(
            route(2L, before),
            new RouteStatus(),
            AT_T1,
            Reason.RECONCILE_ERROR,
            "java.lang.IllegalStateException: boom");

    assertThat(condition(after, ConditionType.ACCEPTED))
        .usingRecursiveComparison()
        .isEqualTo(previous.get(0));
    assertThat(condition(after, ConditionType.RESOLVED_REFS))
        .usingRecursiveComparison()
        .isEqualTo(previous.get(1));
    assertThat(condition(after, ConditionType.READY))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo(Reason.RECONCILE_ERROR);
              assertThat(c.getMessage()).isEqualTo("java.lang.IllegalStateException: boom");
              assertThat(c.getLastTransitionTime()).isEqualTo(T1_TEXT);
            });
    assertThat(after.getConditions()).hasSize(3);
  }

  @Test
  void aFailureDoesNotClaimToHaveObservedTheNewGeneration() {
    RouteStatus before = assemble(route(1L, null), AT_T0, List.of(ACCEPTED), List.of(), null);

    RouteStatus after =
        StatusAssembly.failed(
            route(2L, before), new RouteStatus(), AT_T1, Reason.RECONCILE_ERROR, "boom");

    // Nothing of generation 2 was evaluated but the failure itself.
    assertThat(after.getObservedGeneration()).isEqualTo(1L);
    assertThat(condition(after, ConditionType.ACCEPTED).getObservedGeneration()).isEqualTo(1L);
  }

  @Test
  void aFailureBeforeAnyStatusShowsOnlyReady() {
    RouteStatus after =
        StatusAssembly.failed(
            route(1L, null), new RouteStatus(), AT_T0, Reason.RECONCILE_ERROR, "boom");

    assertThat(after.getObservedGeneration()).isNull();
    assertThat(after.getConditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getType()).isEqualTo(ConditionType.READY);
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo(Reason.RECONCILE_ERROR);
              assertThat(c.getLastTransitionTime()).isEqualTo(T0_TEXT);
            });
  }

  @Test
  void repeatedFailuresKeepReadysTransitionTime() {
    RouteStatus first =
        StatusAssembly.failed(
            route(1L, null), new RouteStatus(), AT_T0, Reason.RECONCILE_ERROR, "boom");

    RouteStatus second =
        StatusAssembly.failed(
            route(1L, first), new RouteStatus(), AT_T1, Reason.RECONCILE_ERROR, "boom again");

    assertThat(condition(second, ConditionType.READY).getLastTransitionTime()).isEqualTo(T0_TEXT);
    assertThat(condition(second, ConditionType.READY).getMessage()).isEqualTo("boom again");
  }

  private static RouteStatus assemble(
      Route route, Clock clock, List<Verdict> verdicts, List<String> hops, Verdict paused) {
    return StatusAssembly.assemble(
        route, new RouteStatus(), clock, verdicts, hops, PENDING, paused);
  }

  private static Route route(Long generation, RouteStatus status) {
    Route route = new Route();
    route.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("apps")
            .withName("app")
            .withGeneration(generation)
            .build());
    route.setStatus(status);
    return route;
  }

  private static Condition condition(RouteStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " condition"));
  }
}
