package io.homelab.operator.sandbox.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.homelab.operator.harness.OperatorProcess;
import io.homelab.operator.sandbox.OperatorChild;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The benchmark at a small size, as a regression test on what it counts, never on times: the
 * packaged operator with 50 Routes and 5 Guests reads each system once per poll and writes nothing
 * at steady state, writes once to the one system concerned when a Route field changes, and meets no
 * Cloudflare 429 and no Proxmox lock on the way. The counts are the simulators' own.
 */
class BenchmarkIT {

  static final int ROUTES = 50;
  static final int GUESTS = 5;

  @Test
  void countedFiguresAtFiftyRoutesAndFiveGuests() {
    assertThat(OperatorProcess.JAR)
        .as("the packaged operator: run `mvn -B verify`, which builds it before the *IT tests")
        .isRegularFile();
    SizeRun.Plan plan =
        new SizeRun.Plan(
            ROUTES,
            GUESTS,
            Duration.ofMillis(5),
            Duration.ofMillis(200),
            Duration.ofSeconds(2),
            3,
            0,
            Duration.ofMinutes(3),
            Path.of("target", "benchmark-it"),
            OperatorChild.Jvm.defaults());
    SizeRun.Figures f = new SizeRun(plan, System.out).run();

    System.out.println(new Report(java.util.List.of(f)).table());
    assertThat(f.steady().totalWrites())
        .as("writes at steady state over %d polls: %s", f.steadyPolls(), f.steady())
        .isZero();
    for (var allowed : Report.READS_PER_POLL.entrySet()) {
      // A count over k poll intervals can catch k + 1 polls; per-object polling would read
      // ROUTES times as much.
      assertThat(f.steady().reads(allowed.getKey()))
          .as("%s reads over %d polls: %s", allowed.getKey(), f.steadyPolls(), f.steady())
          .isLessThanOrEqualTo((long) allowed.getValue() * (f.steadyPolls() + 1));
    }
    assertThat(f.dnsChange().writesText())
        .as("writes after one Route's dns.proxied changed")
        .isEqualTo(Counts.CLOUDFLARE + " 1");
    assertThat(f.npmChange().writesText())
        .as("writes after one Route's websockets changed")
        .isEqualTo(Counts.NPM + " 1");
    assertThat(f.coldCounts().cloudflare429())
        .as("Cloudflare 429 answers while %d Routes became Ready", ROUTES)
        .isZero();
    assertThat(f.lockRefusals()).as("Proxmox requests refused for a lock").isZero();
  }
}
