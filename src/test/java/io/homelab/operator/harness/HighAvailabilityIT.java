package io.homelab.operator.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.sandbox.lab.Sh;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two packaged operators with leader election against one API server: only the leader talks to the
 * external systems, and when it is killed the other takes over within the lease duration and
 * finishes the work.
 *
 * <p>Who talks to a simulator is seen from the machine's socket table ({@code ss -tnp}, sampled
 * every 100 ms): each TCP connection to a simulator's port, with the process that holds it. The
 * standby must hold none, and while no operator leads, the simulators' request logs must not grow.
 */
class HighAvailabilityIT {

  static final String NAMESPACE = "ha";
  static final Duration LEASE_DURATION = Duration.ofSeconds(15);
  static final Duration RETRY_PERIOD = Duration.ofSeconds(2);

  /**
   * The lease runs out, then the standby tries again: the client's elector waits its retry period
   * with a jitter of up to 1.2 times more between tries, so a standby acquires at most the lease
   * plus 2.2 retry periods after the last renewal.
   */
  static final Duration TAKEOVER_BOUND =
      LEASE_DURATION.plus(Duration.ofMillis(RETRY_PERIOD.toMillis() * 22 / 10));

  static final Duration DEADLINE = Duration.ofSeconds(120);
  static final Pattern SS_LINE =
      Pattern.compile("\\S+\\s+\\S+\\s+\\S+:(\\d+)\\s+\\S+:(\\d+)\\s+users:.*?pid=(\\d+)");

  private SimulatedHomelab homelab;
  private OperatorProcess first;
  private OperatorProcess second;
  private ScheduledExecutorService sampler;

  @AfterEach
  void stop() {
    if (sampler != null) {
      sampler.shutdownNow();
    }
    for (OperatorProcess p : new OperatorProcess[] {first, second}) {
      if (p != null) {
        p.close();
      }
    }
    if (homelab != null) {
      homelab.close();
    }
  }

  @Test
  void onlyTheLeaderWritesAndTheStandbyTakesOverWithinTheLease() {
    homelab = new SimulatedHomelab(NAMESPACE);
    first = homelab.operator("ha-a").start();
    awaitOrFail("ha-a to hold the Lease", () -> "ha-a".equals(holder()));
    second = homelab.operator("ha-b").start();
    Map<Long, Set<Integer>> connections = new ConcurrentHashMap<>();
    Set<Integer> ports = simulatorPorts();
    sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleWithFixedDelay(() -> sample(ports, connections), 0, 100, TimeUnit.MILLISECONDS);

    homelab.edge();
    homelab.tunnel("home0", 0);
    homelab.tunnel("home1", 1);
    for (int r = 0; r < 3; r++) {
      homelab.route("app0-" + r, "home0");
      homelab.route("app1-" + r, "home1");
    }
    homelab.guest("vm0", 0);
    homelab.guest("vm1", 1);
    awaitOrFail("everything Ready under ha-a", () -> notReady().isEmpty());
    assertThat(holder()).as("the leader").isEqualTo("ha-a");
    assertThat(connections.keySet())
        .as("processes connected to a simulator (ha-a is %d, ha-b %d)", first.pid(), second.pid())
        .containsExactly(first.pid());

    // The leader dies; no one leads until the Lease expires, and no request reaches a simulator.
    Lease atKill = lease();
    first.kill();
    Instant killed = Instant.now();
    long requestsAtKill = requests();
    connections.clear();
    homelab.route("late", "home0");
    AtomicReference<Long> requestsWithoutLeader = new AtomicReference<>();
    awaitOrFail(
        "ha-b to take the Lease over",
        () -> {
          long now = requests();
          if ("ha-b".equals(holder())) {
            return true;
          }
          requestsWithoutLeader.set(now);
          return false;
        });
    Duration takeover = Duration.between(killed, Instant.now());
    Lease taken = lease();
    Duration sinceLastRenew =
        Duration.between(
            atKill.getSpec().getRenewTime().toInstant(),
            taken.getSpec().getAcquireTime().toInstant());
    System.out.println(
        "HighAvailabilityIT: ha-b took over "
            + takeover.toMillis()
            + " ms after ha-a was killed, "
            + sinceLastRenew.toMillis()
            + " ms after ha-a's last renewal (lease "
            + atKill.getSpec().getLeaseDurationSeconds()
            + " s)");
    assertThat(requestsWithoutLeader.get())
        .as("requests the simulators served while no operator led")
        .isIn(null, requestsAtKill);
    assertThat(Duration.ofSeconds(atKill.getSpec().getLeaseDurationSeconds()))
        .isEqualTo(LEASE_DURATION);
    assertThat(sinceLastRenew)
        .as("from ha-a's last renewal to ha-b's acquisition")
        .isLessThanOrEqualTo(TAKEOVER_BOUND);

    awaitOrFail(
        "the Route made while no one led, and everything else, Ready under ha-b",
        () -> notReady().isEmpty() && homelab.list(Route.class).size() == 7);
    assertThat(connections.keySet())
        .as("processes connected to a simulator after the takeover (ha-b is %d)", second.pid())
        .containsExactly(second.pid());
    Set<String> hostnames =
        homelab.list(Route.class).stream()
            .map(r -> r.getSpec().getHostname())
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(homelab.proxyHosts().keySet()).isEqualTo(hostnames);
    assertThat(homelab.proxyHosts().values()).as("proxy hosts per name").containsOnly(1L);
    assertThat(homelab.records().values()).as("records per name").containsOnly(1L);
    assertThat(homelab.records()).hasSize(7);
    assertThat(homelab.caddyRoutes().keySet()).isEqualTo(hostnames);
    assertThat(homelab.peers()).hasSize(2).containsValues(1L);
    assertThat(homelab.guests()).hasSize(2).containsValues(1L);
  }

  private List<String> notReady() {
    List<String> names = new ArrayList<>();
    names.addAll(homelab.notReady(Edge.class));
    names.addAll(homelab.notReady(Tunnel.class));
    names.addAll(homelab.notReady(Route.class));
    names.addAll(homelab.notReady(Guest.class));
    return names;
  }

  /** Requests served by every simulator so far. */
  private long requests() {
    return homelab.npm.server().requests().size()
        + homelab.cloudflare.server().requests().size()
        + homelab.caddy.server().requests().size()
        + homelab.pve.requests().size();
  }

  private Set<Integer> simulatorPorts() {
    return Set.of(
        homelab.npm.server().uri().getPort(),
        homelab.cloudflare.apiUrl().getPort(),
        URI.create(homelab.pve.url()).getPort(),
        homelab.edge.port());
  }

  /** Which processes hold a TCP connection to one of the ports, from {@code ss -tnp}. */
  private static void sample(Set<Integer> ports, Map<Long, Set<Integer>> into) {
    for (String line : Sh.bash("ss -tnpH state established").out().split("\n")) {
      Matcher m = SS_LINE.matcher(line);
      if (m.find() && ports.contains(Integer.parseInt(m.group(2)))) {
        into.computeIfAbsent(Long.parseLong(m.group(3)), k -> new TreeSet<>())
            .add(Integer.parseInt(m.group(2)));
      }
    }
  }

  private Lease lease() {
    return homelab.client.leases().inNamespace(NAMESPACE).list().getItems().stream()
        .findFirst()
        .orElse(null);
  }

  private String holder() {
    Lease lease = lease();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private void awaitOrFail(String what, java.util.concurrent.Callable<Boolean> condition) {
    try {
      await(what)
          .atMost(DEADLINE)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(100))
          .until(condition);
    } catch (ConditionTimeoutException e) {
      Map<String, String> tails = new TreeMap<>();
      for (OperatorProcess p : new OperatorProcess[] {first, second}) {
        if (p != null) {
          tails.put(p.identity(), p.tail());
        }
      }
      throw new AssertionError(
          what
              + " did not happen within "
              + DEADLINE
              + "; not Ready: "
              + notReady()
              + "; "
              + homelab.externalSummary()
              + tails.values(),
          e);
    }
  }
}
