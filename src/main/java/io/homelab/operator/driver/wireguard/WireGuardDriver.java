package io.homelab.operator.driver.wireguard;

import io.homelab.operator.driver.DriverException;
import io.homelab.operator.driver.ExternalChanges;
import io.homelab.operator.driver.HostAccess;
import io.homelab.operator.driver.ssh.CommandResult;
import io.homelab.operator.driver.ssh.SshConnections;
import io.homelab.operator.model.WireGuardPrivileges;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * WireGuard on a host reached over SSH. Each method is one command on the host's reused connection:
 *
 * <ul>
 *   <li>{@link #observe}: {@code cat <dir>/<if>.conf; ip link show; wg show <if> dump; ip route
 *       show dev <if>}
 *   <li>{@link #apply}: write the config (mode 600), {@code ip link add} or {@code wireguard-go},
 *       {@code wg-quick strip <file> | wg syncconf <if> /dev/stdin}, {@code ip route replace|del}
 *   <li>{@link #remove}: {@code ip link del <if>; rm <file>}
 * </ul>
 *
 * <p>With {@link HostAccess#sudo()} the scripts run as the login user and their privileged commands
 * go through {@code sudo -n} ({@link WireGuardPrivileges}).
 */
@ApplicationScoped
public class WireGuardDriver {

  /** A command failed on the host. */
  public static final String COMMAND_FAILED = "WireGuardCommandFailed";

  private final SshConnections ssh;

  @Inject
  public WireGuardDriver(SshConnections ssh) {
    this.ssh = ssh;
  }

  /** Reads the state of one interface in one command. */
  public WireGuardHost observe(String owner, HostAccess access, String configDir, String iface) {
    CommandResult result =
        check(
            ssh.run(owner, access, WireGuardScripts.observe(configDir, iface, access.sudo()), null),
            access);
    return WireGuardHost.parse(result.stdout());
  }

  /** Writes and loads a config; see {@link WireGuardScripts#apply}. */
  public void apply(
      String owner,
      HostAccess access,
      String configDir,
      String iface,
      InterfaceConfig config,
      List<String> routes,
      List<String> staleRoutes) {
    check(
        ssh.run(
            owner,
            access,
            WireGuardScripts.apply(
                configDir,
                iface,
                config.address(),
                config.mtu(),
                routes,
                staleRoutes,
                access.sudo()),
            config.render()),
        access);
    ExternalChanges.changed(
        "WireGuardApplied",
        String.format("WireGuard %s on %s applied for %s", iface, access.host(), owner));
  }

  /** Deletes the interface and its config file. */
  public void remove(String owner, HostAccess access, String configDir, String iface) {
    check(
        ssh.run(owner, access, WireGuardScripts.remove(configDir, iface, access.sudo()), null),
        access);
    ExternalChanges.changed(
        "WireGuardRemoved",
        String.format("WireGuard %s on %s removed for %s", iface, access.host(), owner));
  }

  /** Closes the owner's connection. */
  public void disconnect(String owner) {
    ssh.close(owner);
  }

  private static CommandResult check(CommandResult result, HostAccess access) {
    if (!result.succeeded()) {
      String err = result.stderr().strip();
      throw new DriverException(
          COMMAND_FAILED,
          "A WireGuard command on "
              + access.host()
              + " exited with "
              + result.exitStatus()
              + (err.isEmpty() ? "" : ": " + lastLine(err)),
          true);
    }
    return result;
  }

  private static String lastLine(String text) {
    String[] lines = text.split("\n");
    return lines[lines.length - 1];
  }
}
