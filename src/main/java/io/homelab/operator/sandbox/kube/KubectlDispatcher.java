package io.homelab.operator.sandbox.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.homelab.operator.sandbox.SimulatorServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the real {@code kubectl} needs from an API server, in front of the CRUD store ({@link
 * ServerSideApplyDispatcher}), which answers every request this class does not:
 *
 * <ul>
 *   <li>Discovery ({@link Discovery}), the OpenAPI v3 documents ({@link OpenApi}), {@code
 *       /version}, {@code /healthz}, {@code /livez} and {@code /readyz}; any other path outside
 *       {@code /api} and {@code /apis} is 404 (the CRUD store would answer it with a list of
 *       everything).
 *   <li>Server-side tables ({@link Tables}) for a GET whose Accept asks for one.
 *   <li>Strategic merge patches (kubectl's client-side apply of built-in kinds) are applied as JSON
 *       merge patches, their {@code $patch}, {@code $retainKeys}, {@code $setElementOrder} and
 *       {@code $deleteFromPrimitiveList} directives left out. Lists are replaced whole, not merged
 *       by key: right for the kinds the sandbox stores (Secrets, ConfigMaps, Namespaces).
 *   <li>As a real server: a Secret's {@code stringData} is merged into {@code data} (base64) on
 *       every write and never stored, a Secret without {@code type} is {@code Opaque}, and a new
 *       Namespace is {@code Active}. A 404 without a body gets a Status saying what was not found.
 *   <li>Deleting a Namespace deletes what is in it, refuses new content, and removes the Namespace
 *       once it is empty ({@link NamespaceLifecycle}).
 *   <li>A watch that is a plain HTTP request (kubectl's; fabric8 clients watch over WebSocket,
 *       which the CRUD store serves) is answered after a short delay with 410 Gone, so that the
 *       client lists again: kubectl's {@code delete}, which waits for finalizers, then sees the
 *       object go, by polling.
 * </ul>
 */
final class KubectlDispatcher extends Dispatcher {

  static final String JSON_TYPE = "application/json";
  static final String MERGE_PATCH = "application/merge-patch+json";
  static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  static final String PROTOBUF = "application/vnd.kubernetes.protobuf";
  static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  static final Duration PLAIN_WATCH_DELAY = Duration.ofMillis(500);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ServerSideApplyDispatcher store;
  private final NamespaceLifecycle namespaces;
  private final ObjectNode version;
  private final Clock clock;
  private volatile String serverAddress = "127.0.0.1:443";

  KubectlDispatcher(ServerSideApplyDispatcher store, ObjectNode version, Clock clock) {
    this.store = store;
    this.version = version;
    this.clock = clock;
    this.namespaces = new NamespaceLifecycle(store, this::types);
  }

  /** The {@code host:port} that {@code /api} names as the server's address. */
  void serverAddress(String address) {
    this.serverAddress = address;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String rawPath = request.getPath();
    String path = ServerSideApplyDispatcher.withoutQuery(rawPath);
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    Map<String, String> query = query(rawPath);
    try {
      if (request.method() == HttpMethod.GET) {
        MockResponse nonResource = nonResource(path);
        if (nonResource != null) {
          return nonResource;
        }
      }
      if (!path.startsWith("/api/") && !path.startsWith("/apis/")) {
        return status(404, "NotFound", "the server could not find the requested resource");
      }
      ResourcePath target = ResourcePath.parse(path);
      if (request.method() == HttpMethod.GET
          && "true".equals(query.get("watch"))
          && request.getHeader("Upgrade") == null) {
        return status(410, "Expired", "watch over plain HTTP is not served: list again")
            .setBodyDelay(PLAIN_WATCH_DELAY);
      }
      String contentType = request.getHeader("Content-Type");
      if (contentType != null && contentType.startsWith(PROTOBUF)) {
        return status(
            415,
            "UnsupportedMediaType",
            "the sandbox API server reads JSON and YAML only, not protobuf: write the object with"
                + " kubectl apply -f (for a kubectl create generator: kubectl create ..."
                + " --dry-run=client -o yaml | kubectl apply -f -)");
      }
      if (request.method() != HttpMethod.GET && query.containsKey("dryRun")) {
        return status(
            400,
            "BadRequest",
            "the sandbox API server does not do server-side dry runs: use --dry-run=client");
      }
      if (target != null && target.isCore("namespaces") && target.subresource() == null) {
        if (request.method() == HttpMethod.DELETE && target.name() != null) {
          MockResponse deleted = namespaces.delete(target.name());
          return deleted != null ? deleted : notFound(target);
        }
      } else if (target != null
          && target.namespace() != null
          && request.method() == HttpMethod.POST
          && namespaces.terminating(target.namespace())) {
        return status(
            403,
            "Forbidden",
            "unable to create new content in namespace "
                + target.namespace()
                + " because it is being terminated");
      }
      RecordedRequest forwarded = rewrite(request, target);
      boolean itemWrite =
          target != null
              && target.name() != null
              && (request.method() == HttpMethod.PATCH || request.method() == HttpMethod.PUT);
      String before = itemWrite ? storedObject(target) : null;
      MockResponse response = store.dispatch(forwarded);
      if (response.getWebSocketListener() != null) {
        return response;
      }
      if (target != null
          && target.namespace() != null
          && request.method() != HttpMethod.GET
          && response.code() / 100 == 2) {
        namespaces.finishIfEmpty(target.namespace());
      }
      if (response.code() == 404 && bodyOf(response).isEmpty()) {
        return notFound(target);
      }
      if (itemWrite && before != null && response.code() / 100 == 2 && bodyOf(response).isEmpty()) {
        return json(200, finalState(before));
      }
      if (target != null && response.code() / 100 == 2) {
        response = normalized(response);
      }
      if (request.method() == HttpMethod.GET
          && response.code() == 200
          && target != null
          && target.subresource() == null
          && Tables.wanted(request.getHeader("Accept"))) {
        Optional<ResourceType> type =
            types().find(target.group(), target.version(), target.plural());
        if (type.isPresent()) {
          JsonNode body = JSON.readTree(bodyOf(response));
          return json(
              200, Tables.of(type.get(), body, query.get("includeObject"), clock.instant()));
        }
      }
      if (response.header("Content-Type") == null && !bodyOf(response).isEmpty()) {
        response.setHeader("Content-Type", JSON_TYPE);
      }
      return response;
    } catch (IOException e) {
      return status(
          400, "BadRequest", "the request body is not valid JSON or YAML: " + e.getMessage());
    }
  }

  private MockResponse nonResource(String path) {
    switch (path) {
      case "/":
        ObjectNode root = NODES.objectNode();
        ArrayNode paths = root.putArray("paths");
        Discovery.paths(types()).forEach(paths::add);
        return json(200, root);
      case "/version":
        return json(200, version);
      case "/healthz", "/livez", "/readyz":
        return new MockResponse()
            .setResponseCode(200)
            .setHeader("Content-Type", "text/plain; charset=utf-8")
            .setBody("ok");
      case "/api":
        return json(200, Discovery.apiVersions(serverAddress));
      case "/apis":
        return json(200, Discovery.groupList(types()));
      case "/openapi/v3":
        return json(200, OpenApi.index(types()));
      default:
        break;
    }
    if (path.startsWith("/openapi/")) {
      if (path.startsWith("/openapi/v3/")) {
        String[] gv = gv(path.substring("/openapi/v3/".length()));
        ObjectNode doc = gv == null ? null : OpenApi.document(types(), gv[0], gv[1]);
        if (doc != null) {
          return json(200, doc);
        }
      }
      return status(404, "NotFound", "the server could not find the requested resource");
    }
    String[] segments = path.substring(1).split("/");
    if (segments[0].equals("api") && segments.length == 2) {
      return orNotFound(Discovery.resourceList(types(), "", segments[1]));
    }
    if (segments[0].equals("apis") && segments.length == 2) {
      return orNotFound(Discovery.group(types(), segments[1]));
    }
    if (segments[0].equals("apis") && segments.length == 3) {
      return orNotFound(Discovery.resourceList(types(), segments[1], segments[2]));
    }
    return null;
  }

  /** {@code api/v1} or {@code apis/<group>/<version>} as group and version; null otherwise. */
  private static String[] gv(String key) {
    String[] parts = key.split("/");
    if (parts.length == 2 && parts[0].equals("api")) {
      return new String[] {"", parts[1]};
    }
    if (parts.length == 3 && parts[0].equals("apis")) {
      return new String[] {parts[1], parts[2]};
    }
    return null;
  }

  /** The catalog as it stands: built-in kinds and those of every stored CRD. */
  ResourceTypes types() {
    MockResponse crds = store.handleGet(CRDS);
    List<JsonNode> items = new ArrayList<>();
    if (crds.code() == 200) {
      try {
        JSON.readTree(bodyOf(crds)).path("items").forEach(items::add);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("the stored CRDs are not JSON", e);
      }
    }
    return ResourceTypes.of(items);
  }

  /**
   * The request the store gets: bodies of Secrets, Namespaces and strategic merge patches fixed.
   */
  private RecordedRequest rewrite(RecordedRequest request, ResourcePath target) throws IOException {
    HttpMethod method = request.method();
    if (target == null
        || !(method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH)) {
      return request;
    }
    String contentType = request.getHeader("Content-Type");
    boolean strategic = contentType != null && contentType.startsWith(STRATEGIC_MERGE_PATCH);
    boolean secret = target.isCore("secrets") && target.subresource() == null;
    boolean newNamespace =
        method == HttpMethod.POST && target.isCore("namespaces") && target.name() == null;
    if (!strategic && !secret && !newNamespace) {
      return request;
    }
    byte[] bytes = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
    if (bytes.length == 0) {
      return request;
    }
    boolean yaml = contentType != null && contentType.contains("yaml");
    JsonNode body = (yaml ? YAML : JSON).readTree(bytes);
    if (body == null || !body.isObject()) {
      return request;
    }
    if (strategic) {
      body = withoutDirectives(body);
    }
    if (secret) {
      mergeStringData((ObjectNode) body);
      if (method == HttpMethod.POST && !body.hasNonNull("type")) {
        ((ObjectNode) body).put("type", "Opaque");
      }
    }
    if (newNamespace && !body.path("status").hasNonNull("phase")) {
      ObjectNode status =
          body.path("status").isObject()
              ? (ObjectNode) body.get("status")
              : ((ObjectNode) body).putObject("status");
      status.put("phase", "Active");
    }
    var headers = request.getHeaders().newBuilder();
    if (strategic) {
      headers.setHeader("Content-Type", MERGE_PATCH);
    } else if (yaml) {
      // The store parses apply patches as YAML, of which JSON is a part; other bodies as JSON.
      headers.setHeader("Content-Type", contentType);
    }
    return new RecordedRequest(
        request.getHttpVersion(),
        method,
        request.getPath(),
        headers.build(),
        new Buffer(JSON.writeValueAsBytes(body)));
  }

  /** The stored object at the path of {@code target} (subresource left out), or null. */
  private String storedObject(ResourcePath target) {
    MockResponse current = store.handleGet(target.objectPath());
    return current.code() == 200 ? bodyOf(current) : null;
  }

  /**
   * What a real server answers to the write that removed an object's last finalizer while it was
   * being deleted: the object as it was last, without finalizers (the store answers nothing).
   */
  private static JsonNode finalState(String before) throws IOException {
    JsonNode object = JSON.readTree(before);
    if (object.path("metadata").isObject()) {
      ((ObjectNode) object.get("metadata")).remove("finalizers");
    }
    return object;
  }

  /**
   * An answer as a real server gives it: the items of a list by namespace, then name; no {@code
   * metadata.namespace: null} (which the store writes into cluster-scoped objects it patches).
   */
  private static MockResponse normalized(MockResponse response) throws IOException {
    String body = bodyOf(response);
    if (!body.startsWith("{")) {
      return response;
    }
    JsonNode answer = JSON.readTree(body);
    if (!answer.path("items").isArray()) {
      return tidy(answer) ? json(response.code(), answer) : response;
    }
    List<JsonNode> items = new ArrayList<>();
    answer.path("items").forEach(items::add);
    items.forEach(KubectlDispatcher::tidy);
    items.sort(
        Comparator.comparing((JsonNode i) -> i.path("metadata").path("namespace").asText(""))
            .thenComparing(i -> i.path("metadata").path("name").asText("")));
    ArrayNode sortedItems = ((ObjectNode) answer).putArray("items");
    items.forEach(sortedItems::add);
    return json(response.code(), answer);
  }

  /** Removes a null {@code metadata.namespace}; whether there was one. */
  private static boolean tidy(JsonNode object) {
    JsonNode metadata = object.path("metadata");
    if (metadata.isObject() && metadata.has("namespace") && metadata.get("namespace").isNull()) {
      ((ObjectNode) metadata).remove("namespace");
      return true;
    }
    return false;
  }

  /** Moves {@code stringData} into {@code data}, base64-encoded, as the API server does. */
  static void mergeStringData(ObjectNode secret) {
    JsonNode stringData = secret.remove("stringData");
    if (stringData == null || !stringData.isObject() || stringData.isEmpty()) {
      return;
    }
    ObjectNode data =
        secret.path("data").isObject() ? (ObjectNode) secret.get("data") : secret.putObject("data");
    stringData
        .properties()
        .forEach(
            e ->
                data.put(
                    e.getKey(),
                    Base64.getEncoder()
                        .encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
  }

  /**
   * A strategic merge patch as a JSON merge patch: directive keys dropped, a map marked {@code
   * $patch: delete} deleted (null), list elements marked so left out.
   */
  static JsonNode withoutDirectives(JsonNode node) {
    if (node.isObject()) {
      if ("delete".equals(node.path("$patch").asText())) {
        return NODES.nullNode();
      }
      ObjectNode copy = NODES.objectNode();
      node.properties()
          .forEach(
              e -> {
                if (!e.getKey().startsWith("$")) {
                  copy.set(e.getKey(), withoutDirectives(e.getValue()));
                }
              });
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = NODES.arrayNode();
      for (JsonNode element : node) {
        if (element.isObject()
            && (element.has("$patch") || element.has("$retainKeys"))
            && element.size() <= 2
            && !element.has("name")) {
          continue;
        }
        copy.add(withoutDirectives(element));
      }
      return copy;
    }
    return node;
  }

  private MockResponse notFound(ResourcePath target) {
    if (target == null || target.name() == null) {
      return status(404, "NotFound", "the server could not find the requested resource");
    }
    String resource =
        target.group().isEmpty() ? target.plural() : target.plural() + "." + target.group();
    MockResponse response =
        status(404, "NotFound", resource + " \"" + target.name() + "\" not found");
    try {
      ObjectNode body = (ObjectNode) JSON.readTree(bodyOf(response));
      body.putObject("details")
          .put("name", target.name())
          .put("group", target.group())
          .put("kind", target.plural());
      return json(404, body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MockResponse orNotFound(ObjectNode document) {
    return document == null
        ? status(404, "NotFound", "the server could not find the requested resource")
        : json(200, document);
  }

  static MockResponse json(int code, JsonNode body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", JSON_TYPE)
        .setBody(body.toString());
  }

  static MockResponse status(int code, String reason, String message) {
    ObjectNode status =
        NODES
            .objectNode()
            .put("kind", "Status")
            .put("apiVersion", "v1")
            .put("status", "Failure")
            .put("message", message)
            .put("reason", reason)
            .put("code", code);
    status.putObject("metadata");
    return json(code, status);
  }

  private static String bodyOf(MockResponse response) {
    Buffer body = response.getBody();
    return body == null ? "" : new String(body.getBytes(), StandardCharsets.UTF_8);
  }

  private static Map<String, String> query(String path) {
    int at = path.indexOf('?');
    return SimulatorServer.query(at < 0 ? null : path.substring(at + 1));
  }

  /**
   * A resource path, {@code /api/v1/...} or {@code /apis/<group>/<version>/...}: the kind by
   * plural, and the namespace, name and subresource when present.
   */
  record ResourcePath(
      String group,
      String version,
      String namespace,
      String plural,
      String name,
      String subresource) {

    /** The path of the object itself, without subresource and query. */
    String objectPath() {
      String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
      String scoped = namespace == null ? prefix : prefix + "/namespaces/" + namespace;
      return scoped + "/" + plural + (name == null ? "" : "/" + name);
    }

    boolean isCore(String corePlural) {
      return group.isEmpty() && plural.equals(corePlural);
    }

    /** The parsed path, or null when it names no resource (discovery paths, for instance). */
    static ResourcePath parse(String path) {
      String[] s = path.substring(1).split("/");
      String group;
      String version;
      int at;
      if (s[0].equals("api") && s.length >= 3) {
        group = "";
        version = s[1];
        at = 2;
      } else if (s[0].equals("apis") && s.length >= 4) {
        group = s[1];
        version = s[2];
        at = 3;
      } else {
        return null;
      }
      List<String> rest = List.of(s).subList(at, s.length);
      String namespace = null;
      if (rest.size() >= 3
          && rest.get(0).equals("namespaces")
          && !List.of("status", "finalize").contains(rest.get(2))) {
        namespace = rest.get(1);
        rest = rest.subList(2, rest.size());
      }
      return new ResourcePath(
          group,
          version,
          namespace,
          rest.get(0),
          rest.size() > 1 ? rest.get(1) : null,
          rest.size() > 2 ? String.join("/", rest.subList(2, rest.size())) : null);
    }
  }
}
