package io.homelab.operator.sandbox.kube;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An embedded Kubernetes API server for the sandbox, good enough for the real {@code kubectl} and
 * for the operator: the fabric8 mock server in CRUD mode, with server-side apply emulated ({@link
 * ServerSideApplyDispatcher}) and, in front of it, discovery, server-side tables, OpenAPI v3 and
 * the rest kubectl relies on ({@link KubectlDispatcher}). It listens over HTTPS on the loopback
 * address with a self-signed certificate made at start, takes any credentials and allows
 * everything, and keeps its objects in memory only.
 *
 * <pre>{@code
 * try (SandboxApiServer api = SandboxApiServer.start(SandboxApiServer.readCrds(crdFiles))) {
 *   api.writeKubeconfig(dir.resolve("kubeconfig"));   // for kubectl --kubeconfig
 *   String url = api.url();                           // for the operator, with trust-certs
 * }
 * }</pre>
 *
 * <p>The operator connects to {@link #url()} trusting the certificate ({@code
 * quarkus.kubernetes-client.trust-certs=true}), with server-side apply on (emulated for one field
 * manager) or off.
 */
public final class SandboxApiServer implements AutoCloseable {

  /** The namespace every cluster has; created at start. */
  public static final String DEFAULT_NAMESPACE = "default";

  /** The Kubernetes version the server reports at {@code /version}. */
  public static final String KUBERNETES_VERSION = "v1.32.0";

  private static final String CONTEXT = "homelab-sandbox";

  /**
   * The mock web server logs every request at INFO. Held here, as java.util.logging keeps loggers
   * only weakly, so the level stays set.
   */
  private static final Logger REQUEST_LOG = Logger.getLogger(MockWebServer.class.getName());

  static {
    REQUEST_LOG.setLevel(Level.WARNING);
  }

  private final ServerSideApplyDispatcher store;
  private final KubectlDispatcher front;
  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final Queue<ApiRequest> requests = new ConcurrentLinkedQueue<>();
  private volatile boolean recording;

  /**
   * One request the server received: its method, its target (path and query) and its {@code
   * Authorization} header (null when it had none), which tells one client from another.
   */
  public record ApiRequest(String method, String target, String authorization) {}

  private SandboxApiServer(int port) {
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    store = new ServerSideApplyDispatcher(expectations);
    front = new KubectlDispatcher(store, version(), Clock.systemUTC());
    server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            expectations,
            new Dispatcher() {
              @Override
              public MockResponse dispatch(RecordedRequest request) {
                if (recording) {
                  requests.add(
                      new ApiRequest(
                          request.getMethod(),
                          request.getPath(),
                          request.getHeader("Authorization")));
                }
                return front.dispatch(request);
              }

              @Override
              public void shutdown() {
                front.shutdown();
              }
            },
            true);
    server.init(InetAddress.getLoopbackAddress(), port);
    front.serverAddress(InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort());
    client = server.createClient();
  }

  /** Starts a server on a free loopback port, with the namespace {@code default} only. */
  public static SandboxApiServer start() {
    return start(0, List.of());
  }

  /** Starts a server on a free loopback port and creates the given CRDs in it. */
  public static SandboxApiServer start(List<CustomResourceDefinition> crds) {
    return start(0, crds);
  }

  /**
   * Starts a server on the given loopback port (0: a free one) and creates the namespace {@code
   * default} and the given CRDs in it.
   */
  public static SandboxApiServer start(int port, List<CustomResourceDefinition> crds) {
    SandboxApiServer api = new SandboxApiServer(port);
    try {
      api.client
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(DEFAULT_NAMESPACE)
                  .endMetadata()
                  .withNewStatus()
                  .withPhase("Active")
                  .endStatus()
                  .build())
          .create();
      for (CustomResourceDefinition crd : crds) {
        api.client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      }
    } catch (RuntimeException e) {
      api.close();
      throw e;
    }
    return api;
  }

  /**
   * Reads CRDs from YAML or JSON files (such as those of the project's {@code crds/} folder), every
   * CustomResourceDefinition document of each file, in order.
   *
   * @throws IllegalArgumentException when a file holds something other than CRDs
   */
  public static List<CustomResourceDefinition> readCrds(List<Path> files) {
    KubernetesSerialization serialization = new KubernetesSerialization();
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        Object parsed = serialization.unmarshal(in);
        List<?> documents = parsed instanceof List<?> list ? list : List.of(parsed);
        for (Object document : documents) {
          if (document instanceof CustomResourceDefinition crd) {
            crds.add(crd);
          } else if (document != null) {
            throw new IllegalArgumentException(
                file.getFileName()
                    + " holds a "
                    + (document instanceof HasMetadata h ? h.getKind() : document.getClass())
                    + ", not a CustomResourceDefinition");
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file, e);
      }
    }
    return crds;
  }

  /** The URL clients reach the server at: {@code https://127.0.0.1:<port>/}. */
  public String url() {
    return "https://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port() + "/";
  }

  public int port() {
    return server.getPort();
  }

  /** A client of this server (trusting its certificate, namespace {@code test}). */
  public KubernetesClient client() {
    return client;
  }

  /**
   * Starts keeping every request the server receives from now on (off at start: a long run would
   * keep them all in memory).
   */
  public void recordRequests() {
    recording = true;
  }

  /** The requests received since {@link #recordRequests()}, in the order they came. */
  public List<ApiRequest> requests() {
    return List.copyOf(requests);
  }

  /**
   * The object store: the CRUD dispatcher with server-side apply, and its failure injection
   * (holding status writes).
   */
  public ServerSideApplyDispatcher dispatcher() {
    return store;
  }

  /**
   * Writes a kubeconfig for this server to {@code file} (replacing it) and returns the file: one
   * cluster at {@link #url()} with {@code insecure-skip-tls-verify: true} (the certificate is made
   * at start and names no address kubectl checks), one user with a token the server does not check,
   * and the context {@code homelab-sandbox} as the current one, with namespace {@code namespace}
   * (null: none, so {@code default}).
   */
  public Path writeKubeconfig(Path file, String namespace) {
    String server = url().substring(0, url().length() - 1);
    StringBuilder yaml = new StringBuilder();
    yaml.append("apiVersion: v1\n")
        .append("kind: Config\n")
        .append("preferences: {}\n")
        .append("clusters:\n")
        .append("- name: ")
        .append(CONTEXT)
        .append("\n  cluster:\n")
        .append("    server: ")
        .append(server)
        .append("\n    insecure-skip-tls-verify: true\n")
        .append("users:\n")
        .append("- name: ")
        .append(CONTEXT)
        .append("\n  user:\n")
        .append("    token: sandbox\n")
        .append("contexts:\n")
        .append("- name: ")
        .append(CONTEXT)
        .append("\n  context:\n")
        .append("    cluster: ")
        .append(CONTEXT)
        .append("\n    user: ")
        .append(CONTEXT)
        .append('\n');
    if (namespace != null) {
      yaml.append("    namespace: ").append(namespace).append('\n');
    }
    yaml.append("current-context: ").append(CONTEXT).append('\n');
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
    return file;
  }

  /** {@link #writeKubeconfig(Path, String)} without a namespace in the context. */
  public Path writeKubeconfig(Path file) {
    return writeKubeconfig(file, null);
  }

  /** Stops the server; its objects are gone. */
  @Override
  public void close() {
    client.close();
    server.destroy();
  }

  private static ObjectNode version() {
    String[] parts = KUBERNETES_VERSION.substring(1).split("\\.");
    return JsonNodeFactory.instance
        .objectNode()
        .put("major", parts[0])
        .put("minor", parts[1])
        .put("gitVersion", KUBERNETES_VERSION + "+homelab-sandbox")
        .put("gitCommit", "0000000000000000000000000000000000000000")
        .put("gitTreeState", "clean")
        .put("buildDate", "2025-01-01T00:00:00Z")
        .put("goVersion", "go1.23")
        .put("compiler", "gc")
        .put("platform", "linux/amd64");
  }
}
