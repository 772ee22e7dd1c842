package io.homelab.operator.sandbox.lab;

import io.homelab.operator.model.WireGuardPrivileges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Four network namespaces with the real programs, for the SSH, WireGuard and whole-path tests:
 *
 * <pre>
 *  client 10.211.S.1 ── veth ── 10.211.S.2 ─┐   (an internet client: reaches only the edge)
 *  this JVM ── veth 10.213.S.1/30 ─ 10.213.S.2 ── edge (sshd :2222, the operator's WireGuard)
 *                                                  │ veth 10.213.S.5/30 (the "public" address)
 *                                                  │
 *                                  10.213.S.6 ── home (wireguard-go, forwarding on)
 *                                                  │ veth 10.212.S.1/24
 *                                                  │
 *                                 10.212.S.10 ── lan (a small HTTP server on :8080)
 * </pre>
 *
 * S is 100 plus the lab's slot: builds running at once on one machine each take their own, and
 * every namespace, link, interface and user name carries it. The operator reaches the edge only
 * through its sshd; the tests use {@code ip netns exec} to set up home and to look. WireGuard
 * interface names differ across namespaces, because wireguard-go's control sockets share one
 * directory. {@link #close} removes everything, and runs on failure too. Needs root and the
 * packages of src/test/setup/system-packages.list: without them it fails with a message saying so.
 */
public final class NetnsLab implements AutoCloseable {

  public static final int SSH_PORT = 2222;

  /** Caddy's admin endpoint on the edge's loopback, reached only through the SSH forward. */
  public static final String CADDY_ADMIN = "localhost:2019";

  /** Where the Edge's Caddy server listens inside the edge (the fixture's own server: 8080). */
  public static final int CADDY_HTTPS_PORT = 8443;

  public static final int LAN_PORT = 8080;
  private static final int SLOTS = 16;

  /** The third octet of slot 0's networks: 10.213.N.0/29 and 10.212.N.0/24. */
  private static final int FIRST_NET = 100;

  /**
   * This lab's slot: labs of builds that run at the same time on one machine take different ones,
   * so every name and address below is the lab's own.
   */
  public final int slot;

  public final String edgeNs;
  public final String homeNs;
  public final String lanNs;

  /** An internet client: it reaches the edge over a link of its own, never home or lan. */
  public final String clientNs;

  /** The client's address, as the edge sees it. */
  public final String clientAddress;

  /** The edge's sshd, as this JVM reaches it. */
  public final String sshHost;

  /**
   * The home host's sshd, as this JVM reaches it (through the edge, which forwards): where a Tunnel
   * in SSH mode pushes its home end.
   */
  public final String homeSshHost;

  /** The edge's address as home sees it: the "public" address. */
  public final String edgePublicAddress;

  public final String lanNetwork;
  public final String lanServer;

  /** The interface the home end of a Tunnel gets in the home namespace. */
  public final String homeInterface;

  /**
   * A non-root user whose sudo rule is the operator's ({@link WireGuardPrivileges#sudoers}, for
   * {@link #wireguardConfigDir()}), without a password.
   */
  public final String sudoUser;

  private final int net;
  private final String sudoers;
  private final String prefix;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private static final List<String> PROGRAMS =
      List.of(
          "/usr/sbin/sshd",
          "wg",
          "wg-quick",
          "wireguard-go",
          "ip",
          "sudo",
          "ping",
          "caddy",
          "curl");

  private final Path dir;
  private String hostKey;
  private String clientKey;

  private NetnsLab(Path dir, int slot, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.slot = slot;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.prefix = "hl" + slot;
    this.net = FIRST_NET + slot;
    this.edgeNs = prefix + "-edge";
    this.homeNs = prefix + "-home";
    this.lanNs = prefix + "-lan";
    this.clientNs = prefix + "-client";
    this.clientAddress = "10.211." + (FIRST_NET + slot) + ".1";
    this.sshHost = "10.213." + net + ".2";
    this.edgePublicAddress = "10.213." + net + ".5";
    this.homeSshHost = "10.213." + net + ".6";
    this.lanNetwork = "10.212." + net + ".0/24";
    this.lanServer = "10.212." + net + ".10";
    this.homeInterface = prefix + "wghome";
    this.sudoUser = prefix + "sudo";
    this.sudoers = "/etc/sudoers.d/homelab-operator-test-" + slot;
  }

  /** An interface name of this lab's own (at most 15 characters: {@code name} at most 11). */
  public String iface(String name) {
    return prefix + name;
  }

  /**
   * Builds the namespaces and starts sshd and the HTTP server; tears down what it made on error.
   */
  public static NetnsLab start() {
    requireRootAndPrograms();
    NetnsLab lab = claimSlot();
    try {
      lab.removeLeftovers();
      lab.build();
      return lab;
    } catch (RuntimeException | Error e) {
      lab.close();
      throw e;
    }
  }

  /** Takes the first free slot, by a file lock the JVM holds until {@link #close} (or its end). */
  private static NetnsLab claimSlot() {
    try {
      for (int slot = 0; slot < SLOTS; slot++) {
        Path lockFile =
            Path.of(System.getProperty("java.io.tmpdir"), "homelab-netns-lab-" + slot + ".lock");
        FileChannel channel =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null;
        }
        if (lock != null) {
          return new NetnsLab(Files.createTempDirectory("netns-lab"), slot, channel, lock);
        }
        channel.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("All " + SLOTS + " network namespace lab slots are in use");
  }

  private static void requireRootAndPrograms() {
    String uid = Sh.bash("id -u").out().trim();
    if (!"0".equals(uid)) {
      throw new IllegalStateException(
          "The network-namespace lab needs root (network namespaces, wireguard-go); running as uid "
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
          "The network-namespace lab needs "
              + missing
              + ": run src/test/setup/system-packages.sh as root (the build does it in the"
              + " initialize phase)");
    }
  }

  private void build() {
    String ssh = dir.resolve("ssh").toString();
    try {
      Files.writeString(
          dir.resolve("sudoers"), WireGuardPrivileges.sudoers(sudoUser, wireguardConfigDir()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the sudo rule in " + dir, e);
    }
    Sh.bash(
            String.join(
                "\n",
                "set -e",
                "for ns in " + namespaces() + "; do ip netns add $ns; done",
                "for ns in " + namespaces() + "; do",
                "  ip -n $ns link set lo up",
                "done",
                // this JVM <-> edge
                "ip link add "
                    + prefix
                    + "root0 type veth peer name "
                    + prefix
                    + "edge0 netns "
                    + edgeNs,
                "ip address add 10.213." + net + ".1/30 dev " + prefix + "root0",
                "ip link set " + prefix + "root0 up",
                "ip -n " + edgeNs + " address add " + sshHost + "/30 dev " + prefix + "edge0",
                "ip -n " + edgeNs + " link set " + prefix + "edge0 up",
                // edge <-> home
                "ip -n "
                    + edgeNs
                    + " link add "
                    + prefix
                    + "edge1 type veth peer name "
                    + prefix
                    + "home1 netns "
                    + homeNs,
                "ip -n "
                    + edgeNs
                    + " address add "
                    + edgePublicAddress
                    + "/30 dev "
                    + prefix
                    + "edge1",
                "ip -n " + edgeNs + " link set " + prefix + "edge1 up",
                "ip -n " + homeNs + " address add 10.213." + net + ".6/30 dev " + prefix + "home1",
                "ip -n " + homeNs + " link set " + prefix + "home1 up",
                // home <-> lan
                "ip -n "
                    + homeNs
                    + " link add "
                    + prefix
                    + "home2 type veth peer name "
                    + prefix
                    + "lan2 netns "
                    + lanNs,
                "ip -n " + homeNs + " address add 10.212." + net + ".1/24 dev " + prefix + "home2",
                "ip -n " + homeNs + " link set " + prefix + "home2 up",
                "ip -n " + lanNs + " address add " + lanServer + "/24 dev " + prefix + "lan2",
                "ip -n " + lanNs + " link set " + prefix + "lan2 up",
                "ip -n " + lanNs + " route add default via 10.212." + net + ".1",
                "ip netns exec " + homeNs + " sysctl -qw net.ipv4.ip_forward=1",
                // client <-> edge: the internet, as far as this lab goes
                "ip -n "
                    + clientNs
                    + " link add "
                    + prefix
                    + "cli3 type veth peer name "
                    + prefix
                    + "edge3 netns "
                    + edgeNs,
                "ip -n "
                    + clientNs
                    + " address add "
                    + clientAddress
                    + "/30 dev "
                    + prefix
                    + "cli3",
                "ip -n " + clientNs + " link set " + prefix + "cli3 up",
                "ip -n " + edgeNs + " address add 10.211." + net + ".2/30 dev " + prefix + "edge3",
                "ip -n " + edgeNs + " link set " + prefix + "edge3 up",
                "ip -n " + clientNs + " route add default via 10.211." + net + ".2",
                // this JVM reaches the home host through the edge (the operator at home, on the
                // LAN, would reach it directly)
                "ip netns exec " + edgeNs + " sysctl -qw net.ipv4.ip_forward=1",
                "ip route add 10.213." + net + ".4/30 via " + sshHost,
                "ip -n " + homeNs + " route add 10.213." + net + ".0/30 via " + edgePublicAddress,
                // keys: the sshd host key and the operator's login key
                "mkdir -p " + ssh + " /run/sshd",
                "ssh-keygen -q -t ed25519 -N '' -f " + ssh + "/host_ed25519",
                "ssh-keygen -q -t ed25519 -N '' -f " + ssh + "/id_ed25519",
                "cp " + ssh + "/id_ed25519.pub " + ssh + "/authorized_keys",
                // sshd reads authorized_keys as the user logging in
                "chmod 755 " + dir + " " + ssh,
                "chmod 644 " + ssh + "/authorized_keys",
                // the non-root user, with password-less sudo for the operator's commands
                "id " + sudoUser + " >/dev/null 2>&1 || useradd -M -s /bin/bash " + sudoUser,
                "usermod -p '*' " + sudoUser,
                "visudo -qcf " + dir.resolve("sudoers"),
                "install -m 440 " + dir.resolve("sudoers") + " " + sudoers))
        .orFail("building the namespaces");
    writeSshdConfig(ssh, "sshd_config", sshHost, "sshd.pid");
    writeSshdConfig(ssh, "sshd_home_config", homeSshHost, "sshd_home.pid");
    Sh.bash(
            "ip netns exec "
                + homeNs
                + " /usr/sbin/sshd -f "
                + ssh
                + "/sshd_home_config -E "
                + ssh
                + "/sshd_home.log")
        .orFail("starting sshd in " + homeNs);
    Sh.bash(
            "ip netns exec "
                + edgeNs
                + " /usr/sbin/sshd -f "
                + ssh
                + "/sshd_config -E "
                + ssh
                + "/sshd.log")
        .orFail("starting sshd in " + edgeNs);
    Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
    Sh.bash(
            "ip netns exec "
                + lanNs
                + " setsid "
                + java
                + " -cp "
                + codeSource()
                + " "
                + LanHttpServer.class.getName()
                + " "
                + lanServer
                + " "
                + LAN_PORT
                + " </dev/null >"
                + dir.resolve("lan.log")
                + " 2>&1 &")
        .orFail("starting the HTTP server in " + lanNs);
    startCaddy();
    waitFor(
        "sshd in " + edgeNs + " listening",
        Duration.ofSeconds(10),
        Duration.ofMillis(50),
        () -> reachable(sshHost, SSH_PORT));
    waitFor(
        "sshd in " + homeNs + " reachable through the edge",
        Duration.ofSeconds(10),
        Duration.ofMillis(50),
        () -> reachable(homeSshHost, SSH_PORT));
    waitFor(
        "the HTTP server in " + lanNs + " listening",
        Duration.ofSeconds(20),
        Duration.ofMillis(100),
        () -> Sh.inNamespace(lanNs, "exec 3<>/dev/tcp/" + lanServer + "/" + LAN_PORT).exit() == 0);
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
    waitFor(
        "caddy stopped in " + edgeNs,
        Duration.ofSeconds(10),
        Duration.ofMillis(100),
        () -> Sh.inNamespace(edgeNs, "exec 3<>/dev/tcp/127.0.0.1/2019").exit() != 0);
    runCaddy(dir.resolve("caddy").resolve("empty.json"));
  }

  private void runCaddy(Path config) {
    Path caddy = dir.resolve("caddy");
    Sh.bash(
            "ip netns exec "
                + edgeNs
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
        .orFail("starting caddy in " + edgeNs);
    waitFor(
        "caddy's admin in " + edgeNs,
        Duration.ofSeconds(20),
        Duration.ofMillis(100),
        () -> Sh.inNamespace(edgeNs, "exec 3<>/dev/tcp/127.0.0.1/2019").exit() == 0);
  }

  /** Caddy's admin API as seen from inside the edge: {@code GET /config/<path>}. */
  public String caddyConfig(String path) {
    return Sh.inNamespace(
            edgeNs,
            "exec 3<>/dev/tcp/127.0.0.1/2019; printf 'GET /config/"
                + path
                + " HTTP/1.0\\r\\nHost: "
                + CADDY_ADMIN
                + "\\r\\n\\r\\n' >&3; cat <&3")
        .out();
  }

  private void writeSshdConfig(String ssh, String file, String listen, String pidFile) {
    try {
      Files.writeString(
          Path.of(ssh, file),
          String.join(
              "\n",
              "Port " + SSH_PORT,
              "ListenAddress " + listen,
              "HostKey " + ssh + "/host_ed25519",
              "AuthorizedKeysFile " + ssh + "/authorized_keys",
              "PidFile " + ssh + "/" + pidFile,
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

  /**
   * Where the WireGuard configs are in the test profile ({@code homelab.wireguard.config-dir}): the
   * directory {@link #sudoUser}'s sudo rule allows. The build names a folder of its own in {@code
   * homelab-test-state}.
   */
  public static String wireguardConfigDir() {
    String base =
        System.getProperty(
            "homelab-test-state",
            Path.of(System.getProperty("java.io.tmpdir"), "homelab-operator-test").toString());
    return Path.of(base, "wireguard").toString();
  }

  /** The private key (OpenSSH format) that root and {@link #sudoUser} log in with. */
  public String clientKey() {
    return clientKey;
  }

  /** A directory of this lab's own, for config files. */
  public Path dir() {
    return dir;
  }

  /** Runs a script in the edge namespace (to look, not to configure: that is the operator's). */
  public Sh.Result edge(String script) {
    return Sh.inNamespace(edgeNs, script);
  }

  /** Runs a script in the home namespace. */
  public Sh.Result home(String script) {
    return Sh.inNamespace(homeNs, script);
  }

  /**
   * Brings the home end up from a wg-quick file, as a person would with {@code wg-quick up}: the
   * interface is {@link #homeInterface} whatever the file's name.
   */
  public void homeUp(String wgQuickConfig) {
    Path file = dir.resolve(homeInterface + ".conf");
    try {
      Files.writeString(file, wgQuickConfig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    home("wg-quick down " + file + " >/dev/null 2>&1; wg-quick up " + file)
        .orFail("wg-quick up in " + homeNs);
  }

  /** An HTTP GET from the edge to the server in lan (bash's /dev/tcp: no client to install). */
  public String httpFromEdgeToLan() {
    return edge("exec 3<>/dev/tcp/"
            + lanServer
            + "/"
            + LAN_PORT
            + " && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && timeout 5 cat <&3")
        .orFail("HTTP from the edge to the lan")
        .out();
  }

  /**
   * An HTTPS GET from the client namespace, as a browser there would make it: {@code hostname}
   * resolved to {@code address} (what its DNS record says), the certificate checked against {@code
   * rootCertificate}. The answer's status line, headers and body, or curl's error.
   */
  public Sh.Result clientHttps(String hostname, String address, int port, Path rootCertificate) {
    return Sh.inNamespace(
        clientNs,
        "curl -sS -i --max-time 5 --cacert "
            + rootCertificate
            + " --resolve "
            + hostname
            + ":"
            + port
            + ":"
            + address
            + " https://"
            + hostname
            + ":"
            + port
            + "/");
  }

  /** Where this class was loaded from (a classes folder or a jar): the lan server runs from it. */
  private static Path codeSource() {
    try {
      return Path.of(
          LanHttpServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private String namespaces() {
    return String.join(" ", edgeNs, homeNs, lanNs, clientNs);
  }

  /** Stops the application in lan, as a crash would: its port refuses connections after. */
  public void stopLanServer() {
    Sh.bash("for p in $(ip netns pids " + lanNs + " 2>/dev/null); do kill $p; done");
    waitFor(
        "the HTTP server in " + lanNs + " stopped",
        Duration.ofSeconds(10),
        Duration.ofMillis(100),
        () -> Sh.inNamespace(lanNs, "exec 3<>/dev/tcp/" + lanServer + "/" + LAN_PORT).exit() != 0);
  }

  /** Takes the home end down. */
  public void homeDown() {
    home("wg-quick down " + dir.resolve(homeInterface + ".conf"));
  }

  @Override
  public void close() {
    for (String ns : List.of(clientNs, lanNs, homeNs, edgeNs)) {
      // Everything that runs in the namespaces was started by this lab: sshd, wireguard-go, java.
      Sh.bash("for p in $(ip netns pids " + ns + " 2>/dev/null); do kill $p; done");
    }
    removeLeftovers();
    Sh.bash("rm -rf " + dir);
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      // the lock goes with the JVM anyway
    }
  }

  private void removeLeftovers() {
    Sh.bash(
        String.join(
            "\n",
            "for ns in " + namespaces() + "; do",
            "  for p in $(ip netns pids $ns 2>/dev/null); do kill -9 $p; done",
            "  ip netns del $ns 2>/dev/null",
            "done",
            "ip link del " + prefix + "root0 2>/dev/null",
            "rm -f /var/run/wireguard/" + prefix + "*.sock",
            "rm -f " + sudoers,
            "userdel " + sudoUser + " 2>/dev/null",
            "true"));
  }

  /** Polls {@code condition} until it holds; fails saying what did not happen in time. */
  private static void waitFor(
      String what, Duration timeout, Duration poll, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": not within " + timeout.toSeconds() + " s");
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(what + ": interrupted", e);
      }
    }
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
