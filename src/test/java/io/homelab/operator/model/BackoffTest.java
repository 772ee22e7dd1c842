package io.homelab.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BackoffTest {

  private static final Duration MAX = Duration.ofMinutes(5);

  @ParameterizedTest(name = "failure {0}: {1}s")
  @CsvSource({
    "1, 2",
    "2, 4",
    "3, 8",
    "4, 16",
    "5, 32",
    "6, 64",
    "7, 128",
    "8, 256",
    // 512 s would pass the five-minute cap.
    "9, 300",
    "10, 300",
  })
  void theDefaultDoublesFromTwoSecondsUpToFiveMinutes(int failures, long seconds) {
    assertThat(Backoff.DEFAULT.delay(failures)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @Test
  void theFirstFailureWaitsTheInitialDelay() {
    Backoff backoff = new Backoff(Duration.ofMillis(750), Duration.ofSeconds(10));

    assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(750));
    assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(1500));
  }

  @ParameterizedTest(name = "{0} or fewer failures count as the first")
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void aCountBelowOneIsTreatedAsTheFirstFailure(int failures) {
    assertThat(Backoff.DEFAULT.delay(failures)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void theCapIsReachedExactlyWhenADoublingWouldPassIt() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8));

    assertThat(backoff.delay(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.delay(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(backoff.delay(5)).isEqualTo(Duration.ofSeconds(8));
  }

  @ParameterizedTest(name = "failure {0}")
  @ValueSource(
      ints = {
        11,
        30,
        31,
        32,
        33,
        62,
        63,
        64,
        65,
        1_000,
        1_000_000,
        Integer.MAX_VALUE - 1,
        Integer.MAX_VALUE
      })
  void hugeFailureCountsStayAtTheCapWithoutOverflowing(int failures) {
    // A shift past 63 bits would wrap to zero or a negative number: the delay must still be the
    // cap, never zero (a hot loop) or a negative duration.
    assertThat(Backoff.DEFAULT.delay(failures)).isEqualTo(MAX);
  }

  @Test
  void theDelayNeverShrinksAndNeverPassesTheCap() {
    Duration previous = Duration.ZERO;
    for (int failures = 1; failures <= 10_000; failures++) {
      Duration delay = Backoff.DEFAULT.delay(failures);
      assertThat(delay).as("failure %d", failures).isGreaterThanOrEqualTo(previous);
      assertThat(delay).as("failure %d", failures).isLessThanOrEqualTo(MAX);
      previous = delay;
    }
  }

  @Test
  void aSubMillisecondInitialDelayStillDoubles() {
    Backoff backoff = new Backoff(Duration.ofNanos(500_000), Duration.ofSeconds(1));

    assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(1));
    assertThat(backoff.delay(3)).isEqualTo(Duration.ofMillis(2));
  }

  @Test
  void theCapIsReachedEvenWhenItIsMoreThanThirtyDoublingsAway() {
    Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofDays(365));

    assertThat(backoff.delay(1_000)).isEqualTo(Duration.ofDays(365));
  }

  @Test
  void aLongInitialDelayNeverWrapsAroundToAShortOne() {
    // 2^40 + 1 ms shifted by 24 bits wraps to 2^24 ms (under five hours) in a long.
    Duration initial = Duration.ofMillis((1L << 40) + 1);
    Backoff backoff = new Backoff(initial, Duration.ofMillis(Long.MAX_VALUE));

    Duration previous = Duration.ZERO;
    for (int failures = 1; failures <= 100; failures++) {
      Duration delay = backoff.delay(failures);
      assertThat(delay).as("failure %d", failures).isGreaterThanOrEqualTo(previous);
      previous = delay;
    }
    assertThat(backoff.delay(100)).isEqualTo(Duration.ofMillis(Long.MAX_VALUE));
  }

  @Test
  void anInitialDelayAboveTheCapIsCapped() {
    Backoff backoff = new Backoff(Duration.ofMinutes(10), Duration.ofMinutes(5));

    assertThat(backoff.delay(1)).isEqualTo(Duration.ofMinutes(5));
    assertThat(backoff.delay(2)).isEqualTo(Duration.ofMinutes(5));
  }
}
