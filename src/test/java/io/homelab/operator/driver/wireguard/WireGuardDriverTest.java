package io.homelab.operator.driver.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.homelab.operator.driver.HostAccess;
import io.homelab.operator.driver.ssh.SshConnections;
import io.homelab.operator.model.WireGuardKeys;
import io.homelab.operator.sandbox.lab.LanHttpServer;
import io.homelab.operator.sandbox.lab.NetnsLab;
import io.homelab.operator.sandbox.lab.Sh;
import io.homelab.operator.testing.LabAccess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The WireGuard driver on the real wg and wireguard-go, through sshd in the lab's edge. */
class WireGuardDriverTest {

  private static String IFACE;
  static final String OWNER = "homelab-operator:test/Edge/lab/vps";

  private static NetnsLab lab;
  private static SshConnections connections;
  private static WireGuardDriver driver;
  private static HostAccess access;
  private static String configDir;

  @BeforeAll
  static void startLab() {
    lab = NetnsLab.start();
    IFACE = lab.iface("wgdrv");
    connections = new SshConnections();
    driver = new WireGuardDriver(connections);
    configDir = lab.dir().resolve("wireguard").toString();
    access = LabAccess.of(lab, "root", false, lab.hostKey(), Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopLab() {
    if (connections != null) {
      connections.closeAll();
    }
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void javaKeysAgreeWithWgPubkey() {
    for (int i = 0; i < 5; i++) {
      WireGuardKeys.Pair pair = WireGuardKeys.generate();
      assertThat(wg("pubkey", pair.privateKey())).isEqualTo(pair.publicKey());
    }
    String genkey = wg("genkey", null);
    assertThat(WireGuardKeys.publicKeyOf(genkey)).isEqualTo(wg("pubkey", genkey));
  }

  @Test
  void peersRoutesAndHandshakesOnTheRealPrograms() {
    WireGuardKeys.Pair edge = WireGuardKeys.generate();
    WireGuardKeys.Pair home = WireGuardKeys.generate();
    WireGuardKeys.Pair other = WireGuardKeys.generate();
    PeerConfig homePeer =
        new PeerConfig(
            "homelab-operator:test/Tunnel/lab/home",
            home.publicKey(),
            List.of("10.214.0.2/32", lab.lanNetwork),
            null,
            null);
    PeerConfig otherPeer =
        new PeerConfig(
            "homelab-operator:test/Tunnel/lab/other",
            other.publicKey(),
            List.of("10.214.0.3/32", "10.215.0.0/24"),
            null,
            null);

    WireGuardHost before = driver.observe("lab/vps", access, configDir, IFACE);
    assertThat(before.missingTools()).isEmpty();
    assertThat(before.linkExists()).isFalse();
    assertThat(before.config()).isNull();

    apply(
        edgeConfig(edge, List.of(homePeer, otherPeer)),
        List.of(lab.lanNetwork, "10.215.0.0/24"),
        List.of());
    WireGuardHost applied = driver.observe("lab/vps", access, configDir, IFACE);
    assertThat(applied.linkExists()).isTrue();
    assertThat(applied.linkUp()).isTrue();
    assertThat(InterfaceConfig.isOurs(applied.config(), OWNER)).isTrue();
    assertThat(InterfaceConfig.peersOf(applied.config())).containsExactly(homePeer, otherPeer);
    assertThat(applied.dump().orElseThrow().publicKey()).isEqualTo(edge.publicKey());
    assertThat(applied.dump().orElseThrow().peer(home.publicKey()).orElseThrow().allowedIPs())
        .containsExactly("10.214.0.2/32", lab.lanNetwork);
    assertThat(applied.routes()).contains(lab.lanNetwork, "10.215.0.0/24");
    assertThat(lab.edge("stat -c %a " + configDir + "/" + IFACE + ".conf").out().trim())
        .isEqualTo("600");

    lab.homeUp(homeConfig(home, edge));
    Instant handshake =
        await("a handshake with home")
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    driver
                        .observe("lab/vps", access, configDir, IFACE)
                        .dump()
                        .flatMap(d -> d.peer(home.publicKey()))
                        .map(PeerState::latestHandshake)
                        .orElse(null),
                h -> h != null);
    assertThat(lab.edge("ping -c 1 -W 2 10.214.0.2").exit()).as("ping across the tunnel").isZero();
    assertThat(lab.httpFromEdgeToLan()).contains(LanHttpServer.BODY);

    // The other peer goes: only its peer and route; home's session stays as it was.
    apply(edgeConfig(edge, List.of(homePeer)), List.of(lab.lanNetwork), List.of("10.215.0.0/24"));
    WireGuardHost after = driver.observe("lab/vps", access, configDir, IFACE);
    assertThat(after.dump().orElseThrow().peers())
        .extracting(PeerState::publicKey)
        .containsExactly(home.publicKey());
    assertThat(after.routes()).contains(lab.lanNetwork).doesNotContain("10.215.0.0/24");
    assertThat(after.dump().orElseThrow().peer(home.publicKey()).orElseThrow().latestHandshake())
        .as("home's latest handshake after another peer was removed")
        .isEqualTo(handshake);
    assertThat(lab.edge("ping -c 1 -W 2 10.214.0.2").exit()).isZero();

    // A "reboot": the interface is gone, the file stays; applying again brings it back.
    lab.edge("ip link del " + IFACE).orFail("deleting the interface");
    assertThat(driver.observe("lab/vps", access, configDir, IFACE).linkExists()).isFalse();
    apply(edgeConfig(edge, List.of(homePeer)), List.of(lab.lanNetwork), List.of());
    WireGuardHost restored = driver.observe("lab/vps", access, configDir, IFACE);
    assertThat(restored.linkUp()).isTrue();
    assertThat(restored.dump().orElseThrow().peer(home.publicKey())).isPresent();
    assertThat(restored.routes()).contains(lab.lanNetwork);
    // Home would find out by itself after WireGuard's rekey timeout (15 s and more); restarting
    // it makes it handshake at once.
    lab.homeUp(homeConfig(home, edge));
    await("the edge reached from home again after the reboot")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> lab.home("ping -c 1 -W 1 10.214.0.1").exit() == 0);
    assertThat(lab.edge("ping -c 1 -W 2 10.214.0.2").exit()).isZero();

    driver.remove("lab/vps", access, configDir, IFACE);
    WireGuardHost removed = driver.observe("lab/vps", access, configDir, IFACE);
    assertThat(removed.linkExists()).isFalse();
    assertThat(removed.config()).isNull();
    lab.homeDown();
  }

  private static void apply(InterfaceConfig config, List<String> routes, List<String> stale) {
    driver.apply("lab/vps", access, configDir, IFACE, config, routes, stale);
  }

  private static InterfaceConfig edgeConfig(WireGuardKeys.Pair edge, List<PeerConfig> peers) {
    return new InterfaceConfig(OWNER, "10.214.0.1/24", 51820, edge.privateKey(), 1420, peers);
  }

  private static String homeConfig(WireGuardKeys.Pair home, WireGuardKeys.Pair edge) {
    return new InterfaceConfig(
            "homelab-operator:test/Tunnel/lab/home",
            "10.214.0.2/32",
            null,
            home.privateKey(),
            null,
            List.of(
                new PeerConfig(
                    null,
                    edge.publicKey(),
                    List.of("10.214.0.0/24"),
                    lab.edgePublicAddress + ":51820",
                    25)))
        .render();
  }

  private static String wg(String command, String stdin) {
    return Sh.run(List.of("wg", command), stdin, Duration.ofSeconds(10))
        .orFail("wg " + command)
        .out()
        .trim();
  }
}
