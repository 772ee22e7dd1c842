package io.homelab.operator.sandbox.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.homelab.operator.driver.HostAccess;
import io.homelab.operator.driver.ssh.CommandResult;
import io.homelab.operator.driver.ssh.SshConnection;
import io.homelab.operator.driver.ssh.SshConnections;
import io.homelab.operator.driver.wireguard.InterfaceConfig;
import io.homelab.operator.driver.wireguard.PeerConfig;
import io.homelab.operator.driver.wireguard.PeerState;
import io.homelab.operator.driver.wireguard.WireGuardDriver;
import io.homelab.operator.driver.wireguard.WireGuardHost;
import io.homelab.operator.model.WireGuardKeys;
import io.homelab.operator.model.WireGuardPrivileges;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The operator's real WireGuard driver and SSH client against the simulated edge. */
class SimulatedEdgeTest {

  private static final String OWNER = "edge/vps";

  @TempDir Path dir;

  private SimulatedEdge edge;
  private SshConnections ssh;
  private WireGuardDriver driver;
  private HostAccess access;
  private String configDir;

  @BeforeEach
  void start() {
    edge = SimulatedEdge.start(dir.resolve("edge"));
    ssh = new SshConnections();
    driver = new WireGuardDriver(ssh);
    access =
        new HostAccess(
            SimulatedEdge.HOST,
            edge.port(),
            "root",
            false,
            edge.clientKey(),
            edge.hostKey(),
            Duration.ofSeconds(10),
            Duration.ofSeconds(20));
    configDir = dir.resolve("wireguard").toString();
  }

  @AfterEach
  void stop() {
    ssh.closeAll();
    edge.close();
  }

  @Test
  void keysAreWhatTheOperatorTakes() {
    assertThat(edge.hostKey()).startsWith("ssh-ed25519 AAAA");
    assertThat(edge.clientKey()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
    CommandResult result = ssh.run(OWNER, access, "pwd; echo \"$HOME\"; cat", "from stdin");
    assertThat(result.exitStatus()).isZero();
    assertThat(result.stdout()).isEqualTo(edge.home() + "\n" + edge.home() + "\nfrom stdin");
  }

  /**
   * The same as root and as a sudo login: with sudo the privileged commands name the system's
   * programs by absolute path, and the edge's {@code sudo} runs its own in their place (the real
   * ones, without privilege, would fail).
   */
  @ParameterizedTest(name = "sudo: {0}")
  @ValueSource(booleans = {false, true})
  void applyObserveRemove(boolean sudo) throws IOException {
    access =
        new HostAccess(
            access.host(),
            access.port(),
            access.user(),
            sudo,
            access.privateKey(),
            access.hostKey(),
            access.connectTimeout(),
            access.commandTimeout());
    WireGuardKeys.Pair own = WireGuardKeys.generate();
    String home = WireGuardKeys.generate().publicKey();
    String office = WireGuardKeys.generate().publicKey();
    WireGuardHost before = driver.observe(OWNER, access, configDir, "wg0");
    // With sudo, a tool is there when the program the sudo rule names is.
    List<String> missing = new ArrayList<>();
    if (sudo) {
      Map<String, String> paths =
          Map.of(
              "wg", WireGuardPrivileges.WG,
              "wg-quick", WireGuardPrivileges.WG_QUICK,
              "ip", WireGuardPrivileges.IP);
      for (String tool : List.of("wg", "wg-quick", "ip")) {
        if (!Files.isExecutable(Path.of(paths.get(tool)))) {
          missing.add(tool);
        }
      }
    }
    assertThat(before.missingTools()).containsExactlyElementsOf(missing);
    assertThat(before.linkExists()).isFalse();
    assertThat(before.config()).isNull();

    InterfaceConfig two =
        new InterfaceConfig(
            OWNER,
            "10.77.0.1/24",
            51820,
            own.privateKey(),
            1380,
            List.of(
                new PeerConfig(
                    "tunnel/home", home, List.of("10.77.0.2/32", "192.168.1.0/24"), null, 25),
                new PeerConfig("tunnel/office", office, List.of("10.77.0.3/32"), null, null)));
    driver.apply(
        OWNER, access, configDir, "wg0", two, List.of("192.168.1.0/24", "10.77.0.3/32"), List.of());
    WireGuardHost applied = driver.observe(OWNER, access, configDir, "wg0");
    assertThat(applied.linkExists()).isTrue();
    assertThat(applied.linkUp()).isTrue();
    assertThat(applied.config()).isEqualTo(two.render());
    assertThat(Files.readString(Path.of(configDir, "wg0.conf"))).isEqualTo(two.render());
    assertThat(applied.dump()).isPresent();
    assertThat(applied.dump().get().publicKey()).isEqualTo(own.publicKey());
    assertThat(applied.dump().get().listenPort()).isEqualTo(51820);
    assertThat(applied.dump().get().peers())
        .extracting(PeerState::publicKey)
        .containsExactly(home, office);
    PeerState homePeer = applied.dump().get().peer(home).orElseThrow();
    assertThat(homePeer.allowedIPs()).containsExactly("10.77.0.2/32", "192.168.1.0/24");
    assertThat(homePeer.latestHandshake()).isAfter(Instant.now().minusSeconds(10));
    assertThat(homePeer.receivedBytes()).isPositive();
    assertThat(applied.routes()).containsExactly("192.168.1.0/24", "10.77.0.3");
    CommandResult mtu = ssh.run(OWNER, access, "ip -o link show dev wg0", null);
    assertThat(mtu.stdout()).contains("mtu 1380").contains("<POINTOPOINT,NOARP,UP,LOWER_UP>");

    InterfaceConfig one =
        new InterfaceConfig(
            OWNER,
            "10.77.0.1/24",
            51820,
            own.privateKey(),
            1380,
            List.of(
                new PeerConfig(
                    "tunnel/home", home, List.of("10.77.0.2/32", "192.168.1.0/24"), null, 25)));
    driver.apply(
        OWNER, access, configDir, "wg0", one, List.of("192.168.1.0/24"), List.of("10.77.0.3/32"));
    WireGuardHost shrunk = driver.observe(OWNER, access, configDir, "wg0");
    assertThat(shrunk.dump().get().peers()).extracting(PeerState::publicKey).containsExactly(home);
    assertThat(shrunk.routes()).containsExactly("192.168.1.0/24");

    driver.remove(OWNER, access, configDir, "wg0");
    WireGuardHost gone = driver.observe(OWNER, access, configDir, "wg0");
    assertThat(gone.linkExists()).isFalse();
    assertThat(gone.dump()).isEmpty();
    assertThat(gone.config()).isNull();
    assertThat(gone.routes()).isEmpty();
  }

  @Test
  void unknownCommandsFailWithAMessage() {
    CommandResult wg = ssh.run(OWNER, access, "wg genkey", null);
    assertThat(wg.exitStatus()).isNotZero();
    assertThat(wg.stderr()).contains("wg (simulated)").contains("not simulated");
    CommandResult ip = ssh.run(OWNER, access, "ip neigh show", null);
    assertThat(ip.exitStatus()).isNotZero();
    assertThat(ip.stderr()).contains("ip (simulated)");
  }

  @Test
  void wrongClientKeyIsRefused() {
    SimulatedEdge other = SimulatedEdge.start(dir.resolve("other"));
    try {
      HostAccess stranger =
          new HostAccess(
              SimulatedEdge.HOST,
              edge.port(),
              "root",
              false,
              other.clientKey(),
              edge.hostKey(),
              Duration.ofSeconds(10),
              Duration.ofSeconds(10));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> SshConnection.open(stranger))
          .hasMessageContaining("login");
    } finally {
      other.close();
    }
  }

  @Test
  void onlyLocalForwardsToLoopbackAreAllowed() {
    SimulatedEdge.LoopbackForwardsOnly filter = new SimulatedEdge.LoopbackForwardsOnly();
    TcpForwardingFilter.Type direct = TcpForwardingFilter.Type.Direct;
    assertThat(filter.canConnect(direct, new SshdSocketAddress("localhost", 2019), null)).isTrue();
    assertThat(filter.canConnect(direct, new SshdSocketAddress("127.0.0.1", 2019), null)).isTrue();
    assertThat(filter.canConnect(direct, new SshdSocketAddress("::1", 2019), null)).isTrue();
    assertThat(filter.canConnect(direct, new SshdSocketAddress("192.0.2.1", 80), null)).isFalse();
    assertThat(
            filter.canConnect(
                TcpForwardingFilter.Type.Forwarded, new SshdSocketAddress("127.0.0.1", 80), null))
        .isFalse();
    assertThat(filter.canListen(new SshdSocketAddress("127.0.0.1", 8080), null)).isFalse();
  }

  @Test
  void forwardsElsewhereThanLoopbackAreRefused() throws IOException {
    try (SshConnection connection = SshConnection.open(access)) {
      // The forward is bound locally; the edge refuses the channel when a connection comes.
      int local = connection.forward("192.0.2.1", 80);
      try (Socket socket = new Socket("127.0.0.1", local)) {
        socket.setSoTimeout(10_000);
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
      }
    }
  }

  @Test
  void portForwardReachesALoopbackServer() throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        exchange -> {
          byte[] body = "hello through the edge".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    http.start();
    try (SshConnection connection = SshConnection.open(access)) {
      int local = connection.forward("localhost", http.getAddress().getPort());
      try (Socket socket = new Socket("127.0.0.1", local)) {
        socket.setSoTimeout(10_000);
        socket
            .getOutputStream()
            .write("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(response).startsWith("HTTP/1.1 200").endsWith("hello through the edge");
      }
    } finally {
      http.stop(0);
    }
  }
}
