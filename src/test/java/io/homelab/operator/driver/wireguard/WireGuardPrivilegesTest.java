package io.homelab.operator.driver.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.homelab.operator.model.WireGuardPrivileges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sudo rule and the scripts agree: every command a script runs through sudo is one the rule
 * allows, SECURITY.md prints the rule the code generates, and sudo's own parser accepts it.
 */
class WireGuardPrivilegesTest {

  private static final String DIR = "/etc/wireguard";

  @TempDir Path tmp;

  @Test
  void securityMdPrintsTheRuleTheCodeGenerates() throws IOException {
    String security = Files.readString(Path.of("SECURITY.md"));
    int section = security.indexOf("### The VPS: an SSH user");
    assertThat(section).as("SECURITY.md's section on the VPS user").isNotNegative();
    int open = security.indexOf("```\n", section) + 4;
    int close = security.indexOf("```\n", open);
    assertThat(security.substring(open, close))
        .isEqualTo(WireGuardPrivileges.sudoers("homelab", DIR));
  }

  @Test
  void sudoAcceptsTheRule() throws Exception {
    Path visudo = Path.of("/usr/sbin/visudo");
    assertThat(visudo)
        .as("visudo (package sudo, src/test/setup/system-packages.list) to check the rule")
        .isExecutable();
    Path file = tmp.resolve("homelab-operator");
    Files.writeString(file, WireGuardPrivileges.sudoers("homelab", DIR));
    Process check =
        new ProcessBuilder(visudo.toString(), "-c", "-f", file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as(out).isZero();
  }

  @Test
  void aRootLoginRunsNothingThroughSudo() {
    for (String script : scripts(false)) {
      assertThat(script).doesNotContain("sudo");
    }
  }

  @Test
  void everyCommandTheScriptsRunThroughSudoIsAllowedAndNothingElse() throws Exception {
    List<String> run = new ArrayList<>();
    for (String script : scripts(true)) {
      run.addAll(runWithRecordingSudo(script));
    }
    List<String> programs = new ArrayList<>();
    for (String command : run) {
      assertThat(allowed(command)).as("allowed by the rule: " + command).isTrue();
      programs.add(command.substring(0, command.indexOf(' ')));
    }
    // The stand-in sudo refuses `ip link add`: the userspace implementation is run instead.
    assertThat(programs)
        .containsOnly(
            WireGuardPrivileges.WG,
            WireGuardPrivileges.WG_QUICK,
            WireGuardPrivileges.IP,
            WireGuardPrivileges.WIREGUARD_GO,
            WireGuardPrivileges.MKDIR,
            WireGuardPrivileges.INSTALL,
            WireGuardPrivileges.CAT,
            WireGuardPrivileges.RM)
        .contains(WireGuardPrivileges.WIREGUARD_GO);
    assertThat(run)
        .contains(WireGuardPrivileges.INSTALL + " -m 600 /dev/stdin /etc/wireguard/wg0.conf")
        .contains(WireGuardPrivileges.WG + " syncconf wg0 /dev/stdin");

    for (String refused :
        List.of(
            "/usr/bin/bash -c id",
            "/usr/bin/id",
            WireGuardPrivileges.CAT + " /etc/shadow",
            WireGuardPrivileges.CAT + " /etc/wireguard/../shadow",
            WireGuardPrivileges.CAT + " /etc/wireguard/wg0.conf /etc/shadow",
            WireGuardPrivileges.INSTALL + " -m 600 /dev/stdin /etc/sudoers.d/x",
            WireGuardPrivileges.INSTALL + " -m 600 /dev/stdin /etc/wireguard/wg0.conf /etc",
            WireGuardPrivileges.WG + " set wg0 private-key /etc/shadow",
            WireGuardPrivileges.WG + " show wg0 dump; id",
            WireGuardPrivileges.IP + " netns exec x id",
            WireGuardPrivileges.IP + " link set dev wg0 netns 1",
            WireGuardPrivileges.RM + " -rf /etc/wireguard",
            WireGuardPrivileges.MKDIR + " -p -m 700 /etc/sudoers.d")) {
      assertThat(allowed(refused)).as("refused: " + refused).isFalse();
    }
  }

  @Test
  void theRuleFollowsTheConfigDirectory() {
    String rule = WireGuardPrivileges.sudoers("op", "/srv/wg.d");
    assertThat(rule)
        .startsWith("# /etc/sudoers.d/homelab-operator (mode 440)\nop ALL=(root) NOPASSWD: \\\n")
        .contains(WireGuardPrivileges.CAT + " ^/srv/wg\\.d/[a-zA-Z0-9_\\=+.-]{1\\,15}\\.conf$")
        .doesNotContain("/etc/wireguard");
  }

  private static List<String> scripts(boolean sudo) {
    return List.of(
        WireGuardScripts.observe(DIR, "wg0", sudo),
        WireGuardScripts.apply(
            DIR, "wg0", "10.77.0.1/24", 1420, List.of("10.0.0.0/8"), List.of("fd00::/64"), sudo),
        WireGuardScripts.remove(DIR, "wg0", sudo));
  }

  /** Whether one line of the rule matches the command as sudo sees it: path, space, arguments. */
  private static boolean allowed(String command) {
    for (Pattern line : ruleLines()) {
      if (line.matcher(command).matches()) {
        return true;
      }
    }
    return false;
  }

  private static List<Pattern> ruleLines() {
    List<Pattern> lines = new ArrayList<>();
    Matcher m =
        Pattern.compile("(?m)^  (/\\S+) \\^(.*)\\$(?:, \\\\)?$")
            .matcher(WireGuardPrivileges.sudoers("homelab", DIR));
    while (m.find()) {
      String args = m.group(2).replaceAll("\\\\([,:=])", "$1");
      lines.add(Pattern.compile(Pattern.quote(m.group(1)) + " " + args));
    }
    assertThat(lines).as("commands in the rule").hasSizeGreaterThan(10);
    return lines;
  }

  /**
   * Runs a script with a stand-in {@code sudo} first on the PATH that records its arguments,
   * succeeds (reading its input) except for {@code ip link add}, and runs nothing, and an {@code
   * ip} that knows no interface.
   */
  private List<String> runWithRecordingSudo(String script) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path log = tmp.resolve("sudo.log");
    Files.deleteIfExists(log);
    Path sudo = bin.resolve("sudo");
    Files.writeString(
        sudo,
        String.join(
            "\n",
            "#!/usr/bin/env bash",
            "[ \"$1\" = -n ] || exit 9",
            "shift",
            "printf '%s\\n' \"$*\" >> '" + log + "'",
            "cat >/dev/null",
            "case \"$*\" in *' link add '*) exit 2 ;; esac",
            ""));
    Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwxr-xr-x"));
    // What the scripts read without sudo: no such interface, whatever this machine has.
    Path ip = bin.resolve("ip");
    Files.writeString(ip, "#!/usr/bin/env bash\necho \"Device does not exist.\" >&2\nexit 1\n");
    Files.setPosixFilePermissions(ip, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process process = builder.start();
    process.getOutputStream().write("[Interface]\n".getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(script + "\n" + out).isZero();
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }
}
