package io.homelab.operator.driver.caddy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homelab.operator.driver.ExternalChanges;
import io.homelab.operator.model.CaddyPlan;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link CaddyDriver} over Caddy's admin API. Every write names the ETag of the read it was planned
 * from in {@code If-Match}, so an edit made meanwhile by someone else is detected (412) and the
 * next poll plans again, instead of overwriting it.
 */
public final class HttpCaddyDriver implements CaddyDriver {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CLAIMED =
      Pattern.compile("server (\\S+): listener address repeated: (\\S+)");

  private final CaddyAdmin admin;
  private final String ourPrefix;
  private final String edge;

  /**
   * @param ourPrefix what every {@code @id} this installation writes starts with
   * @param edge the Edge's namespace/name, for log lines
   */
  public HttpCaddyDriver(CaddyAdmin admin, String ourPrefix, String edge) {
    this.admin = admin;
    this.ourPrefix = ourPrefix;
    this.edge = edge;
  }

  @Override
  public Apps read() {
    CaddyAdmin.Response response = admin.get("apps");
    check(response, "GET /config/apps");
    return new Apps(parse(response.body()), response.etag());
  }

  @Override
  public Change ensureServer(Apps observed, List<String> listen) {
    CaddyPlan.listenerConflict(observed.servers(), CaddyPlan.OWN_SERVER, listen)
        .ifPresent(
            c -> {
              throw new ListenerConflictException(c.server(), c.address());
            });
    JsonNode current = observed.server(CaddyPlan.OWN_SERVER);
    ArrayNode wanted = JSON.valueToTree(listen);
    if (current == null) {
      ObjectNode server = CaddyPlan.ownServer(listen, List.of());
      write(observed, "apps/http/servers/" + CaddyPlan.OWN_SERVER, server);
      ExternalChanges.changed(
          "CaddyServerCreated",
          String.format(
              "Edge %s: created Caddy server %s on %s", edge, CaddyPlan.OWN_SERVER, listen));
      return Change.CREATED;
    }
    if (!wanted.equals(current.path("listen"))) {
      write(observed, "apps/http/servers/" + CaddyPlan.OWN_SERVER + "/listen", wanted);
      ExternalChanges.changed(
          "CaddyServerUpdated",
          String.format(
              "Edge %s: Caddy server %s now listens on %s", edge, CaddyPlan.OWN_SERVER, listen));
      return Change.UPDATED;
    }
    return Change.NONE;
  }

  @Override
  public Change replaceRoutes(Apps observed, String server, List<? extends JsonNode> routes) {
    List<String> duplicates = CaddyPlan.duplicateIds(routes);
    if (!duplicates.isEmpty()) {
      throw new CaddyException("duplicate route @id " + duplicates, false);
    }
    JsonNode current = observed.server(server);
    if (current == null) {
      throw new CaddyException("Caddy has no server '" + server + "'", false);
    }
    JsonNode currentRoutes = current.path("routes");
    // Routes without this installation's @id prefix stay, in our server too: another
    // installation sharing this Caddy, or a person, may have put them there.
    ArrayNode desired = CaddyPlan.withOurRoutes(currentRoutes, routes, ourPrefix);
    JsonNode comparable = currentRoutes.isMissingNode() ? JSON.createArrayNode() : currentRoutes;
    if (desired.equals(comparable)) {
      return Change.NONE;
    }
    write(observed, "apps/http/servers/" + server + "/routes", desired);
    ExternalChanges.changed(
        "CaddyRoutesWritten",
        String.format("Edge %s: wrote %d routes to Caddy server %s", edge, routes.size(), server));
    return Change.UPDATED;
  }

  @Override
  public Change ensureTlsPolicy(Apps observed, String id, JsonNode policy) {
    JsonNode policies = observed.tlsPolicies();
    int index = -1;
    for (int i = 0; i < policies.size(); i++) {
      if (id.equals(policies.get(i).path("@id").asText())) {
        index = i;
      }
    }
    if (policy == null) {
      if (index < 0) {
        return Change.NONE;
      }
      delete(observed, "apps/tls/automation/policies/" + index);
      return Change.REMOVED;
    }
    ObjectNode wanted = policy.deepCopy();
    ((ObjectNode) wanted).put("@id", id);
    if (index >= 0) {
      if (policies.get(index).equals(wanted)) {
        return Change.NONE;
      }
      write(observed, "apps/tls/automation/policies/" + index, wanted);
      return Change.UPDATED;
    }
    // Ours goes first: Caddy uses the first policy whose subjects match.
    ArrayNode list = JSON.createArrayNode().add(wanted);
    policies.forEach(list::add);
    write(observed, "apps/tls/automation/policies", list);
    ExternalChanges.changed(
        "CaddyTlsPolicyAdded", String.format("Edge %s: added Caddy TLS policy %s", edge, id));
    return Change.CREATED;
  }

  @Override
  public Change remove(Apps observed, String server) {
    JsonNode current = observed.server(server);
    if (current == null) {
      return Change.NONE;
    }
    boolean othersRoutes =
        current.path("routes").size()
            > CaddyPlan.ourRoutes(current.path("routes"), ourPrefix).size();
    // Our server goes whole, unless someone else put routes into it: those stay, in it.
    if (server.equals(CaddyPlan.OWN_SERVER) && !othersRoutes) {
      delete(observed, "apps/http/servers/" + server);
      ExternalChanges.changed(
          "CaddyServerRemoved", String.format("Edge %s: removed Caddy server %s", edge, server));
      return Change.REMOVED;
    }
    if (CaddyPlan.ourRoutes(current.path("routes"), ourPrefix).isEmpty()) {
      return Change.NONE;
    }
    write(
        observed,
        "apps/http/servers/" + server + "/routes",
        CaddyPlan.withOurRoutes(current.path("routes"), List.of(), ourPrefix));
    ExternalChanges.changed(
        "CaddyRoutesRemoved",
        String.format("Edge %s: removed the operator's routes from Caddy server %s", edge, server));
    return Change.REMOVED;
  }

  /**
   * Sets {@code path} (below {@code /config/}) to {@code value}: PATCH when it exists; otherwise
   * POST at the first missing key, with the rest of the path wrapped around the value, because
   * Caddy creates a missing key only when its parent exists.
   */
  private void write(Apps observed, String path, JsonNode value) {
    String[] segments = path.split("/");
    int present = presentDepth(observed.apps(), segments);
    if (present == segments.length) {
      check(admin.patch(path, value.toString(), observed.etag()), "PATCH /config/" + path);
      return;
    }
    JsonNode body = value;
    for (int i = segments.length - 1; i > present; i--) {
      ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
      wrapper.set(segments[i], body);
      body = wrapper;
    }
    String target = String.join("/", Arrays.copyOf(segments, present + 1));
    check(admin.post(target, body.toString(), observed.etag()), "POST /config/" + target);
  }

  /** How many leading segments of the path exist; the first, {@code apps}, when apps is set. */
  private static int presentDepth(JsonNode apps, String[] segments) {
    if (apps == null || apps.isNull() || apps.isMissingNode()) {
      return 0;
    }
    JsonNode node = apps;
    for (int i = 1; i < segments.length; i++) {
      node = node.isArray() ? node.path(Integer.parseInt(segments[i])) : node.path(segments[i]);
      if (node.isMissingNode() || node.isNull()) {
        return i;
      }
    }
    return segments.length;
  }

  private void delete(Apps observed, String path) {
    check(admin.delete(path, observed.etag()), "DELETE /config/" + path);
  }

  private static void check(CaddyAdmin.Response response, String call) {
    if (response.ok()) {
      return;
    }
    String error = response.body();
    Matcher claimed = CLAIMED.matcher(error);
    if (claimed.find()) {
      throw new ListenerConflictException(claimed.group(1), claimed.group(2));
    }
    if (response.status() == 412) {
      throw new CaddyException(
          call + ": Caddy's config changed since it was read (412); planning again", true);
    }
    throw new CaddyException(
        call + " answered " + response.status() + ": " + error,
        response.status() >= 500 || response.status() == 429);
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
    } catch (IOException e) {
      throw new CaddyException("Caddy answered something that is not JSON: " + body, true, e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
