package io.homelab.operator.sandbox.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The fabric8 CRUD dispatcher (as {@code @WithKubernetesTestServer(crud = true)} uses it: canned
 * expectations first, then CRUD), plus an emulation of server-side apply good enough for one field
 * manager, so that the operator packaged with production settings ({@code enable-ssa=true}) can run
 * against the mock API server. The stock dispatcher answers 415 to {@code PATCH} with {@code
 * Content-Type: application/apply-patch+yaml}.
 *
 * <h2>What the stock CRUD dispatcher does (fabric8 7.5.2, read from its classes)</h2>
 *
 * <ul>
 *   <li>Objects are JSON strings in a map keyed by attributes (kind, namespace, name, labels); one
 *       global counter gives every write its {@code metadata.resourceVersion}.
 *   <li>POST sets {@code uid}, {@code creationTimestamp}, {@code resourceVersion}, {@code
 *       generation=1}, clears {@code deletionTimestamp}, and drops {@code status} when the CRD has
 *       a status subresource; 409 when the name exists.
 *   <li>PUT and merge/JSON PATCH keep {@code uid}, {@code creationTimestamp} and {@code generation}
 *       from the stored object, bump {@code generation} only when something outside {@code
 *       metadata} and {@code status} changed (never on {@code /status}), bump {@code
 *       resourceVersion} only when anything changed, and answer 409 when the body carries a {@code
 *       resourceVersion} other than the stored one. On {@code /status} only the status is taken
 *       from the body; on the main resource the stored status is kept (status subresource). A write
 *       that leaves an object with a {@code deletionTimestamp} and no finalizers removes it.
 *   <li>DELETE of an object without finalizers removes it; with finalizers it only sets {@code
 *       deletionTimestamp} (and a new {@code resourceVersion}), and a second DELETE changes
 *       nothing. The object goes when a later write removes its last finalizer.
 *   <li>It does no defaulting, no validation against the CRD schema, and does not stop new
 *       finalizers from being added to an object that is being deleted.
 *   <li>Any group and version works, so {@code coordination.k8s.io/v1} Leases (leader election) are
 *       stored, read and replaced with the same optimistic locking.
 *   <li>It has no authorization: a SelfSubjectRulesReview (JOSDK posts one before leader election)
 *       would be stored and answered without a status. This dispatcher answers it instead, granting
 *       every verb on every resource.
 * </ul>
 *
 * <h2>The apply emulation</h2>
 *
 * An apply is computed here (read the stored object, merge) and then stored through the stock
 * dispatcher's own POST or PUT, so resourceVersion, generation, status-subresource and deletion
 * behaviour stay exactly the CRUD dispatcher's. Every write request to this dispatcher is
 * serialised by one lock, so an apply's read-merge-write is atomic with respect to other writes.
 *
 * <ul>
 *   <li>Main resource: the applied object is deep-merged into the stored one (objects merged key by
 *       key, lists and scalars replaced, {@code metadata.finalizers} unioned); an absent object is
 *       created. A JSON {@code null} in the applied object counts as not set (JOSDK applies
 *       finalizers with an otherwise empty object whose {@code spec} is {@code null}).
 *   <li>{@code /status}: the stored status is replaced by the applied one whole (the operator
 *       always sends its whole status); 404 when the object does not exist.
 *   <li>Server-owned metadata in the applied object ({@code uid}, {@code creationTimestamp}, {@code
 *       deletionTimestamp}, {@code generation}, {@code managedFields}) is ignored. A {@code
 *       resourceVersion} in it is a precondition, as on a real API server: 409 when it is stale.
 *   <li>As on a real API server, an apply may not add a finalizer to an object that is being
 *       deleted (422).
 *   <li>Not emulated: field ownership between several managers, conflicts without {@code force},
 *       removal of fields a manager stops applying, {@code listType=map} merging of lists.
 * </ul>
 *
 * <h2>Holding status writes</h2>
 *
 * {@link #holdStatusWritesAfter(int)} lets a number of status writes through and then holds every
 * further one: it is never applied and its answer is delayed far beyond any test, so the client's
 * reconcile stays stuck in that call. A crash test uses it to kill the operator at a known point in
 * the middle of its work.
 */
public class ServerSideApplyDispatcher extends KubernetesCrudDispatcher {

  /** The Content-Type of a server-side apply. */
  public static final String APPLY_PATCH = "application/apply-patch+yaml";

  private static final String STATUS_SUFFIX = "/status";
  private static final String SELF_SUBJECT_RULES_REVIEWS =
      "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
  private static final Duration HELD_ANSWER_DELAY = Duration.ofMinutes(10);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Map<ServerRequest, Queue<ServerResponse>> expectations;
  private final MockDispatcher expectationDispatcher;
  private final ReentrantLock writes = new ReentrantLock();
  private final List<String> heldWrites = new CopyOnWriteArrayList<>();
  private int statusWritesLetThrough = -1;

  /**
   * @param expectations the canned responses of the {@code KubernetesMockServer} this dispatcher
   *     serves, answered before CRUD (the server's own {@code /version} and {@code /} live there)
   */
  public ServerSideApplyDispatcher(Map<ServerRequest, Queue<ServerResponse>> expectations) {
    this.expectations = expectations;
    this.expectationDispatcher = new MockDispatcher(expectations);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    Queue<ServerResponse> canned =
        expectations.get(new SimpleRequest(request.method(), request.getPath()));
    if (canned != null && !canned.isEmpty()) {
      return expectationDispatcher.dispatch(request);
    }
    if (request.method() == HttpMethod.POST
        && withoutQuery(request.getPath()).endsWith(SELF_SUBJECT_RULES_REVIEWS)) {
      return allowEverything(request.getBody().readUtf8());
    }
    if (isStatusWrite(request) && shouldHold()) {
      heldWrites.add(
          request.getMethod()
              + " "
              + request.getPath()
              + " ("
              + request.getHeader("Content-Type")
              + ")");
      return new MockResponse()
          .setResponseCode(503)
          .setBody(
              statusBody(
                  503, "ServiceUnavailable", "write held on request (holdStatusWritesAfter)"))
          .setBodyDelay(HELD_ANSWER_DELAY);
    }
    return super.dispatch(request);
  }

  /**
   * Answers a SelfSubjectRulesReview, which JOSDK posts before leader election to check that it may
   * get, create and update Leases, as for a cluster admin: every verb on every resource. The stock
   * dispatcher would store the review and answer it without a status.
   */
  private static MockResponse allowEverything(String body) {
    SelfSubjectRulesReview review = Serialization.unmarshal(body, SelfSubjectRulesReview.class);
    review.setStatus(
        new SubjectRulesReviewStatusBuilder()
            .withIncomplete(false)
            .addNewResourceRule()
            .withApiGroups("*")
            .withResources("*")
            .withVerbs("*")
            .endResourceRule()
            .addNewNonResourceRule()
            .withNonResourceURLs("*")
            .withVerbs("*")
            .endNonResourceRule()
            .build());
    return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
  }

  /**
   * From now on, lets {@code count} status writes (PUT or PATCH of a {@code /status} subresource)
   * through and holds every further one until {@link #stopHolding()}.
   */
  public synchronized void holdStatusWritesAfter(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, not " + count);
    }
    statusWritesLetThrough = count;
  }

  /** Stops holding status writes. Writes already held stay unapplied. */
  public synchronized void stopHolding() {
    statusWritesLetThrough = -1;
  }

  /** The status writes held so far, as "METHOD path (Content-Type)", in the order they arrived. */
  public List<String> heldWrites() {
    return List.copyOf(heldWrites);
  }

  private synchronized boolean shouldHold() {
    if (statusWritesLetThrough < 0) {
      return false;
    }
    if (statusWritesLetThrough > 0) {
      statusWritesLetThrough--;
      return false;
    }
    return true;
  }

  private static boolean isStatusWrite(RecordedRequest request) {
    HttpMethod method = request.method();
    return (method == HttpMethod.PATCH || method == HttpMethod.PUT)
        && withoutQuery(request.getPath()).endsWith(STATUS_SUFFIX);
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    return serialised(() -> super.handleCreate(request));
  }

  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    return serialised(() -> super.handleUpdate(request));
  }

  @Override
  public MockResponse handleDelete(String path) {
    return serialised(() -> super.handleDelete(path));
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    String contentType = request.getHeader("Content-Type");
    if (contentType != null && contentType.startsWith(APPLY_PATCH)) {
      String body = request.getBody().readUtf8();
      return serialised(() -> apply(request.getPath(), body));
    }
    return serialised(() -> super.handlePatch(request));
  }

  private MockResponse serialised(Supplier<MockResponse> write) {
    writes.lock();
    try {
      return write.get();
    } finally {
      writes.unlock();
    }
  }

  private MockResponse apply(String requestPath, String body) {
    String path = withoutQuery(requestPath);
    boolean statusPath = path.endsWith(STATUS_SUFFIX);
    String objectPath =
        statusPath ? path.substring(0, path.length() - STATUS_SUFFIX.length()) : path;
    String name = objectPath.substring(objectPath.lastIndexOf('/') + 1);

    ObjectNode applied;
    try {
      JsonNode parsed = YAML.readTree(body);
      if (parsed == null || !parsed.isObject()) {
        return error(400, "BadRequest", "the applied configuration is not an object");
      }
      applied = (ObjectNode) withoutNulls(parsed);
    } catch (JsonProcessingException e) {
      return error(400, "BadRequest", "the applied configuration is not YAML: " + e.getMessage());
    }
    if (applied.path("apiVersion").asText().isEmpty() || applied.path("kind").asText().isEmpty()) {
      return error(400, "BadRequest", "apiVersion and kind must be set");
    }
    if (!applied.path("metadata").isObject()) {
      applied.putObject("metadata");
    }
    ObjectNode metadata = (ObjectNode) applied.get("metadata");
    String appliedName = metadata.path("name").asText();
    if (!appliedName.isEmpty() && !appliedName.equals(name)) {
      return error(
          400,
          "BadRequest",
          "the name of the object (" + appliedName + ") does not match the name on the URL");
    }
    metadata.put("name", name);
    String precondition = metadata.path("resourceVersion").asText(null);
    metadata.remove(
        List.of(
            "uid",
            "creationTimestamp",
            "deletionTimestamp",
            "generation",
            "managedFields",
            "selfLink",
            "resourceVersion"));

    MockResponse current = handleGet(objectPath);
    if (current.code() == 404) {
      if (statusPath) {
        return error(404, "NotFound", name + " not found");
      }
      if (precondition != null) {
        return error(409, "Conflict", name + " does not exist, but the apply names a version");
      }
      String collection = objectPath.substring(0, objectPath.lastIndexOf('/'));
      return super.handleCreate(request(HttpMethod.POST, collection, applied));
    }
    ObjectNode stored =
        (ObjectNode) Serialization.unmarshal(current.getBody().readUtf8(), JsonNode.class);
    String storedVersion = stored.path("metadata").path("resourceVersion").asText();
    if (precondition != null && !precondition.equals(storedVersion)) {
      return error(
          409,
          "Conflict",
          "Operation cannot be fulfilled on "
              + name
              + ": the object has been modified; please apply your changes to the latest version"
              + " and try again");
    }

    ObjectNode next = stored.deepCopy();
    if (statusPath) {
      if (applied.has("status")) {
        next.set("status", applied.get("status"));
      } else {
        next.remove("status");
      }
      return super.handleUpdate(request(HttpMethod.PUT, path, next));
    }
    Set<String> storedFinalizers = textSet(stored.path("metadata").path("finalizers"));
    merge(next, applied, "");
    Set<String> added = textSet(next.path("metadata").path("finalizers"));
    added.removeAll(storedFinalizers);
    if (stored.path("metadata").hasNonNull("deletionTimestamp") && !added.isEmpty()) {
      return error(
          422,
          "Invalid",
          "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being"
              + " deleted, found new finalizers "
              + added);
    }
    return super.handleUpdate(request(HttpMethod.PUT, objectPath, next));
  }

  /** Deep-merges {@code applied} into {@code target}; metadata.finalizers are unioned. */
  private static void merge(ObjectNode target, JsonNode applied, String at) {
    for (Map.Entry<String, JsonNode> field : applied.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      JsonNode existing = target.get(key);
      String path = at + "/" + key;
      if ("/metadata/finalizers".equals(path) && value.isArray()) {
        Set<String> union = textSet(existing);
        union.addAll(textSet(value));
        ArrayNode finalizers = target.putArray(key);
        union.forEach(finalizers::add);
      } else if (value.isObject() && existing != null && existing.isObject()) {
        merge((ObjectNode) existing, value, path);
      } else {
        target.set(key, value.deepCopy());
      }
    }
  }

  private static JsonNode withoutNulls(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = ((ObjectNode) node).objectNode();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (!field.getValue().isNull()) {
          copy.set(field.getKey(), withoutNulls(field.getValue()));
        }
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = ((ArrayNode) node).arrayNode();
      node.forEach(element -> copy.add(withoutNulls(element)));
      return copy;
    }
    return node;
  }

  private static Set<String> textSet(JsonNode array) {
    Set<String> values = new LinkedHashSet<>();
    if (array != null && array.isArray()) {
      array.forEach(v -> values.add(v.asText()));
    }
    return values;
  }

  private static RecordedRequest request(HttpMethod method, String path, JsonNode body) {
    return new RecordedRequest(
        "HTTP/1.1",
        method,
        path,
        Headers.builder().add("Content-Type", "application/json").build(),
        new Buffer(Serialization.asJson(body).getBytes(StandardCharsets.UTF_8)));
  }

  static String withoutQuery(String path) {
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  private static MockResponse error(int code, String reason, String message) {
    return new MockResponse().setResponseCode(code).setBody(statusBody(code, reason, message));
  }

  private static String statusBody(int code, String reason, String message) {
    Status status =
        new StatusBuilder()
            .withStatus("Failure")
            .withCode(code)
            .withReason(reason)
            .withMessage(message)
            .build();
    return Serialization.asJson(status);
  }
}
