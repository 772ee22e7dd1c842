package io.homelab.operator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the operator wants in Caddy's HTTP app, computed from what it read: its own server, its
 * routes inside its own server or inside a server the user named, and the listener conflicts that
 * make Caddy refuse a server. Pure; the driver does the I/O.
 */
public final class CaddyPlan {

  /** The server the operator owns when the Edge names none. */
  public static final String OWN_SERVER = "homelab";

  /** Listen addresses when the Edge gives none. */
  public static final List<String> DEFAULT_LISTEN = List.of(":80", ":443");

  private static final ObjectMapper JSON = new ObjectMapper();

  private CaddyPlan() {}

  /** A listener of another server that collides with one of ours. */
  public record ListenerConflict(String server, String address) {}

  /**
   * The first listener of another server that overlaps one of {@code listen}: the same port, and
   * the same host or a wildcard on either side. Caddy refuses a second server on such an address.
   */
  public static Optional<ListenerConflict> listenerConflict(
      JsonNode servers, String ownServer, List<String> listen) {
    if (servers == null || !servers.isObject()) {
      return Optional.empty();
    }
    Iterator<Map.Entry<String, JsonNode>> it = servers.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> server = it.next();
      if (server.getKey().equals(ownServer)) {
        continue;
      }
      for (JsonNode theirs : server.getValue().path("listen")) {
        for (String ours : listen) {
          if (overlaps(theirs.asText(), ours)) {
            return Optional.of(new ListenerConflict(server.getKey(), theirs.asText()));
          }
        }
      }
    }
    return Optional.empty();
  }

  static boolean overlaps(String a, String b) {
    String[] x = hostAndPort(a);
    String[] y = hostAndPort(b);
    if (!x[1].equals(y[1])) {
      return false;
    }
    return wildcard(x[0]) || wildcard(y[0]) || x[0].equalsIgnoreCase(y[0]);
  }

  private static String[] hostAndPort(String address) {
    String a = address.contains("/") ? address.substring(address.indexOf('/') + 1) : address;
    int colon = a.lastIndexOf(':');
    String host = colon < 0 ? "" : a.substring(0, colon);
    String port = colon < 0 ? a : a.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new String[] {host, port};
  }

  private static boolean wildcard(String host) {
    return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::");
  }

  /** The operator's own server: its listeners and its routes. */
  public static ObjectNode ownServer(List<String> listen, List<? extends JsonNode> routes) {
    ObjectNode server = JSON.createObjectNode();
    ArrayNode addresses = server.putArray("listen");
    listen.forEach(addresses::add);
    ArrayNode array = server.putArray("routes");
    routes.forEach(array::add);
    return server;
  }

  /**
   * The routes a server should hold: ours (those whose {@code @id} starts with {@code ourPrefix})
   * replaced by {@code ours}, placed first so that host matches come before a catch-all, and
   * everyone else's kept in their order.
   */
  private static final java.util.regex.Pattern OWN_ID_REST =
      java.util.regex.Pattern.compile("[0-9a-f]{16}");

  public static ArrayNode withOurRoutes(
      JsonNode current, List<? extends JsonNode> ours, String ourPrefix) {
    ArrayNode routes = JSON.createArrayNode();
    ours.forEach(routes::add);
    if (current != null) {
      for (JsonNode route : current) {
        if (!isOurs(route, ourPrefix)) {
          routes.add(route);
        }
      }
    }
    return routes;
  }

  /** The routes of a server that are ours. */
  public static List<JsonNode> ourRoutes(JsonNode routes, String ourPrefix) {
    List<JsonNode> ours = new ArrayList<>();
    if (routes != null) {
      routes.forEach(
          r -> {
            if (isOurs(r, ourPrefix)) {
              ours.add(r);
            }
          });
    }
    return ours;
  }

  public static boolean isOurs(JsonNode route, String ourPrefix) {
    String id = route.path("@id").asText("");
    // Exactly the prefix and a compact id's 16 hex digits: the prefix of installation "a"
    // ("homelab-a-") also begins every id of installation "a-b".
    return id.startsWith(ourPrefix)
        && OWN_ID_REST.matcher(id.substring(ourPrefix.length())).matches();
  }

  /** {@code @id}s that appear more than once (Caddy accepts a duplicate silently). */
  public static List<String> duplicateIds(List<? extends JsonNode> routes) {
    Set<String> seen = new HashSet<>();
    List<String> duplicates = new ArrayList<>();
    for (JsonNode route : routes) {
      String id = route.path("@id").asText(null);
      if (id != null && !seen.add(id) && !duplicates.contains(id)) {
        duplicates.add(id);
      }
    }
    return duplicates;
  }
}
