package io.homelab.operator.driver.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.homelab.operator.driver.DriverException;
import io.homelab.operator.driver.HostAccess;
import io.homelab.operator.model.WireGuardPrivileges;
import io.homelab.operator.sandbox.lab.NetnsLab;
import io.homelab.operator.testing.LabAccess;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SSH client against the real OpenSSH sshd in the lab's edge namespace. */
class SshConnectionTest {

  private static NetnsLab lab;

  @BeforeAll
  static void startLab() {
    lab = NetnsLab.start();
  }

  @AfterAll
  static void stopLab() {
    if (lab != null) {
      lab.close();
    }
  }

  static HostAccess access(String user, boolean sudo, String hostKey) {
    return LabAccess.of(lab, user, sudo, hostKey, Duration.ofSeconds(5));
  }

  @Test
  void runsCommandsAsRootInsideTheEdgeNamespaceAndFeedsStdin() {
    try (SshConnection ssh = SshConnection.open(access("root", false, lab.hostKey()))) {
      CommandResult id = ssh.run("id -u; ip -o -4 address show dev " + lab.iface("edge0"), null);
      assertThat(id.exitStatus()).isZero();
      assertThat(id.stdout()).startsWith("0\n").contains(lab.sshHost + "/30");

      CommandResult echo = ssh.run("cat; echo \"[$1]\" 'it''s'; exit 3", "from stdin\n");
      assertThat(echo.exitStatus()).isEqualTo(3);
      assertThat(echo.stdout()).isEqualTo("from stdin\n[] its\n");
    }
  }

  @Test
  void aWrongHostKeyRunsNothing() throws IOException {
    String otherKey =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPLACEHOLDERreplaceWithTheVpsHostKey0000000";
    long loginsBefore = logins();
    assertThatThrownBy(() -> SshConnection.open(access("root", false, otherKey)))
        .isInstanceOfSatisfying(
            DriverException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(SshConnection.HOST_KEY_MISMATCH);
              assertThat(e.getMessage()).contains("SHA256:").contains("nothing was run");
              assertThat(e.isTransient()).isFalse();
            });
    assertThat(logins()).as("logins accepted by sshd").isEqualTo(loginsBefore);
  }

  @Test
  void theHostKeyMayBePinnedByFingerprint() {
    String fingerprint =
        Sh("ssh-keygen -l -E sha256 -f " + lab.dir().resolve("ssh/host_ed25519.pub"))
            .split("\\s+")[1];
    try (SshConnection ssh = SshConnection.open(access("root", false, fingerprint))) {
      assertThat(ssh.run("true", null).succeeded()).isTrue();
    }
  }

  private static String configDir() {
    return NetnsLab.wireguardConfigDir();
  }

  @Test
  void aNonRootUserRunsThroughSudo() {
    try (SshConnection plain = SshConnection.open(access(lab.sudoUser, false, lab.hostKey()));
        SshConnection sudo = SshConnection.open(access(lab.sudoUser, true, lab.hostKey()))) {
      String uid = plain.run("id -u", null).stdout().trim();
      assertThat(uid).isNotEqualTo("0");
      // The script runs as the user; only the commands it names go through sudo.
      CommandResult script = sudo.run("id -u; cat", "read by the script");
      assertThat(script.stdout()).isEqualTo(uid + "\nread by the script");
      // The lab's rule is SECURITY.md's: the operator's commands, with their arguments.
      String file = WireGuardPrivileges.WG_QUICK + " strip " + configDir() + "/wg0.conf";
      assertThat(sudo.run("sudo -n -l " + file, null).succeeded()).as(file).isTrue();
      for (String refused :
          List.of(
              "/usr/bin/bash -c id",
              "/bin/bash -c id",
              "/usr/bin/id",
              WireGuardPrivileges.CAT + " /etc/shadow",
              WireGuardPrivileges.CAT + " " + configDir() + "/../../../etc/shadow",
              WireGuardPrivileges.WG + " set wg0 private-key /etc/shadow",
              WireGuardPrivileges.IP + " netns exec x id",
              WireGuardPrivileges.INSTALL + " -m 600 /dev/stdin /etc/sudoers.d/x")) {
        CommandResult result = sudo.run("sudo -n " + refused, null);
        assertThat(result.succeeded()).as("sudo -n " + refused).isFalse();
        assertThat(result.stderr()).as("sudo -n " + refused).contains("sudo");
      }
    }
  }

  @Test
  void aCommandThatOverrunsItsTimeoutIsAbandoned() {
    HostAccess quick = LabAccess.of(lab, "root", false, lab.hostKey(), Duration.ofMillis(500));
    try (SshConnection ssh = SshConnection.open(quick)) {
      assertThatThrownBy(() -> ssh.run("sleep 30", null))
          .isInstanceOfSatisfying(
              DriverException.class,
              e -> assertThat(e.reason()).isEqualTo(SshConnection.COMMAND_TIMEOUT));
    }
  }

  @Test
  void anUnreadableKeyMakesNoConnection() {
    HostAccess bad =
        new HostAccess(
            lab.sshHost,
            NetnsLab.SSH_PORT,
            "root",
            false,
            "-----BEGIN OPENSSH PRIVATE KEY-----\nPLACEHOLDER\n-----END OPENSSH PRIVATE KEY-----\n",
            lab.hostKey(),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5));
    assertThatThrownBy(() -> SshConnection.open(bad))
        .isInstanceOfSatisfying(
            DriverException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(SshConnection.INVALID_KEY);
              assertThat(e.getMessage()).doesNotContain("PLACEHOLDER");
            });
  }

  @Test
  void oneConnectionPerOwnerIsReused() {
    SshConnections connections = new SshConnections();
    try {
      SshConnection first = connections.get("ns/vps", access("root", false, lab.hostKey()));
      assertThat(connections.get("ns/vps", access("root", false, lab.hostKey()))).isSameAs(first);
      first.close();
      SshConnection again = connections.get("ns/vps", access("root", false, lab.hostKey()));
      assertThat(again).isNotSameAs(first);
      assertThat(again.isOpen()).isTrue();
    } finally {
      connections.closeAll();
    }
  }

  @Test
  void forwardsALocalPortThroughTheServer() throws IOException {
    try (SshConnection ssh = SshConnection.open(access("root", false, lab.hostKey()))) {
      int port = ssh.forward(lab.sshHost, NetnsLab.SSH_PORT);
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(5000);
        InputStream in = socket.getInputStream();
        byte[] banner = new byte[8];
        int read = in.readNBytes(banner, 0, banner.length);
        assertThat(new String(banner, 0, read, StandardCharsets.US_ASCII)).isEqualTo("SSH-2.0-");
      }
    }
  }

  private static long logins() throws IOException {
    return Files.readAllLines(lab.dir().resolve("ssh/sshd.log")).stream()
        .filter(l -> l.contains("Accepted publickey"))
        .count();
  }

  private static String Sh(String script) {
    return io.homelab.operator.sandbox.lab.Sh.bash(script).orFail(script).out();
  }
}
