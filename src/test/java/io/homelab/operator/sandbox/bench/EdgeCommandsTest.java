package io.homelab.operator.sandbox.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.homelab.operator.driver.ssh.Commands;
import io.homelab.operator.driver.wireguard.WireGuardScripts;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The benchmark counts an SSH command as a write only when it changes the edge: the operator's own
 * scripts, as they go over SSH, with the functions they start with.
 */
class EdgeCommandsTest {

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void onlyApplyAndRemoveChangeTheEdge(boolean sudo) {
    String dir = "/etc/wireguard";
    assertThat(BenchLab.changesTheEdge(line(WireGuardScripts.observe(dir, "wg0", sudo))))
        .as("observe")
        .isFalse();
    assertThat(
            BenchLab.changesTheEdge(
                line(
                    WireGuardScripts.apply(
                        dir, "wg0", "10.0.0.1/24", null, List.of(), List.of(), sudo))))
        .as("apply")
        .isTrue();
    assertThat(BenchLab.changesTheEdge(line(WireGuardScripts.remove(dir, "wg0", sudo))))
        .as("remove")
        .isTrue();
  }

  private static String line(String script) {
    return Commands.commandLine(script);
  }
}
