package io.homelab.operator.config;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Leader election, so that two replicas can run: only the leader reconciles (and so only the leader
 * polls and probes). One lease per installation, named after its ownerId. The Quarkus Operator SDK
 * activates it in the prod profile (quarkus.operator-sdk.activate-leader-election-for-profiles).
 *
 * <p>A replica that loses the lease exits (status 1), so that it starts again as a follower. The
 * exit is not the SDK's own: the SDK (5.3) calls {@code System.exit} from the callback that also
 * runs when the operator stops on SIGTERM, inside the JVM's shutdown, where {@code System.exit}
 * blocks for ever and the shutdown with it (the process then only ends by SIGKILL, and a JVM
 * writing an AOT cache at exit never writes it). Here the exit runs on a thread of its own: when
 * the lease is lost it ends the process; during a shutdown it waits harmlessly until the JVM ends.
 */
@Singleton
public class LeaderElection {

  private static final Logger LOG = Logger.getLogger(LeaderElection.class);

  @Produces
  @Singleton
  @Unremovable
  LeaderElectionConfiguration leaderElection(OperatorSettings settings) {
    String lease = leaseName(settings.ownerId());
    return configuration(
        settings.ownerId(),
        () -> {
          LOG.infof("No longer the leader of lease %s: exiting (unless already stopping)", lease);
          System.exit(1);
        });
  }

  /** The configuration: the SDK's defaults, except that losing the lease runs {@code exit}. */
  static LeaderElectionConfiguration configuration(String ownerId, Runnable exit) {
    return new LeaderElectionConfiguration(
        leaseName(ownerId),
        null,
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        null,
        new LeaderCallbacks(() -> {}, () -> exitApart(exit), identity -> {}),
        false);
  }

  /** Runs {@code exit} on a daemon thread of its own, so that the caller never waits for it. */
  static Thread exitApart(Runnable exit) {
    Thread thread = new Thread(exit, "leader-lost-exit");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  static String leaseName(String ownerId) {
    return "homelab-operator-" + ownerId;
  }
}
