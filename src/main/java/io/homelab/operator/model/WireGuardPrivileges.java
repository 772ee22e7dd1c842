package io.homelab.operator.model;

import java.util.List;

/**
 * What the WireGuard scripts run as root, in one place: the shell functions a script starts with
 * and the sudoers rule that allows exactly their commands. Pure.
 *
 * <p>A root login runs the programs by name. A login with {@code sudo} runs the script as the user;
 * each privileged command in it goes through {@code sudo -n <absolute path> <arguments>}, and each
 * argument the rule allows is a fixed word or a value of the shape the operator writes (an
 * interface name, an address, an MTU, the config file of an interface). Reading links and routes
 * ({@code ip ... show}) needs no privilege and runs as the user.
 */
public final class WireGuardPrivileges {

  /** {@code wg}: the interface's keys and peers (the dump prints the private key). */
  public static final String WG = "/usr/bin/wg";

  public static final String WG_QUICK = "/usr/bin/wg-quick";

  public static final String IP = "/usr/sbin/ip";

  /** The userspace implementation, when the kernel has no WireGuard module. */
  public static final String WIREGUARD_GO = "/usr/bin/wireguard-go";

  public static final String MKDIR = "/usr/bin/mkdir";

  public static final String INSTALL = "/usr/bin/install";

  public static final String CAT = "/usr/bin/cat";

  public static final String RM = "/usr/bin/rm";

  /** A Linux interface name, as {@code Patterns.INTERFACE_NAME} allows it. */
  private static final String IFACE = "[a-zA-Z0-9_=+.-]{1,15}";

  /** An IPv4 or IPv6 address or network in CIDR notation. */
  private static final String ADDRESS = "[0-9a-fA-F.:/]{2,43}";

  private WireGuardPrivileges() {}

  /**
   * The functions a script starts with: {@code wg}, {@code wg-quick}, {@code ip} and {@code
   * wireguard-go} through sudo for a sudo login (none for root), and for both {@code have TOOL},
   * {@code conf_dir DIR}, {@code conf_read FILE}, {@code conf_write FILE} (from stdin, mode 600)
   * and {@code conf_remove FILE}.
   */
  public static String preamble(boolean sudo) {
    if (!sudo) {
      return String.join(
          "\n",
          "have() { command -v \"$1\" >/dev/null; }",
          "conf_dir() { (umask 077; mkdir -p \"$1\"); }",
          "conf_read() { cat \"$1\"; }",
          "conf_write() { (umask 077; cat > \"$1.tmp\") && mv \"$1.tmp\" \"$1\"; }",
          "conf_remove() { rm -f \"$1\"; }",
          "");
    }
    return String.join(
        "\n",
        "wg() { sudo -n " + WG + " \"$@\"; }",
        "wg-quick() { sudo -n " + WG_QUICK + " \"$@\"; }",
        "ip() { sudo -n " + IP + " \"$@\"; }",
        "wireguard-go() { sudo -n " + WIREGUARD_GO + " \"$@\"; }",
        "have() { case \"$1\" in wg) [ -x "
            + WG
            + " ] ;; wg-quick) [ -x "
            + WG_QUICK
            + " ] ;; ip) [ -x "
            + IP
            + " ] ;; *) false ;; esac; }",
        "conf_dir() { sudo -n " + MKDIR + " -p -m 700 \"$1\"; }",
        "conf_read() { sudo -n " + CAT + " \"$1\"; }",
        "conf_write() { sudo -n " + INSTALL + " -m 600 /dev/stdin \"$1\"; }",
        "conf_remove() { sudo -n " + RM + " -f \"$1\"; }",
        "");
  }

  /**
   * The sudoers file for {@code user} with the configs in {@code configDir}: every command the
   * scripts run through sudo, each with its arguments as a regular expression (sudo 1.9.10 or
   * later), and nothing else.
   */
  public static String sudoers(String user, String configDir) {
    String dir = regexLiteral(configDir);
    String file = dir + "/" + IFACE + "\\.conf";
    List<String> commands =
        List.of(
            WG + " ^show " + IFACE + " dump$",
            WG + " ^syncconf " + IFACE + " /dev/stdin$",
            WG_QUICK + " ^strip " + file + "$",
            WIREGUARD_GO + " ^" + IFACE + "$",
            IP + " ^link add dev " + IFACE + " type wireguard$",
            IP + " ^link set dev " + IFACE + " (up|mtu [0-9]{1,5})$",
            IP + " ^link del dev " + IFACE + "$",
            IP + " ^address replace " + ADDRESS + " dev " + IFACE + "$",
            IP + " ^route (replace|del) " + ADDRESS + " dev " + IFACE + "$",
            MKDIR + " ^-p -m 700 " + dir + "$",
            INSTALL + " ^-m 600 /dev/stdin " + file + "$",
            CAT + " ^" + file + "$",
            RM + " ^-f " + file + "$");
    StringBuilder s = new StringBuilder();
    s.append("# /etc/sudoers.d/homelab-operator (mode 440)\n");
    s.append(user).append(" ALL=(root) NOPASSWD: \\\n");
    for (int i = 0; i < commands.size(); i++) {
      s.append("  ").append(sudoersEscape(commands.get(i)));
      s.append(i < commands.size() - 1 ? ", \\\n" : "\n");
    }
    return s.toString();
  }

  /** A path as a regular expression that matches only itself. */
  private static String regexLiteral(String text) {
    StringBuilder s = new StringBuilder();
    for (char c : text.toCharArray()) {
      if ("\\.[]()*+?{}|^$".indexOf(c) >= 0) {
        s.append('\\');
      }
      s.append(c);
    }
    return s.toString();
  }

  /** The characters sudoers reads specially in a command's arguments, escaped. */
  private static String sudoersEscape(String command) {
    StringBuilder s = new StringBuilder();
    for (char c : command.toCharArray()) {
      if (c == ',' || c == ':' || c == '=') {
        s.append('\\');
      }
      s.append(c);
    }
    return s.toString();
  }
}
