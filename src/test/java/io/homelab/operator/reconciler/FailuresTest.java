package io.homelab.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailuresTest {

  private final ManualClock clock = new ManualClock();
  private final Failures failures = failures(clock);

  private static Failures failures(ManualClock clock) {
    Failures failures = new Failures();
    failures.clock = clock;
    return failures;
  }

  /** A failure at the retry time the previous one set, as a rescheduled reconcile comes. */
  private Duration failedOnTime(HasMetadata object, Duration previous) {
    clock.advance(previous);
    return failures.failed(object);
  }

  @Test
  void consecutiveFailuresBackOffFromTwoSecondsDoublingUpToFiveMinutes() {
    Route app = route("app", "uid-1");

    List<Duration> delays = new ArrayList<>();
    delays.add(failures.failed(app));
    for (int i = 1; i < 11; i++) {
      delays.add(failedOnTime(app, delays.get(i - 1)));
    }

    assertThat(delays)
        .extracting(Duration::toSeconds)
        .containsExactly(2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 300L, 300L, 300L);
    assertThat(failures.count(app)).isEqualTo(11);
  }

  @Test
  void aSuccessStartsTheNextFailureFromTheInitialDelay() {
    Route app = route("app", "uid-1");
    Duration d = failures.failed(app);
    d = failedOnTime(app, d);
    failedOnTime(app, d);

    failures.succeeded(app);

    assertThat(failures.count(app)).isZero();
    assertThat(failures.failed(app)).isEqualTo(Duration.ofSeconds(2));
    assertThat(failedOnTime(app, Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void aSuccessOfAnObjectWithoutFailuresChangesNothing() {
    Route app = route("app", "uid-1");

    failures.succeeded(app);

    assertThat(failures.count(app)).isZero();
    assertThat(failures.failed(app)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void eachObjectBacksOffOnItsOwn() {
    Route app = route("app", "uid-1");
    Route blog = route("blog", "uid-2");
    failures.failed(app);
    Duration d = failedOnTime(app, Duration.ofSeconds(2));

    assertThat(failures.failed(blog)).isEqualTo(Duration.ofSeconds(2));
    assertThat(failedOnTime(app, d)).isEqualTo(Duration.ofSeconds(8));

    failures.succeeded(blog);
    assertThat(failedOnTime(app, Duration.ofSeconds(8))).isEqualTo(Duration.ofSeconds(16));
  }

  @Test
  void objectsAreTrackedByUidNotByInstanceNameOrKind() {
    // Each reconcile sees a fresh copy from the informer cache: the count must follow the UID.
    failures.failed(route("app", "uid-1"));
    assertThat(failedOnTime(route("app", "uid-1"), Duration.ofSeconds(2)))
        .isEqualTo(Duration.ofSeconds(4));

    // The same name re-created is another object, and so is another kind of the same name.
    assertThat(failures.failed(route("app", "uid-3"))).isEqualTo(Duration.ofSeconds(2));
    assertThat(failures.failed(guest("app", "uid-4"))).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aForgottenObjectStartsOver() {
    Route app = route("app", "uid-1");
    failures.failed(app);
    failedOnTime(app, Duration.ofSeconds(2));

    failures.forget(app);

    assertThat(failures.count(app)).isZero();
    assertThat(failures.failed(app)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void anAttemptAnEventBringsBeforeTheRetryTimeDoesNotDoubleTheDelay() {
    Route app = route("app", "uid-1");
    failedOnTime(app, failures.failed(app));
    assertThat(failures.count(app)).isEqualTo(2);

    // Events wake the object again and again before its retry, 4 s away: each attempt fails.
    clock.advance(Duration.ofSeconds(1));
    assertThat(failures.failed(app)).isEqualTo(Duration.ofSeconds(3));
    clock.advance(Duration.ofSeconds(2));
    assertThat(failures.failed(app)).isEqualTo(Duration.ofSeconds(1));
    assertThat(failures.count(app)).as("the early attempts do not escalate").isEqualTo(2);

    // The scheduled retry fails too: now the delay doubles.
    clock.advance(Duration.ofSeconds(1));
    assertThat(failures.failed(app)).isEqualTo(Duration.ofSeconds(8));
    assertThat(failures.count(app)).isEqualTo(3);
  }

  @Test
  void anObjectBacksOffUntilItsRetryUnlessItsSpecChanged() {
    Route app = route("app", "uid-1");
    assertThat(failures.backingOff(app)).isEmpty();
    failures.failed(app);

    clock.advance(Duration.ofMillis(500));
    assertThat(failures.backingOff(app)).contains(Duration.ofMillis(1500));
    app.getMetadata().setGeneration(2L);
    assertThat(failures.backingOff(app)).as("a changed spec is tried at once").isEmpty();
    app.getMetadata().setGeneration(1L);
    clock.advance(Duration.ofMillis(1500));
    assertThat(failures.backingOff(app)).as("the retry is due").isEmpty();
  }

  private static Route route(String name, String uid) {
    return withMetadata(new Route(), name, uid);
  }

  private static Guest guest(String name, String uid) {
    return withMetadata(new Guest(), name, uid);
  }

  private static <T extends HasMetadata> T withMetadata(T object, String name, String uid) {
    object.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("apps")
            .withName(name)
            .withUid(uid)
            .withGeneration(1L)
            .build());
    return object;
  }
}
