package io.homelab.operator.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Deleting a Namespace as a real cluster does it, on the store: the Namespace turns {@code
 * Terminating} and stays while it has content; everything in it is deleted (objects with finalizers
 * are only marked, and wait for their controllers as usual); nothing new may be created in it; once
 * the last object has gone, so does the Namespace. A real server holds the Namespace with {@code
 * spec.finalizers: [kubernetes]}; the store knows only {@code metadata.finalizers}, so the
 * finalizer {@code kubernetes} stands there while the Namespace terminates.
 */
final class NamespaceLifecycle {

  static final String FINALIZER = "kubernetes";
  private static final String NAMESPACES = "/api/v1/namespaces/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServerSideApplyDispatcher store;
  private final Supplier<ResourceTypes> types;

  NamespaceLifecycle(ServerSideApplyDispatcher store, Supplier<ResourceTypes> types) {
    this.store = store;
    this.types = types;
  }

  /**
   * Deletes the Namespace {@code name}: marks it, deletes its content, and removes it when it is
   * empty. Answers the Namespace as it then is, or null when it does not exist.
   */
  MockResponse delete(String name) {
    ObjectNode namespace = stored(name);
    if (namespace == null) {
      return null;
    }
    if (!namespace.path("metadata").hasNonNull("deletionTimestamp")) {
      ObjectNode metadata = (ObjectNode) namespace.get("metadata");
      ArrayNode finalizers =
          metadata.path("finalizers").isArray()
              ? (ArrayNode) metadata.get("finalizers")
              : metadata.putArray("finalizers");
      finalizers.add(FINALIZER);
      ObjectNode status =
          namespace.path("status").isObject()
              ? (ObjectNode) namespace.get("status")
              : namespace.putObject("status");
      status.put("phase", "Terminating");
      store.handleUpdate(put(NAMESPACES + name, namespace));
      store.handleDelete(NAMESPACES + name);
    }
    for (ResourceType type : types.get().all()) {
      if (type.namespaced() && type.verbs().contains("delete")) {
        store.handleDelete(type.collectionPath(name));
      }
    }
    ObjectNode marked = stored(name);
    finishIfEmpty(name);
    return KubectlDispatcher.json(200, marked == null ? namespace : marked);
  }

  /** Whether the Namespace {@code name} exists and is being deleted. */
  boolean terminating(String name) {
    ObjectNode namespace = stored(name);
    return namespace != null && namespace.path("metadata").hasNonNull("deletionTimestamp");
  }

  /** Removes the Namespace {@code name} if it is terminating and holds nothing any more. */
  void finishIfEmpty(String name) {
    ObjectNode namespace = stored(name);
    if (namespace == null || !namespace.path("metadata").hasNonNull("deletionTimestamp")) {
      return;
    }
    for (ResourceType type : types.get().all()) {
      if (type.namespaced() && type.verbs().contains("list")) {
        MockResponse list = store.handleGet(type.collectionPath(name));
        if (list.code() == 200 && read(list).path("items").size() > 0) {
          return;
        }
      }
    }
    ArrayNode finalizers = (ArrayNode) namespace.path("metadata").path("finalizers");
    for (int i = finalizers.size() - 1; i >= 0; i--) {
      if (FINALIZER.equals(finalizers.get(i).asText())) {
        finalizers.remove(i);
      }
    }
    store.handleUpdate(put(NAMESPACES + name, namespace));
  }

  private ObjectNode stored(String name) {
    MockResponse current = store.handleGet(NAMESPACES + name);
    if (current.code() != 200) {
      return null;
    }
    JsonNode namespace = read(current);
    return namespace.isObject() && namespace.path("metadata").isObject()
        ? (ObjectNode) namespace
        : null;
  }

  private static JsonNode read(MockResponse response) {
    try {
      Buffer body = response.getBody();
      return JSON.readTree(body == null ? new byte[0] : body.getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RecordedRequest put(String path, JsonNode body) {
    return new RecordedRequest(
        "HTTP/1.1",
        HttpMethod.PUT,
        path,
        Headers.builder().add("Content-Type", KubectlDispatcher.JSON_TYPE).build(),
        new Buffer(body.toString().getBytes(StandardCharsets.UTF_8)));
  }
}
