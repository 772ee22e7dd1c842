package io.homelab.operator.sandbox.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.homelab.operator.driver.DriverException;
import io.homelab.operator.driver.HostAccess;
import io.homelab.operator.driver.ssh.CommandResult;
import io.homelab.operator.driver.ssh.SshConnection;
import io.homelab.operator.driver.ssh.SshConnections;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The simulated edge's SSH faults, through the operator's own SSH client: while a fault lasts, a
 * command of that login fails (a failed command, or a DriverException) and never hangs past the
 * command timeout; other logins are not touched; once the fault clears, commands run again.
 */
class SimulatedEdgeFaultsTest {

  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

  /** Far longer than the command timeout: a command still running then has hung. */
  static final long HANG_SECONDS = 15;

  @TempDir Path dir;
  private SimulatedEdge edge;
  private SshConnections ssh;

  @BeforeEach
  void start() {
    edge = SimulatedEdge.start(dir.resolve("edge"));
    ssh = new SshConnections();
  }

  @AfterEach
  void stop() {
    ssh.closeAll();
    edge.close();
  }

  @ParameterizedTest
  @EnumSource(SimulatedEdge.Fault.class)
  void aFaultFailsTheLoginsCommandsWithinTheTimeoutAndClears(SimulatedEdge.Fault fault)
      throws Exception {
    HostAccess faulted = access("faulted");
    HostAccess other = access("other");
    assertThat(run("faulted", faulted).exitStatus()).isZero();

    SimulatedEdge.Injected injected = edge.inject(fault, "faulted");
    assertFailed(runBounded("faulted", faulted), "a command while " + fault + " lasts");
    assertThat(injected.hits()).as("commands or logins the fault took").isPositive();
    int before = injected.hits();
    // A revoked key may first end the command on the connection it closed; a fresh login is
    // refused too.
    ssh.close("faulted");
    assertFailed(runBounded("faulted", faulted), "a second command while " + fault + " lasts");
    assertThat(injected.hits())
        .as("the second command (or login) was taken too")
        .isGreaterThan(before);
    assertThat(run("other", other).stdout()).as("another login").isEqualTo("ok\n");

    injected.clear();
    assertThat(runBounded("faulted", faulted))
        .as("a command once the fault cleared")
        .isInstanceOfSatisfying(CommandResult.class, c -> assertThat(c.stdout()).isEqualTo("ok\n"));
  }

  /**
   * A session the server has closed under the client (as a revoked key does) fails the next command
   * as a transient DriverException, whether the close is seen while the channel is made or after.
   */
  @Test
  void aCommandOnASessionThatClosedIsATransientDriverFailure() {
    try (SshConnection connection = SshConnection.open(access("closed"))) {
      assertThat(connection.run("echo ok", null).stdout()).isEqualTo("ok\n");
      connection.close();
      assertThatThrownBy(() -> connection.run("echo ok", null))
          .isInstanceOfSatisfying(
              DriverException.class,
              e -> assertThat(e.isTransient()).as("a closed connection may pass").isTrue());
      assertThatThrownBy(() -> connection.forward("127.0.0.1", 2019))
          .isInstanceOf(DriverException.class);
    }
  }

  /** A failed command: a DriverException, or a non-zero exit status. */
  private static void assertFailed(Object result, String what) {
    assertThat(result)
        .as(what)
        .satisfiesAnyOf(
            r -> assertThat(r).isInstanceOf(DriverException.class),
            r ->
                assertThat(r)
                    .isInstanceOfSatisfying(
                        CommandResult.class, c -> assertThat(c.exitStatus()).isNotZero()));
  }

  private CommandResult run(String owner, HostAccess access) {
    return ssh.run(owner, access, "echo ok", "input");
  }

  /** The command's result, or what it threw; fails if it runs far past the command timeout. */
  private Object runBounded(String owner, HostAccess access) throws Exception {
    CompletableFuture<Object> call =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return run(owner, access);
              } catch (DriverException e) {
                return e;
              }
            });
    Object result = call.completeOnTimeout(null, HANG_SECONDS, TimeUnit.SECONDS).get();
    assertThat(result)
        .as(
            "the command ended (timeout %s), it did not hang for %d s",
            COMMAND_TIMEOUT, HANG_SECONDS)
        .isNotNull();
    return result;
  }

  private HostAccess access(String user) {
    return new HostAccess(
        SimulatedEdge.HOST,
        edge.port(),
        user,
        false,
        edge.clientKey(),
        edge.hostKey(),
        Duration.ofSeconds(2),
        COMMAND_TIMEOUT);
  }
}
