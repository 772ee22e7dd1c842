package io.homelab.operator.sandbox.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A stateful Nginx Proxy Manager API on the loopback address, held to the facts of its OpenAPI
 * schema ({@code sandbox/npm/npm-api-facts.json}) and to what the real one does: tokens that expire
 * (400 {@code Token has expired}; 403 without a token, never 401), accounts with 2FA, proxy,
 * redirection and dead hosts sharing one domain space, 400 on unknown fields and on a taken domain,
 * its own keys merged into {@code meta}. Failures on request: a domain whose nginx config fails
 * ({@code nginx_online: false}), a create that saves the row and answers 500, and through {@link
 * #server()} 5xx replies and hanging requests.
 *
 * <p>Optionally with a real data plane ({@link #dataPlane(NginxDataPlane)}): nginx then serves the
 * enabled proxy hosts, and what {@code nginx -t} says of a host is its {@code meta.nginx_online}
 * and {@code meta.nginx_err}.
 */
public final class NpmSimulator implements AutoCloseable {

  /** The host tables of NPM; a domain is taken when any of them holds it. */
  public enum HostKind {
    PROXY("proxy-hosts"),
    REDIRECTION("redirection-hosts"),
    DEAD("dead-hosts");

    final String path;

    HostKind(String path) {
      this.path = path;
    }
  }

  /**
   * An account; {@code permissions} maps a section ({@code proxy_hosts}, {@code redirection_hosts},
   * {@code dead_hosts}, ...) to {@code manage}, {@code view} or {@code hidden}, and is null for an
   * administrator, who may do everything.
   */
  private record User(String secret, boolean twoFactor, Map<String, String> permissions) {

    /** Whether the account holds a scope of the contract, such as {@code proxy_hosts.view}. */
    boolean holds(String scope) {
      if (permissions == null || scope == null) {
        return true;
      }
      String[] parts = scope.split("\\.");
      String level = permissions.getOrDefault(parts[0], "hidden");
      return level.equals("manage") || (parts[1].equals("view") && level.equals("view"));
    }
  }

  private static final ContractFacts FACTS = ContractFacts.load("sandbox/npm/npm-api-facts.json");
  // The scopes the contract's security names for the proxy-host calls.
  private static final String VIEW_PROXY = "proxy_hosts.view";
  private static final String MANAGE_PROXY = "proxy_hosts.manage";
  private static final String HOST_ID = "/api/nginx/proxy-hosts/(?<id>[^/]+)";

  private final Clock clock;
  private final SimulatorServer server = new SimulatorServer();
  private final Map<String, User> users = new HashMap<>();
  private final Map<String, Instant> tokens = new HashMap<>();
  private final Map<String, User> tokenUsers = new HashMap<>();
  private final Map<HostKind, TreeMap<Integer, ObjectNode>> hosts = new HashMap<>();
  private final Map<HostKind, Integer> lastIds = new HashMap<>();
  private final Map<String, String> nginxErrors = new HashMap<>();
  private final Set<Integer> failedByInjection = new HashSet<>();
  private NginxDataPlane dataPlane;
  private Duration tokenLifetime = Duration.ofHours(24);
  private int failAfterSave;

  public NpmSimulator(Clock clock) {
    this.clock = clock;
    for (HostKind kind : HostKind.values()) {
      hosts.put(kind, new TreeMap<>());
      lastIds.put(kind, 0);
    }
    server
        .route("POST", "/api/tokens", this::requestToken)
        .route("GET", "/api/tokens", r -> authed(r, null, this::refreshToken))
        .route(
            "GET",
            "/api/nginx/proxy-hosts",
            r -> authed(r, VIEW_PROXY, q -> list(q, HostKind.PROXY)))
        .route(
            "POST", "/api/nginx/proxy-hosts", r -> authed(r, MANAGE_PROXY, this::createProxyHost))
        .route("GET", HOST_ID, r -> authed(r, VIEW_PROXY, q -> withHost(q, host -> ok(host))))
        .route(
            "PUT",
            HOST_ID,
            r -> authed(r, MANAGE_PROXY, q -> withHost(q, host -> update(host, q.body()))))
        .route("DELETE", HOST_ID, r -> authed(r, MANAGE_PROXY, q -> withHost(q, this::delete)))
        .route(
            "POST",
            HOST_ID + "/enable",
            r -> authed(r, MANAGE_PROXY, q -> withHost(q, h -> enable(h, true))))
        .route(
            "POST",
            HOST_ID + "/disable",
            r -> authed(r, MANAGE_PROXY, q -> withHost(q, h -> enable(h, false))));
    // Redirection and 404 hosts: the scope is the table's name, as the contract spells it.
    for (HostKind kind : List.of(HostKind.REDIRECTION, HostKind.DEAD)) {
      String section = kind.path.replace('-', '_');
      server
          .route(
              "GET",
              "/api/nginx/" + kind.path,
              r -> authed(r, section + ".view", q -> list(q, kind)))
          .route(
              "POST",
              "/api/nginx/" + kind.path,
              r -> authed(r, section + ".manage", q -> createOther(q, kind)));
    }
    server.start();
  }

  /** The API's base, {@code http://127.0.0.1:<port>/api}: what a Tunnel names as its NPM URL. */
  public URI apiUrl() {
    return URI.create(server.uri() + "/api");
  }

  /** The HTTP side: request counters, 5xx and hanging requests. */
  public SimulatorServer server() {
    return server;
  }

  /** An account that can log in; with {@code twoFactor}, a login answers a 2FA challenge. */
  public void addUser(String identity, String secret, boolean twoFactor) {
    server.locked(() -> users.put(identity, new User(secret, twoFactor, null)));
  }

  /**
   * A user that is not an administrator, with NPM's permissions: each section ({@code proxy_hosts},
   * {@code redirection_hosts}, {@code dead_hosts}, {@code access_lists}, {@code certificates},
   * {@code streams}) at {@code manage}, {@code view} or {@code hidden} (the default for a section
   * left out). Every call asks for the scope the contract names for it ({@code proxy_hosts.view},
   * {@code proxy_hosts.manage}, ...) and is 403 {@code Permission Denied} without it. Visibility
   * ({@code all} or {@code user}) is not modelled: lists show every item.
   */
  public void addUser(String identity, String secret, Map<String, String> permissions) {
    server.locked(() -> users.put(identity, new User(secret, false, Map.copyOf(permissions))));
  }

  /** How long a new token is valid (NPM: about 24 hours). */
  public void tokenLifetime(Duration lifetime) {
    server.locked(() -> tokenLifetime = lifetime);
  }

  /** Tokens handed out so far (login and refresh). */
  public int tokensIssued() {
    return server.locked(tokens::size);
  }

  /** Every token issued so far (JWTs on a real NPM): secrets a test looks for where none belong. */
  public java.util.Set<String> issuedTokens() {
    return server.locked(() -> java.util.Set.copyOf(tokens.keySet()));
  }

  /** From now on, nginx rejects the config of any host serving {@code domain} with this error. */
  public void failNginx(String domain, String error) {
    server.locked(() -> nginxErrors.put(domain.toLowerCase(Locale.ROOT), error));
  }

  /**
   * From now on, real nginx serves the enabled proxy hosts (null: none again); the current ones are
   * written at once, and so is every change to them, before the request that made it is answered. A
   * host {@link #failNginx} refuses is not handed to nginx, and keeps the injected error. The
   * caller starts and stops the data plane.
   */
  public void dataPlane(NginxDataPlane plane) {
    server.locked(
        () -> {
          dataPlane = plane;
          syncDataPlane();
          return null;
        });
  }

  /** The next {@code count} proxy-host creates save the row and then answer 500. */
  public void failAfterSave(int count) {
    server.locked(() -> failAfterSave = count);
  }

  /** A host put straight into a table, as another user of NPM would: returns its id. */
  public int seed(HostKind kind, String domain, ObjectNode fields) {
    return server.locked(
        () -> {
          ObjectNode host = newHost(kind);
          host.setAll(fields);
          host.set("domain_names", SimulatorServer.JSON.createArrayNode().add(domain));
          refreshNginx(kind, host);
          hosts.get(kind).put(host.get("id").asInt(), host);
          if (kind == HostKind.PROXY) {
            syncDataPlane();
          }
          return host.get("id").asInt();
        });
  }

  /** A copy of every host of a table, by id. */
  public Map<Integer, ObjectNode> hosts(HostKind kind) {
    return server.locked(
        () -> {
          Map<Integer, ObjectNode> copy = new TreeMap<>();
          hosts.get(kind).forEach((id, host) -> copy.put(id, host.deepCopy()));
          return copy;
        });
  }

  @Override
  public void close() {
    server.close();
  }

  // --- tokens -----------------------------------------------------------------------------------

  /** {@code POST /api/tokens}: a token for valid credentials, or a 2FA challenge. */
  private Response requestToken(Request request) {
    Optional<Response> invalid = validate("POST /tokens", request.body());
    if (invalid.isPresent()) {
      return invalid.get();
    }
    User user = users.get(request.body().get("identity").asText());
    if (user == null || !user.secret().equals(request.body().get("secret").asText())) {
      return error(400, "Invalid email or password");
    }
    if (user.twoFactor()) {
      return ok(
          SimulatorServer.JSON
              .createObjectNode()
              .put("requires_2fa", true)
              .put("challenge_token", "challenge-" + UUID.randomUUID()));
    }
    return issueToken(user);
  }

  /** {@code GET /api/tokens}: a fresh token for a valid one. */
  private Response refreshToken(Request request) {
    return issueToken(tokenUsers.get(request.header("Authorization").substring(7)));
  }

  private Response issueToken(User user) {
    String token = "npm-sim." + UUID.randomUUID();
    Instant expires = clock.instant().plus(tokenLifetime).truncatedTo(ChronoUnit.MILLIS);
    tokens.put(token, expires);
    tokenUsers.put(token, user);
    return ok(
        SimulatorServer.JSON
            .createObjectNode()
            .put("token", token)
            .put("expires", expires.toString()));
  }

  private Response authed(Request request, String scope, SimulatorServer.Handler handler) {
    String header = request.header("Authorization");
    String token = header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
    Instant expires = token == null ? null : tokens.get(token);
    if (expires == null) {
      return error(403, "Permission Denied");
    }
    if (!clock.instant().isBefore(expires)) {
      return error(400, "Token has expired");
    }
    if (!tokenUsers.get(token).holds(scope)) {
      return error(403, "Permission Denied");
    }
    return handler.handle(request);
  }

  // --- hosts ------------------------------------------------------------------------------------

  private Response list(Request request, HostKind kind) {
    List<String> violations = FACTS.queryViolations("GET /nginx/" + kind.path, request.query());
    if (!violations.isEmpty()) {
      return error(400, String.join(", ", violations));
    }
    ArrayNode list = SimulatorServer.JSON.createArrayNode();
    hosts.get(kind).values().forEach(host -> list.add(host.deepCopy()));
    return ok(list);
  }

  private Response withHost(Request request, java.util.function.Function<ObjectNode, Response> f) {
    ObjectNode host;
    try {
      host = hosts.get(HostKind.PROXY).get(Integer.parseInt(request.param("id")));
    } catch (NumberFormatException e) {
      return error(400, "hostID must be an integer");
    }
    return host == null ? error(404, "Not Found") : f.apply(host);
  }

  /** {@code POST /api/nginx/proxy-hosts}. */
  private Response createProxyHost(Request request) {
    Response refused = refuse("POST /nginx/proxy-hosts", request.body(), null);
    if (refused != null) {
      return refused;
    }
    ObjectNode host = newHost(HostKind.PROXY);
    ObjectNode body = (ObjectNode) request.body().deepCopy();
    host.setAll(body);
    refreshNginx(HostKind.PROXY, host);
    hosts.get(HostKind.PROXY).put(host.get("id").asInt(), host);
    syncDataPlane();
    if (failAfterSave > 0) {
      failAfterSave--;
      return error(500, "Internal Error");
    }
    return ok(host.deepCopy());
  }

  /** {@code POST /api/nginx/redirection-hosts} and {@code POST /api/nginx/dead-hosts}. */
  private Response createOther(Request request, HostKind kind) {
    Response refused = refuse("POST /nginx/" + kind.path, request.body(), null);
    if (refused != null) {
      return refused;
    }
    ObjectNode host = newHost(kind);
    host.setAll((ObjectNode) request.body().deepCopy());
    refreshNginx(kind, host);
    hosts.get(kind).put(host.get("id").asInt(), host);
    return ok(host.deepCopy());
  }

  /** {@code PUT /api/nginx/proxy-hosts/{hostID}}: the fields sent replace theirs, meta too. */
  private Response update(ObjectNode host, JsonNode body) {
    Response refused = refuse("PUT /nginx/proxy-hosts/{hostID}", body, host);
    if (refused != null) {
      return refused;
    }
    host.setAll((ObjectNode) body.deepCopy());
    host.put("modified_on", now());
    refreshNginx(HostKind.PROXY, host);
    syncDataPlane();
    return ok(host.deepCopy());
  }

  /** {@code DELETE /api/nginx/proxy-hosts/{hostID}}. */
  private Response delete(ObjectNode host) {
    hosts.get(HostKind.PROXY).remove(host.get("id").asInt());
    failedByInjection.remove(host.get("id").asInt());
    syncDataPlane();
    return ok(BooleanNode.TRUE);
  }

  /** {@code POST /api/nginx/proxy-hosts/{hostID}/enable} and {@code .../disable}. */
  private Response enable(ObjectNode host, boolean enabled) {
    if (host.get("enabled").asBoolean() == enabled) {
      return error(400, "Host is already " + (enabled ? "enabled" : "disabled"));
    }
    host.put("enabled", enabled);
    host.put("modified_on", now());
    refreshNginx(HostKind.PROXY, host);
    syncDataPlane();
    return ok(BooleanNode.TRUE);
  }

  private Response refuse(String operation, JsonNode body, ObjectNode self) {
    Optional<Response> invalid = validate(operation, body);
    if (invalid.isPresent()) {
      return invalid.get();
    }
    for (JsonNode domain : body.path("domain_names")) {
      Optional<ObjectNode> holder = holder(domain.asText());
      if (holder.isPresent() && holder.get() != self) {
        return error(400, domain.asText() + " is already in use");
      }
    }
    return null;
  }

  private Optional<ObjectNode> holder(String domain) {
    for (TreeMap<Integer, ObjectNode> table : hosts.values()) {
      for (ObjectNode host : table.values()) {
        for (JsonNode name : host.path("domain_names")) {
          if (name.asText().equalsIgnoreCase(domain)) {
            return Optional.of(host);
          }
        }
      }
    }
    return Optional.empty();
  }

  private ObjectNode newHost(HostKind kind) {
    int id = lastIds.merge(kind, 1, Integer::sum);
    ObjectNode host =
        SimulatorServer.JSON
            .createObjectNode()
            .put("id", id)
            .put("created_on", now())
            .put("modified_on", now())
            .put("owner_user_id", 1)
            .put("certificate_id", 0)
            .put("ssl_forced", false)
            .put("hsts_enabled", false)
            .put("hsts_subdomains", false)
            .put("http2_support", false)
            .put("block_exploits", false)
            .put("advanced_config", "")
            .put("enabled", true);
    host.putObject("meta");
    if (kind == HostKind.PROXY) {
      host.put("forward_scheme", "http")
          .put("access_list_id", 0)
          .put("caching_enabled", false)
          .put("allow_websocket_upgrade", false)
          .put("trust_forwarded_proto", false)
          .putArray("locations");
    }
    return host;
  }

  /** NPM writes its own keys into meta after each change, next to whatever the client put there. */
  private void refreshNginx(HostKind kind, ObjectNode host) {
    if (!host.path("meta").isObject()) {
      host.putObject("meta");
    }
    ObjectNode meta = (ObjectNode) host.get("meta");
    List<String> errors = new ArrayList<>();
    for (JsonNode domain : host.path("domain_names")) {
      String error = nginxErrors.get(domain.asText().toLowerCase(Locale.ROOT));
      if (error != null) {
        errors.add(error);
      }
    }
    if (kind == HostKind.PROXY) {
      if (errors.isEmpty()) {
        failedByInjection.remove(host.get("id").asInt());
      } else {
        failedByInjection.add(host.get("id").asInt());
      }
    }
    nginxStatus(meta, errors.isEmpty() ? null : String.join("\n", errors));
  }

  private static void nginxStatus(ObjectNode meta, String error) {
    meta.put("nginx_online", error == null);
    if (error == null) {
      meta.putNull("nginx_err");
    } else {
      meta.put("nginx_err", error);
    }
  }

  /**
   * After every change to the proxy hosts, with the state locked: the data plane serves the enabled
   * ones that no injected failure holds back, and what nginx says of each goes into its meta.
   */
  private void syncDataPlane() {
    if (dataPlane == null) {
      return;
    }
    Map<Integer, ObjectNode> served = new TreeMap<>(hosts.get(HostKind.PROXY));
    served.keySet().removeAll(failedByInjection);
    Map<Integer, String> refused = dataPlane.apply(served);
    served.forEach(
        (id, host) -> {
          if (host.path("enabled").asBoolean(true)) {
            nginxStatus((ObjectNode) host.get("meta"), refused.get(id));
          }
        });
  }

  private static Optional<Response> validate(String operation, JsonNode body) {
    List<String> violations =
        ContractFacts.violations(FACTS.operation(operation).get("requestBody"), body);
    return violations.isEmpty()
        ? Optional.empty()
        : Optional.of(error(400, "data " + String.join(", ", violations)));
  }

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
  }

  private static Response ok(JsonNode body) {
    return Response.json(200, body);
  }

  /** NPM's error envelope: {@code {"error": {"code": ..., "message": ...}}}. */
  private static Response error(int status, String message) {
    ObjectNode body = SimulatorServer.JSON.createObjectNode();
    body.putObject("error").put("code", status).put("message", message);
    return Response.json(status, body);
  }
}
