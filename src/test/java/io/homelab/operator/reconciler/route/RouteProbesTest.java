package io.homelab.operator.reconciler.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.homelab.operator.driver.probe.ProbeResult;
import io.homelab.operator.model.ExpectedStatus;
import io.homelab.operator.model.ProbeTarget;
import io.homelab.operator.model.Verdict;
import io.homelab.operator.status.ConditionStatus;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.status.Reason;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The condition each probe result gives. */
class RouteProbesTest {

  private static final ProbeTarget TARGET =
      new ProbeTarget(
          "app.example.com", "203.0.113.10", 443, "/", ExpectedStatus.parse(List.of("200-399")));

  @Test
  void eachResultHasItsReason() {
    assertThat(verdict(ProbeResult.answered(200, Duration.ofMillis(30))))
        .isEqualTo(
            new Verdict(
                ConditionType.PROBE_SUCCEEDED,
                ConditionStatus.True,
                Reason.ANSWERED,
                "GET https://app.example.com/ through 203.0.113.10:443 answered 200 (expected"
                    + " 200-399)"));
    assertThat(verdict(ProbeResult.answered(502, Duration.ofMillis(30))).message())
        .isEqualTo(
            "GET https://app.example.com/ through 203.0.113.10:443 answered 502, expected 200-399"
                + " (spec.probe.expectedStatus)");
    assertThat(reason(ProbeResult.answered(502, Duration.ZERO)))
        .isEqualTo(Reason.UNEXPECTED_STATUS);
    assertThat(reason(fail(ProbeResult.Outcome.TIMEOUT, "no answer within 10 s")))
        .isEqualTo(Reason.PROBE_TIMEOUT);
    assertThat(reason(fail(ProbeResult.Outcome.TLS_FAILED, "No subject alternative DNS name")))
        .isEqualTo(Reason.TLS_FAILED);
    assertThat(reason(fail(ProbeResult.Outcome.CONNECTION_FAILED, "Connection refused")))
        .isEqualTo(Reason.CONNECTION_FAILED);
  }

  @Test
  void theSameResultAtAnotherSpeedIsTheSameCondition() {
    // A condition that carried the latency would be written at every probe.
    assertThat(verdict(ProbeResult.answered(200, Duration.ofMillis(12))))
        .isEqualTo(verdict(ProbeResult.answered(200, Duration.ofMillis(900))));
    assertThat(verdict(fail(ProbeResult.Outcome.TIMEOUT, "no answer within 10 s")))
        .isEqualTo(
            verdict(
                ProbeResult.failed(
                    ProbeResult.Outcome.TIMEOUT, Duration.ofSeconds(11), "no answer within 10 s")));
  }

  private static ProbeResult fail(ProbeResult.Outcome outcome, String detail) {
    return ProbeResult.failed(outcome, Duration.ofSeconds(10), detail);
  }

  private static Verdict verdict(ProbeResult result) {
    return RouteProbes.verdict(TARGET, result);
  }

  private static String reason(ProbeResult result) {
    Verdict v = verdict(result);
    assertThat(v.type()).isEqualTo(ConditionType.PROBE_SUCCEEDED);
    assertThat(v.status()).as("every failure is False").isEqualTo(ConditionStatus.False);
    return v.reason();
  }
}
