package io.homelab.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Leader election: one lease per ownerId, and an exit on a lost lease that never blocks the thread
 * that reports it (the SDK reports it from inside the JVM's shutdown too, where an exit that the
 * caller waits for would hang the process).
 */
class LeaderElectionTest {

  @Test
  void oneLeasePerOwnerIdWithTheSdkDefaults() {
    LeaderElectionConfiguration c = LeaderElection.configuration("home", () -> {});

    assertThat(c.getLeaseName()).isEqualTo("homelab-operator-home");
    assertThat(c.getLeaseNamespace()).as("the operator's own namespace").isEmpty();
    assertThat(c.getLeaseDuration())
        .isEqualTo(LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE);
    assertThat(c.getRenewDeadline())
        .isEqualTo(LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE);
    assertThat(c.getRetryPeriod())
        .isEqualTo(LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE);
  }

  @Test
  void theSdkItselfNeverExits() {
    assertThat(LeaderElection.configuration("home", () -> {}).isExitOnStopLeading()).isFalse();
  }

  @Test
  void aLostLeaseExitsWithoutBlockingTheThreadThatReportsIt() throws InterruptedException {
    CountDownLatch exitStarted = new CountDownLatch(1);
    CountDownLatch exitMayEnd = new CountDownLatch(1);
    // Blocks as System.exit does while the JVM's shutdown holds its lock.
    Runnable blockingExit =
        () -> {
          exitStarted.countDown();
          try {
            exitMayEnd.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    LeaderCallbacks callbacks =
        LeaderElection.configuration("home", blockingExit).getLeaderCallbacks().orElseThrow();

    assertTimeoutPreemptively(Duration.ofSeconds(5), callbacks::onStopLeading);

    assertThat(exitStarted.await(5, TimeUnit.SECONDS)).as("the exit ran").isTrue();
    exitMayEnd.countDown();
  }

  @Test
  void theExitThreadNeverKeepsTheJvmAlive() throws InterruptedException {
    Thread thread = LeaderElection.exitApart(() -> {});

    assertThat(thread.isDaemon()).isTrue();
    thread.join(5000);
    assertThat(thread.isAlive()).isFalse();
  }
}
