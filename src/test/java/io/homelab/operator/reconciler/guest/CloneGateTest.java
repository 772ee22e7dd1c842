package io.homelab.operator.reconciler.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Clones of one template one at a time, a bound per node, and leases that lapse. */
class CloneGateTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  final CloneGate gate = new CloneGate();

  @Test
  void oneTemplateIsClonedByOneGuestAtATime() {
    assertThat(gate.tryAcquire("pve/9000", "pve1", "a", 2, T0)).isTrue();
    assertThat(gate.tryAcquire("pve/9000", "pve1", "b", 2, T0)).isFalse();
    assertThat(gate.tryAcquire("pve/9000", "pve1", "a", 2, T0)).as("the holder again").isTrue();
    gate.release("a");
    assertThat(gate.tryAcquire("pve/9000", "pve1", "b", 2, T0)).isTrue();
  }

  @Test
  void clonesOnOneNodeAreBounded() {
    assertThat(gate.tryAcquire("pve/9000", "pve1", "a", 2, T0)).isTrue();
    assertThat(gate.tryAcquire("pve/9001", "pve1", "b", 2, T0)).isTrue();
    assertThat(gate.tryAcquire("pve/9002", "pve1", "c", 2, T0)).isFalse();
    assertThat(gate.tryAcquire("pve/9002", "pve2", "c", 2, T0)).as("another node").isTrue();
    gate.release("b");
    assertThat(gate.tryAcquire("pve/9003", "pve1", "d", 2, T0)).isTrue();
  }

  @Test
  void aLeaseNeverReleasedLapses() {
    assertThat(gate.tryAcquire("pve/9000", "pve1", "crashed", 1, T0)).isTrue();
    Instant before = T0.plus(CloneGate.LAPSE).minusSeconds(1);
    assertThat(gate.tryAcquire("pve/9000", "pve1", "b", 1, before)).isFalse();
    Instant after = T0.plus(CloneGate.LAPSE).plusSeconds(1);
    assertThat(gate.tryAcquire("pve/9000", "pve1", "b", 1, after)).isTrue();
  }
}
