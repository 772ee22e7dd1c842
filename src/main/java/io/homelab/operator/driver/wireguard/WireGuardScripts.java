package io.homelab.operator.driver.wireguard;

import static io.homelab.operator.driver.ssh.Commands.quote;

import io.homelab.operator.model.WireGuardPrivileges;
import java.util.List;

/**
 * The bash scripts the WireGuard driver runs on a host, one per operation so that each operation is
 * one SSH command. Pure: text in, text out.
 */
public final class WireGuardScripts {

  /** The programs the operator needs on a host. */
  public static final List<String> TOOLS = List.of("wg", "wg-quick", "ip");

  private WireGuardScripts() {}

  /** The config file of an interface. */
  public static String file(String configDir, String iface) {
    return configDir + "/" + iface + ".conf";
  }

  /**
   * Prints every section {@link WireGuardHost#parse} reads, in one command. The config is read
   * through {@code conf_read}: a user that is not root cannot even see whether it exists.
   */
  public static String observe(String configDir, String iface, boolean sudo) {
    String f = quote(file(configDir, iface));
    String i = quote(iface);
    String mark = "echo '" + WireGuardHost.MARK;
    return WireGuardPrivileges.preamble(sudo)
        + String.join(
            "\n",
            mark + "missing'",
            "for t in " + String.join(" ", TOOLS) + "; do have $t || echo $t; done",
            "if c=$(conf_read "
                + f
                + " 2>/dev/null && echo .); then "
                + mark
                + "config';"
                + " printf '%s\\n' \"${c%.}\"; fi",
            mark + "link'",
            "command ip -o link show dev " + i + " 2>/dev/null",
            mark + "dump'",
            "command ip link show dev " + i + " >/dev/null 2>&1 && wg show " + i + " dump",
            mark + "routes'",
            "command ip -4 route show dev " + i + " proto boot 2>/dev/null",
            "exit 0");
  }

  /**
   * Writes the config (read from stdin) with mode 600, brings the interface up when it is missing
   * or down, gives it its address and MTU, loads the config with {@code wg syncconf} (peers change
   * without resetting the sessions of the others), then adds the routes wanted and deletes the
   * stale ones.
   */
  public static String apply(
      String configDir,
      String iface,
      String address,
      Integer mtu,
      List<String> routes,
      List<String> staleRoutes,
      boolean sudo) {
    String f = quote(file(configDir, iface));
    String i = quote(iface);
    StringBuilder s = new StringBuilder(WireGuardPrivileges.preamble(sudo));
    s.append("set -euo pipefail\n");
    s.append("umask 077\n");
    s.append("conf_dir ").append(quote(configDir)).append('\n');
    s.append("conf_write ").append(f).append('\n');
    s.append("if ! command ip link show dev ").append(i).append(" >/dev/null 2>&1; then\n");
    // No kernel module: the userspace implementation, detached from this session's output.
    s.append("  ip link add dev ")
        .append(i)
        .append(" type wireguard 2>/dev/null || wireguard-go ")
        .append(i)
        .append(" </dev/null >/dev/null 2>&1\n");
    s.append("fi\n");
    s.append("ip address replace ").append(quote(address)).append(" dev ").append(i).append('\n');
    if (mtu != null) {
      s.append("ip link set dev ").append(i).append(" mtu ").append(mtu).append('\n');
    }
    s.append("ip link set dev ").append(i).append(" up\n");
    // Through a pipe, not a file descriptor of the shell: sudo passes stdin on and closes the rest.
    s.append("wg-quick strip ")
        .append(f)
        .append(" | wg syncconf ")
        .append(i)
        .append(" /dev/stdin\n");
    for (String route : routes) {
      s.append("ip route replace ").append(quote(route)).append(" dev ").append(i).append('\n');
    }
    for (String route : staleRoutes) {
      s.append("ip route del ")
          .append(quote(route))
          .append(" dev ")
          .append(i)
          .append(" 2>/dev/null || true\n");
    }
    return s.toString();
  }

  /** Deletes the interface and its config file. */
  public static String remove(String configDir, String iface, boolean sudo) {
    return WireGuardPrivileges.preamble(sudo)
        + "ip link del dev "
        + quote(iface)
        + " 2>/dev/null || true\nconf_remove "
        + quote(file(configDir, iface))
        + "\n";
  }
}
