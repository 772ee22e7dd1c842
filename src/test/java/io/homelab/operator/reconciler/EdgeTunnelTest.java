package io.homelab.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homelab.operator.api.SecretKeyRef;
import io.homelab.operator.api.SshAccess;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.HomeMode;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.api.tunnel.TunnelHome;
import io.homelab.operator.driver.caddy.TlsProbe;
import io.homelab.operator.sandbox.lab.LanHttpServer;
import io.homelab.operator.sandbox.lab.NetnsLab;
import io.homelab.operator.sandbox.npm.NpmSimulator;
import io.homelab.operator.status.ConditionType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Edges and Tunnels on the mock API server, driving the real sshd, wg and wireguard-go in the lab's
 * namespaces: the operator reaches the edge only through sshd; the tests look with {@code ip netns
 * exec}. Each test has its own Kubernetes namespace, interface name and listen port.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class EdgeTunnelTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static NetnsLab net;
  // NPM at home: Caddy serves a Route once its proxy host exists.
  private static NpmSimulator npm;
  // The WireGuard interfaces on the edge, one per test; named by the lab (names are machine-wide).
  private static String LINK;
  private static String FOREIGN;
  private static String WRONG;
  private static String SUDO;

  @Inject KubernetesClient client;

  private final List<String> namespaces = new ArrayList<>();

  @ConfigProperty(name = "homelab.wireguard.config-dir")
  String configDir;

  @BeforeAll
  static void startLab() {
    npm = new NpmSimulator(java.time.Clock.systemUTC());
    npm.addUser("admin@example.com", "x", false);
    net = NetnsLab.start();
    LINK = net.iface("wglink");
    FOREIGN = net.iface("wgforeign");
    WRONG = net.iface("wgwrong");
    SUDO = net.iface("wgsudo");
  }

  @AfterAll
  static void stopLab() {
    if (net != null) {
      net.close();
    }
    if (npm != null) {
      npm.close();
    }
  }

  /**
   * Deletes every Tunnel and Edge a test made while the lab still runs, so that nothing keeps
   * polling a lab that is gone.
   */
  @AfterEach
  void deleteWhatTheTestMade() {
    for (String namespace : namespaces) {
      client.resources(Route.class).inNamespace(namespace).delete();
      client.resources(Tunnel.class).inNamespace(namespace).delete();
    }
    for (String namespace : namespaces) {
      await("Tunnels of " + namespace + " gone")
          .atMost(DEADLINE)
          .until(
              () ->
                  client
                      .resources(Tunnel.class)
                      .inNamespace(namespace)
                      .list()
                      .getItems()
                      .isEmpty());
      client.resources(Edge.class).inNamespace(namespace).delete();
    }
    for (String namespace : namespaces) {
      await("Edges of " + namespace + " gone")
          .atMost(DEADLINE)
          .until(
              () ->
                  client.resources(Edge.class).inNamespace(namespace).list().getItems().isEmpty());
    }
    namespaces.clear();
  }

  @Test
  void anEdgeAndItsTunnelsMakeAWorkingLinkToHome() {
    Homelab lab = homelab("wg-link");
    lab.edge(edge(LINK, 51820, "10.214.0.0/24", e -> {}));
    lab.tunnel(
        "home",
        t -> {
          t.getSpec().setAllowedIPs(List.of(net.lanNetwork));
          // NPM's place at home is taken by the lab's HTTP server, reached through the tunnel.
          t.getSpec().getProxyManager().setUpstream(net.lanServer + ":" + NetnsLab.LAN_PORT);
        });

    lab.awaitCondition(Edge.class, "vps", ConditionType.READY, "True", "Ready");
    // Caddy, reached through the SSH forward: the operator's server is there, the user's is as
    // they wrote it.
    String servers = net.caddyConfig("apps/http/servers");
    assertThat(servers)
        .contains("\"homelab\":{\"listen\":[\":" + NetnsLab.CADDY_HTTPS_PORT + "\"]")
        .contains(
            "\"fixture\":{\"listen\":[\":8080\"],\"routes\":[{\"handle\":[{\"body\":\"fixture\","
                + "\"handler\":\"static_response\"}]}]}");
    Edge edge = lab.get(Edge.class, "vps");
    assertThat(edge.getStatus().getAddress()).isEqualTo("10.214.0.1");
    assertThat(edge.getStatus().getConfiguredInterface()).isEqualTo(LINK);
    String homeKey = awaitTunnelKey(lab, "home");
    Tunnel home = lab.get(Tunnel.class, "home");
    assertThat(home.getStatus().getAddress()).isEqualTo("10.214.0.2");
    assertThat(home.getStatus().getEdgePublicKey()).isEqualTo(edge.getStatus().getPublicKey());
    awaitPeer(LINK, homeKey, "10.214.0.2/32," + net.lanNetwork);
    awaitRoute(net.lanNetwork, LINK);

    // Home comes up from the generated Secret alone.
    net.homeUp(lab.secretText("home-home", "wg0.conf"));
    lab.awaitCondition(Tunnel.class, "home", ConditionType.PEER_READY, "True", "HandshakeRecent");
    lab.awaitCondition(Tunnel.class, "home", ConditionType.READY, "True", "Ready");
    assertThat(lab.get(Tunnel.class, "home").getStatus().getLastHandshake()).isNotNull();
    assertThat(net.edge("ping -c 1 -W 2 10.214.0.2").exit()).as("ping across the tunnel").isZero();
    assertThat(net.httpFromEdgeToLan()).contains(LanHttpServer.BODY);

    // A Route's host name, over HTTPS at the edge: Caddy (internal CA) → WireGuard → home → lan.
    lab.route("site", "edge-lab.example.com", r -> {});
    lab.awaitCondition(Route.class, "site", ConditionType.ACCEPTED, "True", "Accepted");
    await("Caddy serves the Route")
        .atMost(DEADLINE)
        .until(() -> net.caddyConfig("apps/http/servers/homelab/routes").contains("edge-lab"));
    String response =
        await("HTTPS to edge-lab.example.com at the edge")
            .atMost(DEADLINE)
            .ignoreExceptions()
            .until(
                () ->
                    TlsProbe.get(
                        net.dir().resolve("caddy/data/caddy/pki/authorities/local/root.crt"),
                        "edge-lab.example.com",
                        net.sshHost,
                        NetnsLab.CADDY_HTTPS_PORT),
                r -> r.startsWith("HTTP/1.1 200"));
    assertThat(response).contains(LanHttpServer.BODY);
    assertThat(lab.get(Edge.class, "vps").getStatus().getRoutes()).isEqualTo(1);
    assertThat(lab.get(Edge.class, "vps").getStatus().getServedHostnames())
        .containsExactly("edge-lab.example.com");
    lab.awaitCondition(Route.class, "site", ConditionType.EDGE_READY, "True", "Served");
    lab.delete(Route.class, "site");
    lab.awaitGone(Route.class, "site");

    // A second Tunnel gets the next address; deleting it removes only its peer and route.
    lab.tunnel("second", t -> t.getSpec().setAllowedIPs(List.of("10.215.0.0/24")));
    String secondKey = awaitTunnelKey(lab, "second");
    assertThat(lab.get(Tunnel.class, "second").getStatus().getAddress()).isEqualTo("10.214.0.3");
    awaitPeer(LINK, secondKey, "10.214.0.3/32,10.215.0.0/24");
    String handshake = handshakeOf(LINK, homeKey);
    lab.delete(Tunnel.class, "second");
    lab.awaitGone(Tunnel.class, "second");
    assertThat(net.edge("wg show " + LINK + " peers").out())
        .contains(homeKey)
        .doesNotContain(secondKey);
    assertThat(net.edge("ip -4 route show dev " + LINK).out()).doesNotContain("10.215.0.0/24");
    assertThat(handshakeOf(LINK, homeKey))
        .as("home's latest handshake after the other peer went")
        .isEqualTo(handshake);
    assertThat(lab.get(Secret.class, "second-home")).as("the second Tunnel's home Secret").isNull();

    // The VPS "reboots": the interface is gone; the next poll brings it back with its peer.
    net.edge("ip link del " + LINK).orFail("deleting the interface");
    awaitPeer(LINK, homeKey, "10.214.0.2/32," + net.lanNetwork);
    awaitRoute(net.lanNetwork, LINK);

    // Rotation: a new home key; the Edge switches its peer at once, and the Tunnel waits for home.
    lab.edit(
        Tunnel.class,
        "home",
        t -> t.getMetadata().setAnnotations(Map.of(Annotations.ROTATE_KEYS, "2026-11")));
    String rotatedKey =
        await("the rotated key")
            .atMost(DEADLINE)
            .until(
                () -> lab.get(Tunnel.class, "home").getStatus(),
                s -> "2026-11".equals(s.getRotation()))
            .getPublicKey();
    assertThat(rotatedKey).isNotEqualTo(homeKey);
    lab.awaitCondition(
        Tunnel.class, "home", ConditionType.PEER_READY, "False", "AwaitingHomeConfig");
    awaitPeer(LINK, rotatedKey, "10.214.0.2/32," + net.lanNetwork);
    assertThat(net.edge("wg show " + LINK + " peers").out()).doesNotContain(homeKey);
    net.homeUp(lab.secretText("home-home", "wg0.conf"));
    lab.awaitCondition(Tunnel.class, "home", ConditionType.PEER_READY, "True", "HandshakeRecent");
    assertThat(handshakeOf(LINK, rotatedKey)).doesNotEndWith("\t0");
    net.homeDown();
  }

  @Test
  void anInterfaceConfigTheOperatorDidNotWriteIsAConflictAndLeftAlone() throws IOException {
    Path foreign = Path.of(configDir, FOREIGN + ".conf");
    Files.createDirectories(foreign.getParent());
    String text = "[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n";
    Files.writeString(foreign, text);
    try {
      Homelab lab = homelab("wg-foreign");
      lab.edge(edge(FOREIGN, 51821, "10.216.0.0/24", e -> {}));
      var conflict =
          lab.awaitCondition(Edge.class, "vps", ConditionType.WIREGUARD_READY, "False", "Conflict");
      assertThat(conflict.getMessage()).contains(FOREIGN + ".conf").contains("left alone");
      lab.awaitCondition(Edge.class, "vps", ConditionType.REACHABLE, "True", "Connected");
      assertThat(Files.readString(foreign)).isEqualTo(text);
      assertThat(net.edge("ip link show " + FOREIGN).exit()).as("no interface made").isNotZero();
    } finally {
      Files.deleteIfExists(foreign);
    }
  }

  @Test
  void aWrongHostKeyRunsNothingOnTheVps() {
    Homelab lab = homelab("wg-hostkey");
    lab.edge(
        edge(
            WRONG,
            51822,
            "10.217.0.0/24",
            e ->
                e.getSpec()
                    .getSsh()
                    .setHostKey(
                        "ssh-ed25519"
                            + " AAAAC3NzaC1lZDI1NTE5AAAAIPLACEHOLDERreplaceWithTheVpsHostKey0000000")));
    var mismatch =
        lab.awaitCondition(Edge.class, "vps", ConditionType.REACHABLE, "False", "HostKeyMismatch");
    assertThat(mismatch.getMessage()).contains("SHA256:").contains("nothing was run");
    lab.awaitCondition(Edge.class, "vps", ConditionType.READY, "False", "HostKeyMismatch");
    assertThat(lab.get(Edge.class, "vps").getStatus().getPublicKey()).isNull();
    assertThat(net.edge("ip link show " + WRONG).exit()).isNotZero();
    assertThat(Files.exists(Path.of(configDir, WRONG + ".conf"))).isFalse();
  }

  @Test
  void aNonRootUserWithSudoWorksAndDeletionRemovesTheInterface() {
    assertThat(configDir)
        .as("the config directory the lab's sudo rule allows")
        .isEqualTo(NetnsLab.wireguardConfigDir());
    String asUser = "su " + net.sudoUser + " -c ";
    assertThat(net.edge(asUser + "'id -u'").out().trim()).isNotEqualTo("0").isNotEmpty();
    for (String refused : List.of("/usr/bin/bash -c id", "/usr/bin/id")) {
      assertThat(net.edge(asUser + "'sudo -n " + refused + "'").exit())
          .as("sudo -n " + refused + " as " + net.sudoUser)
          .isNotZero();
    }
    Homelab lab = homelab("wg-sudo");
    lab.edge(
        edge(
            SUDO,
            51823,
            "10.218.0.0/24",
            e -> {
              e.getSpec().getSsh().setUser(net.sudoUser);
              e.getSpec().getSsh().setSudo(true);
            }));
    lab.awaitCondition(Edge.class, "vps", ConditionType.WIREGUARD_READY, "True", "Configured");
    String publicKey = lab.get(Edge.class, "vps").getStatus().getPublicKey();
    assertThat(net.edge("wg show " + SUDO + " public-key").out().trim()).isEqualTo(publicKey);
    assertThat(lab.secretText("vps-wireguard", "publicKey")).isEqualTo(publicKey);

    lab.delete(Edge.class, "vps");
    lab.awaitGone(Edge.class, "vps");
    assertThat(net.edge("ip link show " + SUDO).exit()).as("interface after deletion").isNotZero();
    assertThat(Files.exists(Path.of(configDir, SUDO + ".conf"))).isFalse();
    assertThat(net.caddyConfig("apps/http/servers"))
        .as("Caddy after deletion: the operator's server gone, the user's intact")
        .doesNotContain("\"homelab\"")
        .contains("\"fixture\"");
  }

  @Test
  void aTunnelInSshModeConfiguresHomeItselfAndRotatesBothEndsAtOnce() {
    Homelab lab = homelab("wg-sshmode");
    String link = net.iface("wgsshm");
    lab.edge(edge(link, 51827, "10.222.0.0/24", e -> {}));
    lab.tunnel(
        "home",
        t -> {
          SshAccess ssh = new SshAccess();
          ssh.setHost(net.homeSshHost);
          ssh.setPort(NetnsLab.SSH_PORT);
          ssh.setHostKey(net.hostKey());
          ssh.setPrivateKeySecretRef(new SecretKeyRef("vps-ssh", "id_ed25519"));
          ssh.setCommandTimeoutSeconds(20);
          TunnelHome home = new TunnelHome();
          home.setMode(HomeMode.SSH);
          home.setInterfaceName(net.iface("wghomessh"));
          home.setSsh(ssh);
          t.getSpec().setHome(home);
        });
    // No one installs anything at home: the operator pushes the home end over SSH.
    lab.awaitCondition(Tunnel.class, "home", ConditionType.PEER_READY, "True", "HandshakeRecent");
    assertThat(net.edge("ping -c 1 -W 2 10.222.0.2").exit()).as("ping across the tunnel").isZero();
    String oldKey = lab.get(Tunnel.class, "home").getStatus().getPublicKey();

    lab.edit(
        Tunnel.class,
        "home",
        t -> t.getMetadata().setAnnotations(Map.of(Annotations.ROTATE_KEYS, "2026-11-28")));
    String newKey =
        await("the home key rotated")
            .atMost(DEADLINE)
            .until(
                () -> lab.get(Tunnel.class, "home").getStatus(),
                st -> "2026-11-28".equals(st.getRotation()) && !oldKey.equals(st.getPublicKey()))
            .getPublicKey();
    await("a handshake with the new key")
        .atMost(DEADLINE)
        .ignoreExceptions()
        .until(() -> !handshakeOf(link, newKey).endsWith("\t0"));
    assertThat(net.edge("wg show " + link + " peers").out())
        .contains(newKey)
        .doesNotContain(oldKey);
    lab.awaitCondition(Tunnel.class, "home", ConditionType.PEER_READY, "True", "HandshakeRecent");
  }

  @Test
  void aServerOfTheUsersOnOurAddressIsAListenerConflict() {
    Homelab lab = homelab("caddy-conflict");
    lab.edge(
        edge(
            net.iface("wgclash"),
            51825,
            "10.220.0.0/24",
            e -> e.getSpec().getCaddy().setListen(List.of(":8080"))));
    var conflict =
        lab.awaitCondition(
            Edge.class, "vps", ConditionType.CADDY_READY, "False", "ListenerConflict");
    assertThat(conflict.getMessage()).contains("'fixture'").contains(":8080");
    assertThat(net.caddyConfig("apps/http/servers")).doesNotContain("\"homelab\"");
  }

  @Test
  void routesGoIntoTheServerTheEdgeNamesBesideTheUsersOwn() {
    Homelab lab = homelab("caddy-named");
    lab.edge(
        edge(
            net.iface("wgnamed"),
            51826,
            "10.221.0.0/24",
            e -> {
              e.getSpec().getCaddy().setServer("fixture");
              e.getSpec().getCaddy().setListen(null);
            }));
    lab.tunnel("home", t -> {});
    lab.route("named", "named-lab.example.com", r -> {});
    lab.awaitCondition(Edge.class, "vps", ConditionType.CADDY_READY, "True", "Serving");
    await("the Route's Caddy route in the user's server")
        .atMost(DEADLINE)
        .until(() -> net.caddyConfig("apps/http/servers/fixture/routes").contains("named-lab"));
    String servers = net.caddyConfig("apps/http/servers");
    assertThat(servers).doesNotContain("\"homelab\"").contains("\"body\":\"fixture\"");

    lab.delete(Route.class, "named");
    await("the Route's Caddy route gone, the user's route kept")
        .atMost(DEADLINE)
        .until(
            () -> {
              String routes = net.caddyConfig("apps/http/servers/fixture/routes");
              return !routes.contains("named-lab") && routes.contains("\"body\":\"fixture\"");
            });
  }

  @Test
  void aCaddyRestartedEmptyGetsItsServerBackOnTheNextPoll() {
    Homelab lab = homelab("caddy-restart");
    lab.edge(edge(net.iface("wgcaddy"), 51824, "10.219.0.0/24", e -> {}));
    lab.awaitCondition(Edge.class, "vps", ConditionType.CADDY_READY, "True", "Serving");
    // The operator may already be putting its server back when this returns: the event, made
    // only when the operator read an empty Caddy, is what proves the restart was seen.
    net.restartCaddyEmpty();

    await("the operator's Caddy server restored")
        .atMost(DEADLINE)
        .until(() -> net.caddyConfig("apps/http/servers").contains("\"homelab\""));
    await("an event says so")
        .atMost(DEADLINE)
        .until(() -> lab.events("Edge", "vps").stream().anyMatch(e -> e.contains("CaddyRestored")));
  }

  private Homelab homelab(String namespace) {
    Homelab lab = new Homelab(client, namespace).npmAt(npm.apiUrl());
    namespaces.add(namespace);
    lab.secret("vps-ssh", Map.of("id_ed25519", net.clientKey()));
    lab.secret("npm-login", Map.of("identity", "admin@example.com", "secret", "x"));
    return lab;
  }

  /** The sample Edge, pointed at the lab's sshd, with an interface of its own. */
  private static Consumer<Edge> edge(
      String iface, int listenPort, String network, Consumer<Edge> change) {
    return Homelab.atLab(net, iface, listenPort, network)
        .andThen(e -> e.getSpec().setDns(null))
        .andThen(change);
  }

  private static String awaitTunnelKey(Homelab lab, String name) {
    return await("public key of Tunnel " + name)
        .atMost(DEADLINE)
        .until(
            () -> {
              Tunnel t = lab.get(Tunnel.class, name);
              return t.getStatus() == null ? null : t.getStatus().getPublicKey();
            },
            k -> k != null);
  }

  /** Waits until the edge's interface lists the peer with exactly these allowed IPs. */
  private static void awaitPeer(String iface, String publicKey, String allowedIPs) {
    await("peer " + publicKey + " on " + iface + " with " + allowedIPs)
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                net.edge("wg show " + iface + " allowed-ips")
                    .out()
                    .lines()
                    .anyMatch(
                        l ->
                            l.startsWith(publicKey + "\t")
                                && String.join(",", l.substring(publicKey.length() + 1).split(" "))
                                    .equals(allowedIPs)));
  }

  /** Waits for the kernel route, which comes right after the peers in the same command. */
  private static void awaitRoute(String cidr, String iface) {
    await("route to " + cidr + " through " + iface)
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> net.edge("ip -4 route show " + cidr).out().contains("dev " + iface));
  }

  private static String handshakeOf(String iface, String publicKey) {
    return net.edge("wg show " + iface + " latest-handshakes")
        .out()
        .lines()
        .filter(l -> l.startsWith(publicKey))
        .findFirst()
        .orElseThrow();
  }
}
