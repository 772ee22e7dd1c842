package io.homelab.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Leader election, so that two replicas can run: only the leader reconciles (and so only the leader
 * polls and probes). One lease per installation, named after its ownerId. The Quarkus Operator SDK
 * activates it in the prod profile (quarkus.operator-sdk.activate-leader-election-for-profiles).
 */
@Singleton
public class LeaderElection {

  @Produces
  @Singleton
  @Unremovable
  LeaderElectionConfiguration leaderElection(OperatorSettings settings) {
    return new LeaderElectionConfiguration(leaseName(settings.ownerId()));
  }

  static String leaseName(String ownerId) {
    return "homelab-operator-" + ownerId;
  }
}
