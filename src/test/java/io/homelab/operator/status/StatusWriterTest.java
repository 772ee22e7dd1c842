package io.homelab.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.route.RouteStatus;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusWriterTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void anEqualStatusIsNotWritten() {
    Route route = route(status("Pending", 1L, "https://app.example.com"));

    // A fresh instance with the same content, as a reconcile would compute it.
    UpdateControl<Route> control =
        StatusWriter.patchIfChanged(route, status("Pending", 1L, "https://app.example.com"));

    assertThat(control.isNoUpdate()).isTrue();
    assertThat(control.isPatchStatus()).isFalse();
    assertThat(control.getScheduleDelay()).as("nothing written, nothing to follow up").isEmpty();
    assertThat(control.getResource()).isEmpty();
  }

  @Test
  void aDifferentStatusIsPatchedWhole() {
    RouteStatus old = status("Pending", 1L, "https://app.example.com");
    old.setProxyHostId(42L);
    Route route = route(old);
    // The new status no longer has a proxy host id: it must not survive in what is sent.
    RouteStatus computed = status("Pending", 2L, "https://app.example.com");

    UpdateControl<Route> control = StatusWriter.patchIfChanged(route, computed);

    assertThat(control.isPatchStatus()).isTrue();
    assertThat(control.getScheduleDelay())
        .as("a write asks for one more pass, so a spec change racing it is not lost")
        .contains(StatusWriter.FOLLOW_UP.toMillis());
    assertThat(control.isNoUpdate()).isFalse();
    assertThat(control.isPatchResource()).isFalse();
    assertThat(control.getResource())
        .hasValueSatisfying(
            r -> {
              assertThat(r.getStatus()).isSameAs(computed);
              assertThat(r.getStatus().getProxyHostId()).isNull();
              assertThat(r.getStatus().getObservedGeneration()).isEqualTo(2L);
            });
  }

  @Test
  void aChangeInOneConditionIsEnoughToPatch() {
    Route route = route(status("Pending", 1L, null));

    UpdateControl<Route> control = StatusWriter.patchIfChanged(route, status("Timeout", 1L, null));

    assertThat(control.isPatchStatus()).isTrue();
    assertThat(control.getResource())
        .hasValueSatisfying(
            r ->
                assertThat(r.getStatus().getConditions())
                    .extracting(c -> c.getReason())
                    .contains("Timeout"));
  }

  @Test
  void aResourceWithoutStatusGetsItsFirstStatus() {
    Route route = route(null);
    RouteStatus computed = status("Pending", 1L, null);

    UpdateControl<Route> control = StatusWriter.patchIfChanged(route, computed);

    assertThat(control.isPatchStatus()).isTrue();
    assertThat(control.getResource())
        .hasValueSatisfying(r -> assertThat(r.getStatus()).isSameAs(computed));
  }

  @Test
  void differsComparesWhatIsSerialised() {
    assertThat(StatusWriter.differs(status("Pending", 1L, null), status("Pending", 1L, null)))
        .isFalse();
    assertThat(StatusWriter.differs(status("Pending", 1L, null), status("Pending", 2L, null)))
        .isTrue();
    assertThat(
            StatusWriter.differs(
                status("Pending", 1L, null), status("Pending", 1L, "https://x.example.com")))
        .isTrue();
  }

  private static Route route(RouteStatus status) {
    Route route = new Route();
    route.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("homelab")
            .withName("app")
            .withGeneration(1L)
            .build());
    route.setStatus(status);
    return route;
  }

  private static RouteStatus status(String reason, long generation, String url) {
    RouteStatus status = new RouteStatus();
    status.setObservedGeneration(generation);
    status.setUrl(url);
    status.setConditions(
        ConditionSet.after(null, generation, CLOCK)
            .setTrue(ConditionType.ACCEPTED, Reason.ACCEPTED, "ok")
            .setUnknown(ConditionType.DNS_READY, reason, "later")
            .ready(List.of(ConditionType.DNS_READY))
            .toList());
    return status;
  }
}
