package io.homelab.operator.driver.wireguard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one read of a host shows about one WireGuard interface: the programs that are missing, the
 * config file, whether the link exists and is up, the {@code wg show dump}, and the routes through
 * the interface that the operator adds ({@code proto boot}, what {@code ip route replace} makes).
 *
 * @param missingTools programs the operator needs that are not installed
 * @param config the config file's text, or null when there is none
 * @param linkExists whether the interface exists
 * @param linkUp whether it is up
 * @param dump the live state, empty when the interface does not exist
 * @param routes destinations of the routes through the interface
 */
public record WireGuardHost(
    List<String> missingTools,
    String config,
    boolean linkExists,
    boolean linkUp,
    Optional<WireGuardDump> dump,
    List<String> routes) {

  static final String MARK = "--- homelab-operator ";

  /** Reads the output of {@link WireGuardScripts#observe}. */
  public static WireGuardHost parse(String output) {
    Map<String, StringBuilder> sections = new LinkedHashMap<>();
    StringBuilder current = null;
    for (String line : output.split("\n", -1)) {
      if (line.startsWith(MARK)) {
        current = new StringBuilder();
        sections.put(line.substring(MARK.length()).trim(), current);
      } else if (current != null) {
        current.append(line).append('\n');
      }
    }
    List<String> missing = lines(sections.get("missing"));
    String config = sections.containsKey("config") ? sections.get("config").toString() : null;
    if (config != null && config.endsWith("\n\n")) {
      // The script prints a newline after the file, in case it has no final one.
      config = config.substring(0, config.length() - 1);
    }
    List<String> link = lines(sections.get("link"));
    boolean exists = !link.isEmpty();
    boolean up = exists && link.get(0).matches(".*<([^>]*,)?UP(,[^>]*)?>.*");
    List<String> routes = new ArrayList<>();
    for (String route : lines(sections.get("routes"))) {
      routes.add(route.split("\\s+")[0]);
    }
    String dump = sections.containsKey("dump") ? sections.get("dump").toString() : "";
    return new WireGuardHost(
        missing, config, exists, up, exists ? WireGuardDump.parse(dump) : Optional.empty(), routes);
  }

  private static List<String> lines(StringBuilder section) {
    if (section == null) {
      return List.of();
    }
    return section.toString().lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
  }
}
