package io.homelab.operator.netns;

import static org.awaitility.Awaitility.await;

import io.homelab.operator.driver.HostAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Three network namespaces with the real programs, for the SSH and WireGuard tests:
 *
 * <pre>
 *  this JVM ── veth 10.213.0.1/30 ─ 10.213.0.2 ── edge (sshd :2222, the operator's WireGuard)
 *                                                  │ veth 10.213.1.1/30 (the "public" address)
 *                                                  │
 *                                  10.213.1.2 ── home (wireguard-go, forwarding on)
 *                                                  │ veth 10.213.2.1/24
 *                                                  │
 *                                 10.213.2.10 ── lan (a small HTTP server on :8080)
 * </pre>
 *
 * The operator reaches the edge only through its sshd; the tests use {@code ip netns exec} to set
 * up home and to look. WireGuard interface names differ across namespaces, because wireguard-go's
 * control sockets share one directory. {@link #close} removes everything, and runs on failure too.
 * Needs root and the packages of src/test/setup/system-packages.list: without them it fails with a
 * message saying so.
 */
public final class NetnsLab implements AutoCloseable {

  public static final String EDGE = "hl-edge";
  public static final String HOME = "hl-home";
  public static final String LAN = "hl-lan";
  public static final String SSH_HOST = "10.213.0.2";
  public static final int SSH_PORT = 2222;

  /** Caddy's admin endpoint on the edge's loopback, reached only through the SSH forward. */
  public static final String CADDY_ADMIN = "localhost:2019";

  /** Where the Edge's Caddy server listens inside the edge (the fixture's own server: 8080). */
  public static final int CADDY_HTTPS_PORT = 8443;

  public static final String EDGE_PUBLIC_ADDRESS = "10.213.1.1";
  public static final String LAN_NETWORK = "10.213.2.0/24";
  public static final String LAN_SERVER = "10.213.2.10";
  public static final int LAN_PORT = 8080;

  /** The interface the home end of a Tunnel gets in the home namespace. */
  public static final String HOME_INTERFACE = "hlwghome";

  /** A non-root user that may run anything through sudo without a password. */
  public static final String SUDO_USER = "hlsudo";

  private static final String SUDOERS = "/etc/sudoers.d/homelab-operator-test";
  private static final List<String> PROGRAMS =
      List.of("/usr/sbin/sshd", "wg", "wg-quick", "wireguard-go", "ip", "sudo", "ping", "caddy");

  private final Path dir;
  private String hostKey;
  private String clientKey;

  private NetnsLab(Path dir) {
    this.dir = dir;
  }

  /**
   * Builds the namespaces and starts sshd and the HTTP server; tears down what it made on error.
   */
  public static NetnsLab start() {
    requireRootAndPrograms();
    NetnsLab lab;
    try {
      lab = new NetnsLab(Files.createTempDirectory("netns-lab"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      lab.removeLeftovers();
      lab.build();
      return lab;
    } catch (RuntimeException | Error e) {
      lab.close();
      throw e;
    }
  }

  private static void requireRootAndPrograms() {
    String uid = Sh.bash("id -u").out().trim();
    if (!"0".equals(uid)) {
      throw new IllegalStateException(
          "The SSH and WireGuard tests need root (network namespaces, wireguard-go); running as uid "
              + uid);
    }
    List<String> missing = new ArrayList<>();
    for (String program : PROGRAMS) {
      if (Sh.bash("command -v " + program).exit() != 0) {
        missing.add(program);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "The SSH and WireGuard tests need "
              + missing
              + ": run src/test/setup/system-packages.sh as root (the build does it in the"
              + " initialize phase)");
    }
  }

  private void build() {
    String ssh = dir.resolve("ssh").toString();
    Sh.bash(
            String.join(
                "\n",
                "set -e",
                "for ns in " + EDGE + " " + HOME + " " + LAN + "; do ip netns add $ns; done",
                "for ns in " + EDGE + " " + HOME + " " + LAN + "; do",
                "  ip -n $ns link set lo up",
                "done",
                // this JVM <-> edge
                "ip link add hlroot0 type veth peer name hledge0 netns " + EDGE,
                "ip address add 10.213.0.1/30 dev hlroot0",
                "ip link set hlroot0 up",
                "ip -n " + EDGE + " address add " + SSH_HOST + "/30 dev hledge0",
                "ip -n " + EDGE + " link set hledge0 up",
                // edge <-> home
                "ip -n " + EDGE + " link add hledge1 type veth peer name hlhome1 netns " + HOME,
                "ip -n " + EDGE + " address add " + EDGE_PUBLIC_ADDRESS + "/30 dev hledge1",
                "ip -n " + EDGE + " link set hledge1 up",
                "ip -n " + HOME + " address add 10.213.1.2/30 dev hlhome1",
                "ip -n " + HOME + " link set hlhome1 up",
                // home <-> lan
                "ip -n " + HOME + " link add hlhome2 type veth peer name hllan2 netns " + LAN,
                "ip -n " + HOME + " address add 10.213.2.1/24 dev hlhome2",
                "ip -n " + HOME + " link set hlhome2 up",
                "ip -n " + LAN + " address add " + LAN_SERVER + "/24 dev hllan2",
                "ip -n " + LAN + " link set hllan2 up",
                "ip -n " + LAN + " route add default via 10.213.2.1",
                "ip netns exec " + HOME + " sysctl -qw net.ipv4.ip_forward=1",
                // keys: the sshd host key and the operator's login key
                "mkdir -p " + ssh + " /run/sshd",
                "ssh-keygen -q -t ed25519 -N '' -f " + ssh + "/host_ed25519",
                "ssh-keygen -q -t ed25519 -N '' -f " + ssh + "/id_ed25519",
                "cp " + ssh + "/id_ed25519.pub " + ssh + "/authorized_keys",
                // sshd reads authorized_keys as the user logging in
                "chmod 755 " + dir + " " + ssh,
                "chmod 644 " + ssh + "/authorized_keys",
                // the non-root user, with password-less sudo
                "id " + SUDO_USER + " >/dev/null 2>&1 || useradd -M -s /bin/bash " + SUDO_USER,
                "usermod -p '*' " + SUDO_USER,
                "echo '" + SUDO_USER + " ALL=(root) NOPASSWD: ALL' > " + SUDOERS,
                "chmod 440 " + SUDOERS))
        .orFail("building the namespaces");
    writeSshdConfig(ssh);
    Sh.bash(
            "ip netns exec "
                + EDGE
                + " /usr/sbin/sshd -f "
                + ssh
                + "/sshd_config -E "
                + ssh
                + "/sshd.log")
        .orFail("starting sshd in " + EDGE);
    Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
    Sh.bash(
            "ip netns exec "
                + LAN
                + " setsid "
                + java
                + " -cp "
                + Path.of("target", "test-classes").toAbsolutePath()
                + " "
                + LanHttpServer.class.getName()
                + " "
                + LAN_SERVER
                + " "
                + LAN_PORT
                + " </dev/null >"
                + dir.resolve("lan.log")
                + " 2>&1 &")
        .orFail("starting the HTTP server in " + LAN);
    startCaddy();
    await("sshd in " + EDGE + " listening")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> reachable(SSH_HOST, SSH_PORT));
    await("the HTTP server in " + LAN + " listening")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                Sh.inNamespace(LAN, "exec 3<>/dev/tcp/" + LAN_SERVER + "/" + LAN_PORT).exit() == 0);
    try {
      hostKey = Files.readString(Path.of(ssh, "host_ed25519.pub")).trim();
      clientKey = Files.readString(Path.of(ssh, "id_ed25519"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The real caddy in the edge, as a user runs it: the admin API on the edge's loopback and a
   * server of their own, {@code fixture}, that the operator must leave as it is.
   */
  private void startCaddy() {
    Path caddy = dir.resolve("caddy");
    try {
      Files.createDirectories(caddy);
      Files.writeString(
          caddy.resolve("empty.json"), "{\"admin\": {\"listen\": \"" + CADDY_ADMIN + "\"}}");
      Files.writeString(
          caddy.resolve("caddy.json"),
          """
          {"admin": {"listen": "%s"},
           "apps": {"http": {"http_port": 8081, "https_port": %d, "servers": {
             "fixture": {"listen": [":8080"], "routes": [
               {"handle": [{"handler": "static_response", "body": "fixture"}]}]}}}}}
          """
              .formatted(CADDY_ADMIN, CADDY_HTTPS_PORT));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    runCaddy(caddy.resolve("caddy.json"));
  }

  /** The VPS rebooted and Caddy came back without --resume: nothing but its admin endpoint. */
  public void restartCaddyEmpty() {
    Sh.bash("pkill -f 'caddy run --config " + dir.resolve("caddy") + "'; true");
    await("caddy stopped in " + EDGE)
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> Sh.inNamespace(EDGE, "exec 3<>/dev/tcp/127.0.0.1/2019").exit() != 0);
    runCaddy(dir.resolve("caddy").resolve("empty.json"));
  }

  private void runCaddy(Path config) {
    Path caddy = dir.resolve("caddy");
    Sh.bash(
            "ip netns exec "
                + EDGE
                + " env HOME="
                + caddy
                + " XDG_DATA_HOME="
                + caddy
                + "/data XDG_CONFIG_HOME="
                + caddy
                + "/config setsid caddy run --config "
                + config
                + " </dev/null >>"
                + caddy.resolve("caddy.log")
                + " 2>&1 &")
        .orFail("starting caddy in " + EDGE);
    await("caddy's admin in " + EDGE)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> Sh.inNamespace(EDGE, "exec 3<>/dev/tcp/127.0.0.1/2019").exit() == 0);
  }

  /** Caddy's admin API as seen from inside the edge: {@code GET /config/<path>}. */
  public String caddyConfig(String path) {
    return Sh.inNamespace(
            EDGE,
            "exec 3<>/dev/tcp/127.0.0.1/2019; printf 'GET /config/"
                + path
                + " HTTP/1.0\\r\\nHost: "
                + CADDY_ADMIN
                + "\\r\\n\\r\\n' >&3; cat <&3")
        .out();
  }

  private void writeSshdConfig(String ssh) {
    try {
      Files.writeString(
          Path.of(ssh, "sshd_config"),
          String.join(
              "\n",
              "Port " + SSH_PORT,
              "ListenAddress " + SSH_HOST,
              "HostKey " + ssh + "/host_ed25519",
              "AuthorizedKeysFile " + ssh + "/authorized_keys",
              "PidFile " + ssh + "/sshd.pid",
              "PermitRootLogin prohibit-password",
              "PasswordAuthentication no",
              "KbdInteractiveAuthentication no",
              "UsePAM no",
              "StrictModes no",
              "AllowTcpForwarding yes",
              "LogLevel VERBOSE",
              ""));
      Files.setPosixFilePermissions(
          Path.of(ssh, "host_ed25519"), PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sshd host key line ({@code ssh-ed25519 AAAA... comment}). */
  public String hostKey() {
    return hostKey;
  }

  /** The private key (OpenSSH format) that root and {@link #SUDO_USER} log in with. */
  public String clientKey() {
    return clientKey;
  }

  /** How the operator logs in to the edge's sshd as {@code user}. */
  public HostAccess access(
      String user, boolean sudo, String pinnedHostKey, Duration commandTimeout) {
    return new HostAccess(
        SSH_HOST,
        SSH_PORT,
        user,
        sudo,
        clientKey,
        pinnedHostKey,
        Duration.ofSeconds(5),
        commandTimeout);
  }

  /** A directory of this lab's own, for config files. */
  public Path dir() {
    return dir;
  }

  /** Runs a script in the edge namespace (to look, not to configure: that is the operator's). */
  public Sh.Result edge(String script) {
    return Sh.inNamespace(EDGE, script);
  }

  /** Runs a script in the home namespace. */
  public Sh.Result home(String script) {
    return Sh.inNamespace(HOME, script);
  }

  /**
   * Brings the home end up from a wg-quick file, as a person would with {@code wg-quick up}: the
   * interface is {@link #HOME_INTERFACE} whatever the file's name.
   */
  public void homeUp(String wgQuickConfig) {
    Path file = dir.resolve(HOME_INTERFACE + ".conf");
    try {
      Files.writeString(file, wgQuickConfig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    home("wg-quick down " + file + " >/dev/null 2>&1; wg-quick up " + file)
        .orFail("wg-quick up in " + HOME);
  }

  /** An HTTP GET from the edge to the server in lan (bash's /dev/tcp: no client to install). */
  public String httpFromEdgeToLan() {
    return edge("exec 3<>/dev/tcp/"
            + LAN_SERVER
            + "/"
            + LAN_PORT
            + " && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && timeout 5 cat <&3")
        .orFail("HTTP from the edge to the lan")
        .out();
  }

  /** Takes the home end down. */
  public void homeDown() {
    home("wg-quick down " + dir.resolve(HOME_INTERFACE + ".conf"));
  }

  @Override
  public void close() {
    for (String ns : List.of(LAN, HOME, EDGE)) {
      // Everything that runs in the namespaces was started by this lab: sshd, wireguard-go, java.
      Sh.bash("for p in $(ip netns pids " + ns + " 2>/dev/null); do kill $p; done");
    }
    removeLeftovers();
    Sh.bash("rm -rf " + dir);
  }

  private void removeLeftovers() {
    Sh.bash(
        String.join(
            "\n",
            "for ns in " + EDGE + " " + HOME + " " + LAN + "; do",
            "  for p in $(ip netns pids $ns 2>/dev/null); do kill -9 $p; done",
            "  ip netns del $ns 2>/dev/null",
            "done",
            "ip link del hlroot0 2>/dev/null",
            "rm -f /var/run/wireguard/hlwg*.sock",
            "rm -f " + SUDOERS,
            "userdel " + SUDO_USER + " 2>/dev/null",
            "true"));
  }

  private static boolean reachable(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
