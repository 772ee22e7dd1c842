package io.homelab.operator.sandbox.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The summary of start-to-ready runs: medians of unordered starts, per way of starting. */
class StartRunTest {

  private static List<Duration> millis(long... values) {
    List<Duration> list = new ArrayList<>();
    for (long v : values) {
      list.add(Duration.ofMillis(v));
    }
    return list;
  }

  @Test
  void theMedianOfAnOddCountIsTheMiddleStart() {
    assertThat(StartRun.median(millis(4170, 6700, 4990))).isEqualTo(Duration.ofMillis(4990));
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleStarts() {
    assertThat(StartRun.median(millis(5000, 3000, 4000, 9000))).isEqualTo(Duration.ofMillis(4500));
  }

  @Test
  void theSummaryGivesEachWayItsMedianLowestAndHighest() {
    Map<String, StartRun.Times> times = new LinkedHashMap<>();
    times.put("without AOT cache", new StartRun.Times(millis(6700, 5600, 7150), millis(6430)));
    times.put("with AOT cache", new StartRun.Times(millis(4110, 4990, 4170), List.of()));

    String summary = new StartRun(List.of(), 0, null, System.out).summary(times);

    assertThat(summary.lines())
        .containsExactly(
            "Start to ready, without AOT cache: median 6.70 s (lowest 5.60, highest 7.15, 3"
                + " starts; Quarkus' own median 6.43 s)",
            "Start to ready, with AOT cache: median 4.17 s (lowest 4.11, highest 4.99, 3 starts;"
                + " Quarkus' own median not logged)");
  }
}
