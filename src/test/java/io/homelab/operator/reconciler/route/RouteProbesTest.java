package io.homelab.operator.reconciler.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.homelab.operator.api.Condition;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.route.RouteStatus;
import io.homelab.operator.config.OperatorSettings;
import io.homelab.operator.driver.probe.ProbeResult;
import io.homelab.operator.model.ExpectedStatus;
import io.homelab.operator.model.ProbeTarget;
import io.homelab.operator.model.Verdict;
import io.homelab.operator.status.ConditionStatus;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.status.Reason;
import io.homelab.operator.testing.ManualClock;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The condition each probe result gives, and the probes' schedule: one at a time per Route, a wake
 * only when the condition changes, gauges until the Route is forgotten.
 */
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

  @Test
  void oneProbeRunsAtATimeAndWakesTheRouteOnlyWhenTheConditionChanges() {
    ManualClock clock = new ManualClock();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    BlockingQueue<ProbeResult> answers = new LinkedBlockingQueue<>();
    AtomicInteger probed = new AtomicInteger();
    List<ResourceID> woken = new CopyOnWriteArrayList<>();
    RouteProbes probes = probes(clock, meters);
    probes.useProber(
        target -> {
          probed.incrementAndGet();
          try {
            return answers.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
    probes.events().setEventHandler(e -> woken.add(e.getRelatedCustomResourceID()));
    probes.events().start();
    Route route = route(null);
    ProbeTarget.Plan plan = new ProbeTarget.Plan(TARGET, null);
    try {
      assertThat(probes.observe(route, plan))
          .as("nothing to show before the first result")
          .isEmpty();
      assertThat(probes.observe(route, plan)).isEmpty();
      answers.add(ProbeResult.answered(200, Duration.ofMillis(40)));
      await().atMost(Duration.ofSeconds(5)).until(() -> woken.size() == 1);
      assertThat(probed).as("one probe while one runs").hasValue(1);
      assertThat(probes.observe(route, plan)).map(Verdict::reason).hasValue(Reason.ANSWERED);
      assertThat(probed).as("not due again before the interval").hasValue(1);
      assertThat(gauge(meters, RouteProbes.UP)).isEqualTo(1.0);
      assertThat(gauge(meters, RouteProbes.DURATION)).isEqualTo(0.04);
      assertThat(probes.dueIn(route)).hasValueSatisfying(d -> assertThat(d).isPositive());

      clock.advance(Duration.ofSeconds(60));
      answers.add(ProbeResult.answered(204, Duration.ofMillis(90)));
      probes.observe(route, plan);
      await("a new message wakes the Route")
          .atMost(Duration.ofSeconds(5))
          .until(() -> woken.size() == 2);
      assertThat(gauge(meters, RouteProbes.DURATION)).isEqualTo(0.09);

      clock.advance(Duration.ofSeconds(60));
      answers.add(ProbeResult.answered(204, Duration.ofMillis(70)));
      probes.observe(route, plan);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> gauge(meters, RouteProbes.DURATION) == 0.07);
      await("the same condition at another speed wakes nothing")
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(1))
          .until(() -> woken.size() == 2);

      clock.advance(Duration.ofSeconds(60));
      answers.add(ProbeResult.answered(502, Duration.ofMillis(30)));
      probes.observe(route, plan);
      await().atMost(Duration.ofSeconds(5)).until(() -> woken.size() == 3);
      assertThat(probes.observe(route, plan))
          .map(Verdict::reason)
          .hasValue(Reason.UNEXPECTED_STATUS);
      assertThat(gauge(meters, RouteProbes.UP)).isEqualTo(0.0);

      probes.forget(ResourceID.fromResource(route));
      assertThat(meters.find(RouteProbes.UP).gauges()).isEmpty();
      assertThat(meters.find(RouteProbes.DURATION).gauges()).isEmpty();
      assertThat(probes.dueIn(route)).isEmpty();
    } finally {
      probes.stop();
    }
  }

  @Test
  void aRestartedOperatorKeepsTheRoutesConditionUntilItsFirstResult() {
    RouteProbes probes = probes(new ManualClock(), new SimpleMeterRegistry());
    java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
    probes.useProber(
        target -> {
          try {
            answer.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return ProbeResult.answered(200, Duration.ZERO);
        });
    Condition stored = new Condition();
    stored.setType(ConditionType.PROBE_SUCCEEDED);
    stored.setStatus("False");
    stored.setReason(Reason.PROBE_TIMEOUT);
    stored.setMessage(
        "GET https://app.example.com/ through 203.0.113.10:443: no answer within 10 s");
    try {
      assertThat(probes.observe(route(stored), new ProbeTarget.Plan(TARGET, null)))
          .hasValue(
              Verdict.isFalse(
                  ConditionType.PROBE_SUCCEEDED, Reason.PROBE_TIMEOUT, stored.getMessage()));
    } finally {
      answer.countDown();
      probes.stop();
    }
  }

  private static RouteProbes probes(ManualClock clock, SimpleMeterRegistry meters) {
    RouteProbes probes =
        new RouteProbes() {
          @Override
          OperatorSettings.Probe config() {
            return new OperatorSettings.Probe() {
              @Override
              public boolean enabled() {
                return true;
              }

              @Override
              public Duration interval() {
                return Duration.ofSeconds(60);
              }

              @Override
              public Duration timeout() {
                return Duration.ofSeconds(10);
              }

              @Override
              public List<String> expectedStatus() {
                return List.of("200-399");
              }

              @Override
              public Optional<Path> caFile() {
                return Optional.empty();
              }
            };
          }
        };
    probes.clock = clock;
    probes.meters = meters;
    return probes;
  }

  private static Route route(Condition condition) {
    Route route = new Route();
    route.getMetadata().setNamespace("homelab");
    route.getMetadata().setName("app");
    if (condition != null) {
      route.setStatus(new RouteStatus());
      route.getStatus().setConditions(List.of(condition));
    }
    return route;
  }

  private static double gauge(SimpleMeterRegistry meters, String name) {
    Gauge gauge = meters.find(name).tags("namespace", "homelab", "route", "app").gauge();
    return gauge == null ? Double.NaN : gauge.value();
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
