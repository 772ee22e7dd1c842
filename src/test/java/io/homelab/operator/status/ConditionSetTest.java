package io.homelab.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.homelab.operator.api.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionSetTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final Clock AT_T0 = Clock.fixed(T0, ZoneOffset.UTC);
  // An hour later, and not on a whole second, to show the time is written truncated.
  private static final Clock AT_T1 = Clock.offset(AT_T0, Duration.ofMinutes(60).plusMillis(250));

  private static final List<String> REQUIRED =
      List.of(ConditionType.RESOLVED_REFS, ConditionType.PEER_READY);

  @Test
  void aNewConditionTransitionsNow() {
    List<Condition> conditions =
        ConditionSet.after(null, 1, AT_T0).setTrue("Accepted", "Accepted", "fine").toList();

    assertThat(conditions)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getType()).isEqualTo("Accepted");
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("Accepted");
              assertThat(c.getMessage()).isEqualTo("fine");
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
              assertThat(c.getObservedGeneration()).isEqualTo(1L);
            });
  }

  @Test
  void anUnchangedStatusKeepsItsTransitionTimeEvenWhenReasonAndMessageChange() {
    List<Condition> before =
        ConditionSet.after(null, 1, AT_T0).setFalse("PeerReady", "Timeout", "no answer").toList();

    Condition after =
        only(
            ConditionSet.after(before, 2, AT_T1)
                .setFalse("PeerReady", "HandshakeMissing", "no handshake yet")
                .toList());

    assertThat(after.getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
    assertThat(after.getReason()).isEqualTo("HandshakeMissing");
    assertThat(after.getMessage()).isEqualTo("no handshake yet");
    assertThat(after.getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void aChangedStatusMovesTheTransitionTimeToTheClocksNow() {
    List<Condition> before =
        ConditionSet.after(null, 1, AT_T0).setFalse("PeerReady", "Timeout", "no answer").toList();

    Condition after =
        only(ConditionSet.after(before, 1, AT_T1).setTrue("PeerReady", "Ready", "up").toList());

    assertThat(after.getStatus()).isEqualTo("True");
    assertThat(after.getLastTransitionTime()).isEqualTo("2026-01-01T11:00:00Z");
    assertThat(after.getObservedGeneration()).isEqualTo(1L);
  }

  @Test
  void previousConditionsOfOtherTypesDoNotLendTheirTransitionTime() {
    List<Condition> before =
        ConditionSet.after(null, 1, AT_T0).setTrue("DnsReady", "Ready", "ok").toList();

    Condition after =
        only(ConditionSet.after(before, 1, AT_T1).setTrue("PeerReady", "Ready", "ok").toList());

    assertThat(after.getLastTransitionTime()).isEqualTo("2026-01-01T11:00:00Z");
  }

  @Test
  void readyIsTrueWhenEveryRequiredConditionIsTrue() {
    Condition ready =
        ready(
            ConditionSet.after(null, 3, AT_T0)
                .setTrue(ConditionType.RESOLVED_REFS, "Resolved", "ok")
                .setTrue(ConditionType.PEER_READY, "Ready", "ok")
                .ready(REQUIRED));

    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getReason()).isEqualTo(Reason.READY);
    assertThat(ready.getObservedGeneration()).isEqualTo(3L);
  }

  @Test
  void readyTakesStatusAndReasonOfTheFirstConditionThatIsNotTrue() {
    Condition ready =
        ready(
            ConditionSet.after(null, 1, AT_T0)
                .setTrue(ConditionType.RESOLVED_REFS, "Resolved", "ok")
                .setFalse(ConditionType.PEER_READY, "HandshakeMissing", "no handshake")
                .ready(REQUIRED));

    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("HandshakeMissing");
    assertThat(ready.getMessage()).contains(ConditionType.PEER_READY).contains("no handshake");
  }

  @Test
  void readyFollowsTheOrderOfTheRequiredTypesNotTheOrderTheyWereSet() {
    Condition ready =
        ready(
            ConditionSet.after(null, 1, AT_T0)
                .setUnknown(ConditionType.PEER_READY, "Pending", "not looked yet")
                .setUnknown(ConditionType.RESOLVED_REFS, "Pending", "not looked yet either")
                .ready(REQUIRED));

    assertThat(ready.getStatus()).isEqualTo("Unknown");
    assertThat(ready.getReason()).isEqualTo("Pending");
    assertThat(ready.getMessage()).contains(ConditionType.RESOLVED_REFS);
  }

  @Test
  void aFalseConditionMakesReadyFalseEvenAfterAnUnknownOne() {
    Condition ready =
        ready(
            ConditionSet.after(null, 1, AT_T0)
                .setFalse(ConditionType.PEER_READY, "HandshakeMissing", "no handshake")
                .setUnknown(ConditionType.RESOLVED_REFS, "Pending", "not looked yet")
                .ready(REQUIRED));

    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("HandshakeMissing");
    assertThat(ready.getMessage()).contains(ConditionType.PEER_READY);
  }

  @Test
  void aMissingRequiredConditionMakesReadyUnknown() {
    Condition ready =
        ready(
            ConditionSet.after(null, 1, AT_T0)
                .setTrue(ConditionType.RESOLVED_REFS, "Resolved", "ok")
                .ready(REQUIRED));

    assertThat(ready.getStatus()).isEqualTo("Unknown");
    assertThat(ready.getReason()).isNotBlank();
    assertThat(ready.getMessage()).contains(ConditionType.PEER_READY);
  }

  @Test
  void readyKeepsItsTransitionTimeWhileItsStatusStaysTheSame() {
    List<Condition> before =
        ConditionSet.after(null, 1, AT_T0)
            .setTrue(ConditionType.RESOLVED_REFS, "Resolved", "ok")
            .setFalse(ConditionType.PEER_READY, "Timeout", "no answer")
            .ready(REQUIRED)
            .toList();

    Condition ready =
        ready(
            ConditionSet.after(before, 2, AT_T1)
                .setFalse(ConditionType.RESOLVED_REFS, "EdgeNotFound", "no Edge vps")
                .setFalse(ConditionType.PEER_READY, "Timeout", "no answer")
                .ready(REQUIRED));

    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("EdgeNotFound");
    assertThat(ready.getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
    assertThat(ready.getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void everyConditionCarriesTheGenerationItWasComputedFrom() {
    List<Condition> conditions =
        ConditionSet.after(null, 7, AT_T0)
            .setTrue(ConditionType.ACCEPTED, Reason.ACCEPTED, "ok")
            .setUnknown(ConditionType.RESOLVED_REFS, Reason.PENDING, "later")
            .ready(REQUIRED)
            .toList();

    assertThat(conditions)
        .extracting(Condition::getType)
        .containsExactly(ConditionType.ACCEPTED, ConditionType.RESOLVED_REFS, ConditionType.READY);
    assertThat(conditions).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(7L));
  }

  private static Condition only(List<Condition> conditions) {
    assertThat(conditions).hasSize(1);
    return conditions.get(0);
  }

  private static Condition ready(ConditionSet set) {
    return set.toList().stream()
        .filter(c -> ConditionType.READY.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Ready condition"));
  }
}
