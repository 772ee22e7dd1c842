package io.homelab.operator.harness;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.homelab.operator.api.schema.Crds;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * A fabric8 mock Kubernetes API server in CRUD mode with server-side apply emulated (see {@link
 * ServerSideApplyDispatcher}), listening on the loopback address over HTTPS with a self-signed
 * certificate, plus a client for the test to drive it with.
 */
public final class MockApiServer implements AutoCloseable {

  private final ServerSideApplyDispatcher dispatcher;
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private MockApiServer() {
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    dispatcher = new ServerSideApplyDispatcher(expectations);
    server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            expectations,
            dispatcher,
            true);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
  }

  /** Starts a server on a free loopback port. */
  public static MockApiServer start() {
    return new MockApiServer();
  }

  /** Starts a server and creates in it every CRD of the project's {@code crds/} folder. */
  public static MockApiServer startWithCrds() {
    MockApiServer server = start();
    try {
      for (Path file : Crds.files(Crds.CRD_DIR, ".yml")) {
        try (InputStream in = Files.newInputStream(file)) {
          CustomResourceDefinition crd = server.client.getKubernetesSerialization().unmarshal(in);
          server.client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
      }
    } catch (IOException e) {
      server.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** The URL a Kubernetes client reaches the server at: HTTPS on the loopback address. */
  public String url() {
    return server.url("/");
  }

  public KubernetesClient client() {
    return client;
  }

  public ServerSideApplyDispatcher dispatcher() {
    return dispatcher;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
