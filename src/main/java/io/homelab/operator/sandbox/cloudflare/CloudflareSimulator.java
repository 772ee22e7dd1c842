package io.homelab.operator.sandbox.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homelab.operator.sandbox.ContractFacts;
import io.homelab.operator.sandbox.SimulatorServer;
import io.homelab.operator.sandbox.SimulatorServer.Request;
import io.homelab.operator.sandbox.SimulatorServer.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A stateful Cloudflare API v4 (zones and DNS records) on the loopback address, held to the facts
 * of its schema ({@code sandbox/cloudflare/cloudflare-api-facts.json}): zones by name, record CRUD
 * with filters and pagination, the batch endpoint (one transaction: deletes, patches, puts, posts,
 * in that order, a limited number of changes), the 100-character comment, identical records
 * refused, and a rate budget per window (1,200 per 5 minutes by default) answering 429 with {@code
 * Retry-After} when spent. Through {@link #server()}: 5xx replies and hanging requests.
 */
public final class CloudflareSimulator implements AutoCloseable {

  private static final ContractFacts FACTS =
      ContractFacts.load("sandbox/cloudflare/cloudflare-api-facts.json");
  private static final String ZONE = "/client/v4/zones/(?<zone>[^/]+)";
  private static final String RECORD = ZONE + "/dns_records/(?<id>[^/]+)";

  /** A rejected change: Cloudflare's error code and message. */
  private static final class Refused extends RuntimeException {
    final int status;
    final int code;

    Refused(int status, int code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  private final Clock clock;
  private final SimulatorServer server;
  private final Set<String> tokens = new HashSet<>();
  // Tokens limited to some zones (Zone Resources: Include specific zone); others see every zone.
  private final Map<String, Set<String>> scopes = new java.util.HashMap<>();
  private final Map<String, String> zones = new LinkedHashMap<>();
  private final Map<String, LinkedHashMap<String, ObjectNode>> records = new LinkedHashMap<>();
  private final int commentMaxLength = FACTS.at("/limits/commentMaxLength").asInt();
  private int batchMaxChanges = FACTS.at("/limits/batchMaxChanges").asInt();
  private int budget = FACTS.at("/limits/rateRequests").asInt();
  private Duration window = Duration.ofSeconds(FACTS.at("/limits/rateWindowSeconds").asLong());
  private Instant windowStart;
  private int used;
  private int batches;

  /** A simulator on a free loopback port. */
  public CloudflareSimulator(Clock clock) {
    this(clock, 0);
  }

  /** A simulator on the given loopback port (0: any free one). */
  public CloudflareSimulator(Clock clock, int port) {
    this.clock = clock;
    this.server = new SimulatorServer(port);
    server
        .route("GET", "/client/v4/zones", r -> guarded(r, this::listZones))
        .route("GET", ZONE + "/dns_records", r -> guarded(r, this::listRecords))
        .route(
            "POST",
            ZONE + "/dns_records",
            r -> guarded(r, q -> change(q, z -> post(z, q.param("zone"), q.body()))))
        .route("POST", ZONE + "/dns_records/batch", r -> guarded(r, this::batch))
        .route("GET", RECORD, r -> guarded(r, this::getRecord))
        .route(
            "PATCH",
            RECORD,
            r ->
                guarded(r, q -> change(q, z -> patch(z, q.param("zone"), q.param("id"), q.body()))))
        .route(
            "PUT",
            RECORD,
            r -> guarded(r, q -> change(q, z -> put(z, q.param("zone"), q.param("id"), q.body()))))
        .route("DELETE", RECORD, r -> guarded(r, q -> change(q, z -> delete(z, q.param("id")))))
        .start();
  }

  /** The API base, {@code http://127.0.0.1:<port>/client/v4}. */
  public URI apiUrl() {
    return URI.create(server.uri() + "/client/v4");
  }

  /** The HTTP side: request counters, 5xx and hanging requests. */
  public SimulatorServer server() {
    return server;
  }

  /** An API token the simulator accepts. */
  public void addToken(String token) {
    server.locked(() -> tokens.add(token));
  }

  /**
   * An API token limited to one zone, as a token made with "Zone Resources: Include, specific
   * zone": {@code GET /zones} lists only that zone, and any other zone's records answer 403.
   */
  public void addZoneToken(String token, String zoneId) {
    server.locked(
        () -> {
          tokens.add(token);
          return scopes.put(token, Set.of(zoneId));
        });
  }

  /** A zone; returns its id. */
  public String addZone(String name) {
    return server.locked(
        () -> {
          String id = UUID.randomUUID().toString().replace("-", "");
          zones.put(id, name.toLowerCase(Locale.ROOT));
          records.put(id, new LinkedHashMap<>());
          return id;
        });
  }

  /** How many requests a window allows, and how long a window is. */
  public void rateLimit(int requests, Duration length) {
    server.locked(
        () -> {
          budget = requests;
          window = length;
          return null;
        });
  }

  /** How many changes one batch may carry (Cloudflare's free plan: 200). */
  public void batchLimit(int changes) {
    server.locked(() -> batchMaxChanges = changes);
  }

  /** Batch requests that were applied. */
  public int batches() {
    return server.locked(() -> batches);
  }

  /** A copy of a zone's records, in creation order. */
  public List<ObjectNode> records(String zoneId) {
    return server.locked(
        () -> records.get(zoneId).values().stream().map(ObjectNode::deepCopy).toList());
  }

  /**
   * A record put straight into the zone, as the dashboard or another tool would; returns its id.
   */
  public String seed(String zoneId, ObjectNode record) {
    return server.locked(() -> post(records.get(zoneId), zoneId, record).get("id").asText());
  }

  @Override
  public void close() {
    server.close();
  }

  // --- the rate budget and the token
  // --------------------------------------------------------------

  private Response guarded(Request request, SimulatorServer.Handler handler) {
    Instant now = clock.instant();
    if (windowStart == null || !now.isBefore(windowStart.plus(window))) {
      windowStart = now;
      used = 0;
    }
    if (used >= budget) {
      long seconds = Math.max(1, Duration.between(now, windowStart.plus(window)).toSeconds());
      Response limited =
          failure(429, 971, "Please wait and consider throttling your request speed");
      return new Response(429, Map.of("Retry-After", Long.toString(seconds)), limited.body());
    }
    used++;
    String header = request.header("Authorization");
    if (header == null || !header.startsWith("Bearer ") || !tokens.contains(header.substring(7))) {
      return failure(403, 9109, "Invalid access token");
    }
    String zone = request.path().startsWith("/client/v4/zones/") ? request.param("zone") : null;
    if (zone != null && !sees(request, zone)) {
      return failure(403, 10000, "Authentication error");
    }
    try {
      return handler.handle(request);
    } catch (Refused e) {
      return failure(e.status, e.code, e.getMessage());
    }
  }

  /** Whether the request's token may see the zone. */
  private boolean sees(Request request, String zoneId) {
    Set<String> scope = scopes.get(request.header("Authorization").substring(7));
    return scope == null || scope.contains(zoneId);
  }

  // --- zones
  // ----------------------------------------------------------------------------------------

  /** {@code GET /zones?name=}. */
  private Response listZones(Request request) {
    checkQuery("GET /zones", request);
    String name = request.query().get("name");
    List<JsonNode> found = new ArrayList<>();
    zones.forEach(
        (id, zoneName) -> {
          if ((name == null || zoneName.equalsIgnoreCase(name)) && sees(request, id)) {
            found.add(SimulatorServer.JSON.createObjectNode().put("id", id).put("name", zoneName));
          }
        });
    return page(request, found, 20);
  }

  // --- records
  // --------------------------------------------------------------------------------------

  /** {@code GET /zones/{zone_id}/dns_records} with its filters, paginated. */
  private Response listRecords(Request request) {
    checkQuery("GET /zones/{zone_id}/dns_records", request);
    Map<String, ObjectNode> zone = zone(request);
    Map<String, String> q = request.query();
    List<Predicate<JsonNode>> filters = new ArrayList<>();
    text(q, "name", v -> r -> r.path("name").asText().equalsIgnoreCase(v), filters);
    text(q, "type", v -> r -> r.path("type").asText().equals(v), filters);
    text(q, "content", v -> r -> r.path("content").asText().equals(v), filters);
    text(q, "proxied", v -> r -> r.path("proxied").asBoolean() == Boolean.parseBoolean(v), filters);
    text(q, "comment", v -> r -> r.path("comment").asText().equals(v), filters);
    text(q, "comment.exact", v -> r -> r.path("comment").asText().equals(v), filters);
    text(q, "comment.contains", v -> r -> r.path("comment").asText().contains(v), filters);
    text(q, "comment.startswith", v -> r -> r.path("comment").asText().startsWith(v), filters);
    text(q, "comment.endswith", v -> r -> r.path("comment").asText().endsWith(v), filters);
    text(q, "comment.present", v -> r -> !r.path("comment").asText("").isEmpty(), filters);
    text(q, "comment.absent", v -> r -> r.path("comment").asText("").isEmpty(), filters);
    boolean any = "any".equals(q.get("match"));
    List<JsonNode> found =
        zone.values().stream()
            .filter(
                r ->
                    filters.isEmpty()
                        || (any
                            ? filters.stream().anyMatch(f -> f.test(r))
                            : filters.stream().allMatch(f -> f.test(r))))
            .map(r -> (JsonNode) r.deepCopy())
            .toList();
    return page(request, found, 100);
  }

  private static void text(
      Map<String, String> query,
      String key,
      java.util.function.Function<String, Predicate<JsonNode>> filter,
      List<Predicate<JsonNode>> filters) {
    if (query.containsKey(key)) {
      filters.add(filter.apply(query.get(key)));
    }
  }

  /** {@code GET /zones/{zone_id}/dns_records/{dns_record_id}}. */
  private Response getRecord(Request request) {
    ObjectNode record = zone(request).get(request.param("id"));
    if (record == null) {
      return failure(404, 81044, "Record does not exist.");
    }
    return success(record.deepCopy());
  }

  /** A single-record write, applied to a copy of the zone that replaces it only on success. */
  private Response change(
      Request request,
      java.util.function.Function<LinkedHashMap<String, ObjectNode>, JsonNode> write) {
    LinkedHashMap<String, ObjectNode> copy = copy(zone(request));
    JsonNode result = write.apply(copy);
    records.put(request.param("zone"), copy);
    return success(result);
  }

  /** {@code POST /zones/{zone_id}/dns_records/batch}: one transaction, in the contract's order. */
  private Response batch(Request request) {
    Map<String, ObjectNode> zone = zone(request);
    String zoneId = request.param("zone");
    JsonNode body = request.body();
    int changes = 0;
    for (JsonNode key : FACTS.at("/batch/requestKeys")) {
      changes += body.path(key.asText()).size();
    }
    if (changes > batchMaxChanges) {
      throw new Refused(
          400, 81000, "batch of " + changes + " changes exceeds the limit of " + batchMaxChanges);
    }
    LinkedHashMap<String, ObjectNode> copy = copy(zone);
    ObjectNode result = SimulatorServer.JSON.createObjectNode();
    ArrayNode deletes = result.putArray("deletes");
    for (JsonNode d : body.path("deletes")) {
      deletes.add(delete(copy, d.path("id").asText()));
    }
    ArrayNode patches = result.putArray("patches");
    for (JsonNode p : body.path("patches")) {
      patches.add(patch(copy, zoneId, p.path("id").asText(), p));
    }
    ArrayNode puts = result.putArray("puts");
    for (JsonNode p : body.path("puts")) {
      puts.add(put(copy, zoneId, p.path("id").asText(), p));
    }
    ArrayNode posts = result.putArray("posts");
    for (JsonNode p : body.path("posts")) {
      posts.add(post(copy, zoneId, p));
    }
    records.put(zoneId, copy);
    batches++;
    return success(result);
  }

  private ObjectNode post(Map<String, ObjectNode> zone, String zoneId, JsonNode body) {
    ObjectNode record = SimulatorServer.JSON.createObjectNode();
    record.put("id", UUID.randomUUID().toString().replace("-", ""));
    record.put("proxied", false).put("ttl", 1).put("comment", (String) null);
    record.putArray("tags");
    record.put("created_on", now());
    write(zone, zoneId, record, body);
    return record.deepCopy();
  }

  private ObjectNode patch(Map<String, ObjectNode> zone, String zoneId, String id, JsonNode body) {
    ObjectNode record = existing(zone, id);
    ObjectNode merged = record.deepCopy();
    write(zone, zoneId, merged, body);
    return merged.deepCopy();
  }

  private ObjectNode put(Map<String, ObjectNode> zone, String zoneId, String id, JsonNode body) {
    ObjectNode record = existing(zone, id);
    ObjectNode replaced = SimulatorServer.JSON.createObjectNode();
    replaced.put("id", id).put("proxied", false).put("ttl", 1).put("comment", (String) null);
    replaced.putArray("tags");
    replaced.set("created_on", record.get("created_on"));
    write(zone, zoneId, replaced, body);
    return replaced.deepCopy();
  }

  private ObjectNode delete(Map<String, ObjectNode> zone, String id) {
    existing(zone, id);
    zone.remove(id);
    return SimulatorServer.JSON.createObjectNode().put("id", id);
  }

  // Writes the body's fields onto the record, checks the result and stores it.
  private void write(
      Map<String, ObjectNode> zone, String zoneId, ObjectNode record, JsonNode body) {
    if (!body.isObject()) {
      throw new Refused(400, 9207, "Request body is invalid.");
    }
    body.fields()
        .forEachRemaining(
            f -> {
              if (!isReadOnly(f.getKey())) {
                record.set(f.getKey(), f.getValue());
              }
            });
    String type = record.path("type").asText();
    JsonNode schema = FACTS.at("/recordsByType").get(type);
    if (schema == null) {
      throw new Refused(400, 9000, "record type '" + type + "' is not simulated");
    }
    // Cloudflare answers an absent comment as null, which the schema's string type does not allow:
    // check what was given.
    ObjectNode given = record.deepCopy();
    record
        .fields()
        .forEachRemaining(
            f -> {
              if (f.getValue().isNull()) {
                given.remove(f.getKey());
              }
            });
    List<String> violations = ContractFacts.violations(schema, given);
    if (!violations.isEmpty()) {
      throw new Refused(400, 9000, String.join(", ", violations));
    }
    String comment = record.path("comment").asText("");
    if (comment.length() > commentMaxLength) {
      throw new Refused(
          400, 9100, "DNS record comment is longer than " + commentMaxLength + " characters.");
    }
    String zoneName = zones.get(zoneId);
    String name = record.get("name").asText().toLowerCase(Locale.ROOT);
    if (name.equals("@")) {
      name = zoneName;
    } else if (!name.equals(zoneName) && !name.endsWith("." + zoneName)) {
      name = name + "." + zoneName;
    }
    record.put("name", name);
    record.put("proxiable", !type.equals("TXT"));
    record.put("modified_on", now());
    for (ObjectNode other : zone.values()) {
      if (other.get("id").equals(record.get("id")) || !other.get("name").asText().equals(name)) {
        continue;
      }
      if (other.get("type").asText().equals(type)
          && other.get("content").asText().equals(record.get("content").asText())) {
        throw new Refused(400, 81058, "An identical record already exists.");
      }
      if (type.equals("CNAME") || other.get("type").asText().equals("CNAME")) {
        throw new Refused(400, 81053, "A CNAME record cannot share its name with another record.");
      }
    }
    zone.put(record.get("id").asText(), record);
  }

  private static boolean isReadOnly(String field) {
    for (JsonNode readOnly : FACTS.at("/recordReadOnly")) {
      if (readOnly.asText().equals(field)) {
        return true;
      }
    }
    return false;
  }

  private static ObjectNode existing(Map<String, ObjectNode> zone, String id) {
    ObjectNode record = zone.get(id);
    if (record == null) {
      throw new Refused(404, 81044, "Record " + id + " does not exist.");
    }
    return record;
  }

  private Map<String, ObjectNode> zone(Request request) {
    Map<String, ObjectNode> zone = records.get(request.param("zone"));
    if (zone == null) {
      throw new Refused(404, 7003, "Could not route to /zones/" + request.param("zone"));
    }
    return zone;
  }

  private static LinkedHashMap<String, ObjectNode> copy(Map<String, ObjectNode> zone) {
    LinkedHashMap<String, ObjectNode> copy = new LinkedHashMap<>();
    zone.forEach((id, record) -> copy.put(id, record.deepCopy()));
    return copy;
  }

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
  }

  // --- envelopes
  // ------------------------------------------------------------------------------------

  private static void checkQuery(String operation, Request request) {
    List<String> violations = FACTS.queryViolations(operation, request.query());
    if (!violations.isEmpty()) {
      throw new Refused(400, 1004, String.join(", ", violations));
    }
  }

  /** One page of {@code all}; page and per_page were checked against the contract already. */
  private static Response page(Request request, List<JsonNode> all, int defaultSize) {
    int page = (int) Double.parseDouble(request.query().getOrDefault("page", "1"));
    int perPage =
        (int) Double.parseDouble(request.query().getOrDefault("per_page", "" + defaultSize));
    int from = (int) Math.min(all.size(), (page - 1L) * perPage);
    int to = (int) Math.min(all.size(), (long) from + perPage);
    ObjectNode body = envelope(true);
    ArrayNode result = body.putArray("result");
    all.subList(from, to).forEach(result::add);
    body.putObject("result_info")
        .put("page", page)
        .put("per_page", perPage)
        .put("count", to - from)
        .put("total_count", all.size())
        .put("total_pages", (all.size() + perPage - 1L) / perPage);
    return Response.json(200, body);
  }

  private static Response success(JsonNode result) {
    ObjectNode body = envelope(true);
    body.set("result", result);
    return Response.json(200, body);
  }

  private static Response failure(int status, int code, String message) {
    ObjectNode body = envelope(false);
    body.putNull("result");
    ((ArrayNode) body.get("errors")).addObject().put("code", code).put("message", message);
    return Response.json(status, body);
  }

  private static ObjectNode envelope(boolean success) {
    ObjectNode body = SimulatorServer.JSON.createObjectNode().put("success", success);
    body.putArray("errors");
    body.putArray("messages");
    return body;
  }
}
