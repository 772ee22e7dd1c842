package io.homelab.operator.sandbox.caddy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homelab.operator.sandbox.SimulatorServer;
import io.homelab.operator.sandbox.SimulatorServer.Request;
import io.homelab.operator.sandbox.SimulatorServer.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Caddy's admin config API ({@code /config/<path>}) for the sandbox when the real {@code caddy} is
 * not installed: the config as one JSON tree, with Caddy's semantics for the calls the operator
 * makes. GET answers the value at a path ({@code null} when there is none) and an ETag of that path
 * and a hash of its value; POST sets an object key (creating it when the parent exists) or appends
 * to an array; PATCH replaces a value that exists; DELETE removes one; a write whose {@code
 * If-Match} names a value that changed since is refused with 412. It serves no traffic: it stands
 * for the admin endpoint only.
 */
public final class CaddyAdminSimulator implements AutoCloseable {

  private final SimulatorServer server = new SimulatorServer();
  private JsonNode config;

  public CaddyAdminSimulator() {
    server
        .route("GET", "/config/?(?<path>.*)", r -> server.locked(() -> get(r)))
        .route("POST", "/config/?(?<path>.*)", r -> server.locked(() -> write(r)))
        .route("PATCH", "/config/?(?<path>.*)", r -> server.locked(() -> write(r)))
        .route("DELETE", "/config/?(?<path>.*)", r -> server.locked(() -> write(r)))
        .start();
    // As Caddy is run on a VPS: with a config that has only its admin endpoint.
    ObjectNode initial = SimulatorServer.JSON.createObjectNode();
    initial.putObject("admin").put("listen", adminAddress());
    config = initial;
  }

  /** {@code 127.0.0.1:<port>}, as an Edge's {@code spec.caddy.adminAddress} names it. */
  public String adminAddress() {
    URI uri = server.uri();
    return uri.getHost() + ":" + uri.getPort();
  }

  /** The HTTP side: request counters and the request log. */
  public SimulatorServer server() {
    return server;
  }

  /** A copy of the whole config. */
  public JsonNode config() {
    return server.locked(() -> config.deepCopy());
  }

  @Override
  public void close() {
    server.close();
  }

  private Response get(Request request) {
    String path = path(request);
    JsonNode value = at(config, segments(path));
    return new Response(
        200, Map.of("Etag", etag(path, value)), value == null ? NullNode.getInstance() : value);
  }

  private Response write(Request request) {
    String path = path(request);
    String ifMatch = request.header("If-Match");
    if (ifMatch != null) {
      String[] parts = ifMatch.replace("\"", "").split(" ", 2);
      if (parts.length != 2) {
        return error(400, "malformed If-Match header");
      }
      if (!etag(parts[0], at(config, segments(parts[0]))).equals(ifMatch)) {
        return error(412, "precondition failed; config changed since " + parts[0] + " was read");
      }
    }
    List<String> segments = segments(path);
    JsonNode next = config.deepCopy();
    try {
      switch (request.method()) {
        case "POST" -> next = post(next, segments, request.body());
        case "PATCH" -> next = patch(next, segments, request.body());
        default -> next = delete(next, segments);
      }
    } catch (IllegalArgumentException e) {
      return error(e.getMessage().startsWith("unknown") ? 404 : 400, e.getMessage());
    }
    config = next;
    return Response.json(200, null);
  }

  private static JsonNode post(JsonNode root, List<String> segments, JsonNode value) {
    if (segments.isEmpty()) {
      return value;
    }
    JsonNode parent = at(root, segments.subList(0, segments.size() - 1));
    String key = segments.get(segments.size() - 1);
    JsonNode target = at(root, segments);
    if (target instanceof ArrayNode array) {
      array.add(value);
      return root;
    }
    if (parent instanceof ObjectNode object) {
      object.set(key, value);
      return root;
    }
    throw new IllegalArgumentException("unknown path: the parent of " + key + " does not exist");
  }

  private static JsonNode patch(JsonNode root, List<String> segments, JsonNode value) {
    if (segments.isEmpty()) {
      return value;
    }
    if (at(root, segments) == null) {
      throw new IllegalArgumentException("unknown key: " + String.join("/", segments));
    }
    JsonNode parent = at(root, segments.subList(0, segments.size() - 1));
    String key = segments.get(segments.size() - 1);
    if (parent instanceof ArrayNode array) {
      array.set(Integer.parseInt(key), value);
    } else {
      ((ObjectNode) parent).set(key, value);
    }
    return root;
  }

  private static JsonNode delete(JsonNode root, List<String> segments) {
    if (segments.isEmpty()) {
      return NullNode.getInstance();
    }
    if (at(root, segments) == null) {
      throw new IllegalArgumentException("unknown key: " + String.join("/", segments));
    }
    JsonNode parent = at(root, segments.subList(0, segments.size() - 1));
    String key = segments.get(segments.size() - 1);
    if (parent instanceof ArrayNode array) {
      array.remove(Integer.parseInt(key));
    } else {
      ((ObjectNode) parent).remove(key);
    }
    return root;
  }

  /** The value at the path, or null when there is none. */
  private static JsonNode at(JsonNode root, List<String> segments) {
    JsonNode node = root;
    for (String segment : segments) {
      if (node instanceof ObjectNode object) {
        node = object.get(segment);
      } else if (node instanceof ArrayNode array && segment.matches("\\d+")) {
        node = array.get(Integer.parseInt(segment));
      } else {
        return null;
      }
      if (node == null || node.isNull()) {
        return null;
      }
    }
    return node == null || node.isNull() ? null : node;
  }

  private static String path(Request request) {
    String path = request.param("path");
    return "/config/" + (path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
  }

  private static List<String> segments(String path) {
    String rest = path.startsWith("/config/") ? path.substring("/config/".length()) : path;
    return rest.isEmpty() ? List.of() : List.of(rest.split("/"));
  }

  private static String etag(String path, JsonNode value) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
      return "\"" + path + " " + HexFormat.of().formatHex(hash, 0, 8) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static Response error(int status, String message) {
    return Response.json(status, SimulatorServer.JSON.createObjectNode().put("error", message));
  }
}
