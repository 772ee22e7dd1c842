package io.homelab.operator.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator, killed with SIGKILL at seeded random moments while 50 Routes, 10 Tunnels
 * and 10 Guests converge, and again while half of them are being deleted, and started again after
 * each kill. In the end the external systems hold exactly the desired state: one proxy host, one
 * DNS record and one Caddy route per remaining Route, one peer per remaining Tunnel, one VM per
 * remaining Guest, and nothing of what was deleted.
 *
 * <p>System properties: {@code crash.seed} (default: the time; it is printed either way) and {@code
 * crash.kills} (kill points in all, half while creating and half while deleting; default 6, the
 * documented full run uses 24). Each kill comes a random 0 to {@value #MAX_KILL_DELAY_MS} ms after
 * the operator is ready, so it lands anywhere in its work.
 */
class CrashScaleIT {

  static final String NAMESPACE = "crash-scale";
  static final int TUNNELS = 10;
  static final int ROUTES_PER_TUNNEL = 5;
  static final int GUESTS = 10;
  static final int MAX_KILL_DELAY_MS = 4000;
  static final Duration CONVERGE_DEADLINE = Duration.ofSeconds(240);

  private SimulatedHomelab homelab;
  private OperatorProcess operator;

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
    if (homelab != null) {
      homelab.close();
    }
  }

  @Test
  void sigkillsAtSeededRandomPointsLeaveExactlyTheDesiredState() {
    long seed = Long.getLong("crash.seed", System.currentTimeMillis());
    int kills = Integer.getInteger("crash.kills", 6);
    assertThat(kills).as("crash.kills").isGreaterThanOrEqualTo(2);
    System.out.println(
        "CrashScaleIT: seed " + seed + ", " + kills + " kill points (-Dcrash.seed=" + seed + ")");
    Random random = new Random(seed);
    homelab = new SimulatedHomelab(NAMESPACE);
    operator = homelab.operator("crash-scale").start();
    List<String> killLog = new ArrayList<>();

    // The work comes in one batch per kill, so that every kill lands while there is work to do.
    List<Runnable> creations = new ArrayList<>();
    creations.add(homelab::edge);
    for (int t = 0; t < TUNNELS; t++) {
      int tunnel = t;
      creations.add(() -> homelab.tunnel(tunnel(tunnel), tunnel));
    }
    for (int g = 0; g < GUESTS; g++) {
      int guest = g;
      creations.add(() -> homelab.guest(guest(guest), guest));
    }
    for (int t = 0; t < TUNNELS; t++) {
      for (int r = 0; r < ROUTES_PER_TUNNEL; r++) {
        int tunnel = t;
        int route = r;
        creations.add(() -> homelab.route(route(tunnel, route), tunnel(tunnel)));
      }
    }
    int creationKills = kills / 2;
    for (int k = 0; k < creationKills; k++) {
      batch(creations, k, creationKills).forEach(Runnable::run);
      killLog.add(killAtRandom(random, "creating", k + 1));
    }
    awaitOrFail(
        "all 50 Routes, 10 Tunnels and 10 Guests Ready after " + creationKills + " kills",
        () -> notReady().isEmpty());
    settled(
        () ->
            assertExactly(
                IntStream.range(0, TUNNELS).boxed().toList(),
                IntStream.range(0, GUESTS).boxed().toList()));

    // Half of everything goes: the Routes of the odd Tunnels, those Tunnels, the odd Guests.
    List<Integer> keptTunnels =
        IntStream.range(0, TUNNELS).filter(t -> t % 2 == 0).boxed().toList();
    List<Integer> keptGuests = IntStream.range(0, GUESTS).filter(g -> g % 2 == 0).boxed().toList();
    List<Runnable> deletions = new ArrayList<>();
    for (int t = 1; t < TUNNELS; t += 2) {
      for (int r = 0; r < ROUTES_PER_TUNNEL; r++) {
        String name = route(t, r);
        deletions.add(() -> homelab.delete(Route.class, name));
      }
      String name = tunnel(t);
      deletions.add(() -> homelab.delete(Tunnel.class, name));
    }
    for (int g = 1; g < GUESTS; g += 2) {
      String name = guest(g);
      deletions.add(() -> homelab.delete(Guest.class, name));
    }
    int deletionKills = kills - creationKills;
    for (int k = 0; k < deletionKills; k++) {
      batch(deletions, k, deletionKills).forEach(Runnable::run);
      killLog.add(killAtRandom(random, "deleting", creationKills + k + 1));
    }
    awaitOrFail(
        "the deleted half gone and the rest Ready after " + kills + " kills",
        () ->
            notReady().isEmpty()
                && homelab.list(Route.class).size() == keptTunnels.size() * ROUTES_PER_TUNNEL
                && homelab.list(Tunnel.class).size() == keptTunnels.size()
                && homelab.list(Guest.class).size() == keptGuests.size());
    settled(() -> assertExactly(keptTunnels, keptGuests));
    System.out.println(
        "CrashScaleIT: seed "
            + seed
            + ", "
            + kills
            + " kills, outcome: exactly the desired state ("
            + homelab.externalSummary()
            + ")\n  "
            + String.join("\n  ", killLog));
  }

  /** Part {@code k} of {@code parts} of the work, in order. */
  private static List<Runnable> batch(List<Runnable> work, int k, int parts) {
    return work.subList(work.size() * k / parts, work.size() * (k + 1) / parts);
  }

  /** Lets the operator work for a seeded random time, kills it, starts it again. */
  private String killAtRandom(Random random, String phase, int number) {
    int delay = random.nextInt(MAX_KILL_DELAY_MS + 1);
    Instant ready = Instant.now();
    awaitOrFail(
        "the kill point " + delay + " ms after the start",
        () -> Duration.between(ready, Instant.now()).toMillis() >= delay);
    operator.kill();
    String line =
        String.format(
            "kill %2d (%s) %4d ms after its batch: %s; not Ready: %d objects",
            number, phase, delay, homelab.externalSummary(), notReady().size());
    operator.start();
    return line;
  }

  private List<String> notReady() {
    List<String> names = new ArrayList<>();
    names.addAll(homelab.notReady(Route.class));
    names.addAll(homelab.notReady(Tunnel.class));
    names.addAll(homelab.notReady(Guest.class));
    return names;
  }

  /** The external systems hold the kept objects, each exactly once, and nothing else. */
  private void assertExactly(List<Integer> tunnels, List<Integer> guests) {
    Set<String> hostnames =
        tunnels.stream()
            .flatMap(
                t ->
                    IntStream.range(0, ROUTES_PER_TUNNEL)
                        .mapToObj(r -> SimulatedHomelab.hostname(route(t, r))))
            .collect(Collectors.toSet());
    assertThat(homelab.proxyHosts()).as("NPM proxy hosts").isEqualTo(once(hostnames));
    assertThat(homelab.records())
        .as("Cloudflare records")
        .isEqualTo(once(hostnames.stream().map(h -> "A " + h).collect(Collectors.toSet())));
    assertThat(homelab.caddyRoutes()).as("Caddy routes").isEqualTo(once(hostnames));
    Set<String> keys =
        tunnels.stream()
            .map(
                t ->
                    homelab
                        .client
                        .resources(Tunnel.class)
                        .inNamespace(NAMESPACE)
                        .withName(tunnel(t))
                        .get())
            .map(t -> t.getStatus().getPublicKey())
            .collect(Collectors.toSet());
    assertThat(homelab.peers()).as("WireGuard peers, by public key").isEqualTo(once(keys));
    Set<String> vmids =
        guests.stream()
            .map(
                g ->
                    homelab
                        .client
                        .resources(Guest.class)
                        .inNamespace(NAMESPACE)
                        .withName(guest(g))
                        .get())
            .map(g -> String.valueOf(g.getStatus().getVmid()))
            .collect(Collectors.toSet());
    assertThat(homelab.guests()).as("Proxmox guests, by VMID").isEqualTo(once(vmids));
  }

  private static Map<String, Long> once(Set<String> keys) {
    Map<String, Long> map = new TreeMap<>();
    keys.forEach(k -> map.put(k, 1L));
    return map;
  }

  static String tunnel(int t) {
    return "home" + t;
  }

  static String route(int t, int r) {
    return "app" + t + "-" + r;
  }

  /** Five poll intervals of the operator (2 s each in the harness). */
  static final Duration SETTLE = Duration.ofSeconds(10);

  static String guest(int g) {
    return "vm" + g;
  }

  /**
   * The external systems hold exactly the desired state within a few poll intervals of the objects
   * being Ready: a pass that ran just before the last deletion (a peer written for a Tunnel then
   * going) is put right by the Edge's next look at its live peers.
   */
  private void settled(Runnable assertion) {
    await("the external systems to hold exactly the desired state")
        .atMost(SETTLE)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(assertion::run);
  }

  private void awaitOrFail(String what, Callable<Boolean> condition) {
    try {
      await(what)
          .atMost(CONVERGE_DEADLINE)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(250))
          .until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "Timed out after "
              + CONVERGE_DEADLINE
              + " waiting for "
              + what
              + "; not Ready: "
              + notReady()
              + "; "
              + homelab.externalSummary()
              + operator.tail(),
          e);
    }
  }
}
