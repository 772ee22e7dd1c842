package io.homelab.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homelab.operator.api.Condition;
import io.homelab.operator.api.HomelabStatus;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.schema.Crds;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.testing.OfflineSamples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A homelab in one namespace for control-plane tests, made from the objects of k8s-samples/ so the
 * tests use what a person would apply.
 */
final class Homelab {

  static {
    // Awaitility fails an await on any uncaught exception of any thread. The operator framework
    // (JOSDK 5.3.2) can throw one of its own on a worker thread when an object's deletion races its
    // rescheduling (java.util.Timer: "Task already scheduled or cancelled"); the framework carries
    // on, and the tests judge the outcome, which the awaits check. Set once, for every test of the
    // run that uses this class (the same class loader as the tests' Awaitility).
    org.awaitility.Awaitility.doNotCatchUncaughtExceptionsByDefault();
  }

  static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  final KubernetesClient client;
  final String namespace;
  private java.net.URI npmUrl;

  Homelab(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    client
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  /** Every Secret of the samples, in this namespace. */
  Homelab secrets() {
    for (JsonNode doc : Crds.readDocuments(Path.of("k8s-samples", "01-secrets.yaml"))) {
      create(sample(doc, Secret.class, null));
    }
    return this;
  }

  Edge edge(Consumer<Edge> change) {
    return create(fromSample("10-edge.yaml", Edge.class, change));
  }

  Tunnel tunnel(String name, Consumer<Tunnel> change) {
    return create(
        fromSample(
            "20-tunnel.yaml",
            Tunnel.class,
            t -> {
              t.getMetadata().setName(name);
              if (npmUrl != null) {
                t.getSpec().getProxyManager().setUrl(npmUrl.toString());
              }
              change.accept(t);
            }));
  }

  /** Tunnels made from now on name this NPM (a simulator) as their proxy manager. */
  Homelab npmAt(java.net.URI url) {
    this.npmUrl = url;
    return this;
  }

  /** The sample Route to a plain address, with the given name and host name. */
  Route route(String name, String hostname, Consumer<Route> change) {
    return create(
        fromSample(
            "41-route-address.yaml",
            Route.class,
            r -> {
              r.getMetadata().setName(name);
              r.getSpec().setHostname(hostname);
              r.getSpec().setAccess(null);
              change.accept(r);
            }));
  }

  Guest guest(Consumer<Guest> change) {
    return create(fromSample("30-guest-vm.yaml", Guest.class, change));
  }

  Guest lxc(Consumer<Guest> change) {
    return create(fromSample("31-guest-lxc.yaml", Guest.class, change));
  }

  /** A Secret of this namespace with these values. */
  Secret secret(String name, Map<String, String> data) {
    return create(
        new io.fabric8.kubernetes.api.model.SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withStringData(data)
            .build());
  }

  /** A value of a Secret (one the operator writes, say), once the Secret is there. */
  String secretText(String name, String key) {
    Secret secret =
        await("Secret " + namespace + "/" + name)
            .atMost(DEADLINE)
            .until(() -> get(Secret.class, name), s -> s != null && s.getData() != null);
    assertThat(secret.getData()).as("keys of Secret %s", name).containsKey(key);
    return new String(
        java.util.Base64.getDecoder().decode(secret.getData().get(key)),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * The lab's edge as an Edge: its sshd and "public" address, a WireGuard interface of its own, and
   * Caddy on the lab's HTTPS port with its local CA (no ACME in a lab).
   */
  static Consumer<Edge> atLab(
      io.homelab.operator.sandbox.lab.NetnsLab net, String iface, int listenPort, String network) {
    return e -> {
      e.getSpec().getPublicAddress().setIpv4(net.edgePublicAddress);
      e.getSpec().getSsh().setHost(net.sshHost);
      e.getSpec().getSsh().setPort(io.homelab.operator.sandbox.lab.NetnsLab.SSH_PORT);
      e.getSpec().getSsh().setHostKey(net.hostKey());
      e.getSpec().getSsh().setCommandTimeoutSeconds(20);
      e.getSpec().getWireguard().setInterfaceName(iface);
      e.getSpec().getWireguard().setListenPort(listenPort);
      e.getSpec().getWireguard().setNetwork(network);
      io.homelab.operator.api.edge.EdgeCaddy caddy = new io.homelab.operator.api.edge.EdgeCaddy();
      caddy.setIssuer(io.homelab.operator.api.edge.CaddyIssuer.Internal);
      caddy.setListen(List.of(":" + io.homelab.operator.sandbox.lab.NetnsLab.CADDY_HTTPS_PORT));
      e.getSpec().setCaddy(caddy);
    };
  }

  <T extends HasMetadata> T create(T object) {
    return client.resource(object).create();
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return client.resources(type).inNamespace(namespace).withName(name).get();
  }

  /**
   * Edits an object as a person would with kubectl edit; an edit that meets one of the operator's
   * writes (409) is made again on the fresh object.
   */
  <T extends HasMetadata> T edit(Class<T> type, String name, Consumer<T> change) {
    return await("edit of " + type.getSimpleName() + " " + namespace + "/" + name)
        .atMost(DEADLINE)
        .ignoreException(io.fabric8.kubernetes.client.KubernetesClientException.class)
        .until(
            () ->
                client
                    .resources(type)
                    .inNamespace(namespace)
                    .withName(name)
                    .edit(
                        o -> {
                          change.accept(o);
                          return o;
                        }),
            java.util.Objects::nonNull);
  }

  /**
   * A working Edge "vps" on {@code edge} (Caddy's admin API at {@code caddy}, the interface {@code
   * iface} on {@code network}, host names under {@code suffix}), changed by {@code change}, with
   * its SSH Secret; the NPM login Secret for {@code npm}; a Tunnel "home" to {@code homeNetwork};
   * and a Route "app" for {@code hostname} to {@code backend} through it, changed by {@code route}.
   * Waits until the Route is Ready.
   */
  void simulatedPath(
      io.homelab.operator.sandbox.edge.SimulatedEdge edge,
      io.homelab.operator.sandbox.caddy.CaddyAdminSimulator caddy,
      io.homelab.operator.sandbox.npm.NpmSimulator npm,
      String iface,
      String network,
      String suffix,
      Consumer<Edge> change,
      String homeNetwork,
      String hostname,
      String backend,
      Consumer<Route> route) {
    String identity = "admin@example.com";
    String password = namespace + "-npm-password";
    npm.addUser(identity, password, false);
    npmAt(npm.apiUrl());
    secret("vps-ssh", Map.of("id_ed25519", edge.clientKey()));
    secret("npm-login", Map.of("identity", identity, "secret", password));
    edge(
        e -> {
          e.getMetadata().setName("vps");
          e.getSpec().getSsh().setHost(io.homelab.operator.sandbox.edge.SimulatedEdge.HOST);
          e.getSpec().getSsh().setPort(edge.port());
          e.getSpec().getSsh().setHostKey(edge.hostKey());
          e.getSpec().getWireguard().setInterfaceName(iface);
          e.getSpec().getWireguard().setNetwork(network);
          io.homelab.operator.api.edge.EdgeCaddy spec =
              new io.homelab.operator.api.edge.EdgeCaddy();
          spec.setIssuer(io.homelab.operator.api.edge.CaddyIssuer.Internal);
          spec.setAdminAddress(caddy.adminAddress());
          spec.setListen(
              List.of(io.homelab.operator.sandbox.edge.SimulatedEdge.HOST + ":" + freePort()));
          e.getSpec().setCaddy(spec);
          e.getSpec().getAllowedRoutes().setHostnames(List.of(suffix));
          change.accept(e);
        });
    tunnel(
        "home",
        t -> {
          t.getSpec().getEdgeRef().setName("vps");
          t.getSpec().setAllowedIPs(List.of(homeNetwork));
        });
    route(
        "app",
        hostname,
        r -> {
          r.getSpec().getTunnelRef().setName("home");
          r.getSpec().getBackend().setAddress(backend);
          route.accept(r);
        });
    awaitCondition(
        Route.class,
        "app",
        io.homelab.operator.status.ConditionType.READY,
        "True",
        io.homelab.operator.status.Reason.READY);
  }

  /** A free loopback port. */
  static int freePort() {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Closes every one of {@code resources}, the rest too when one fails, and empties the list. */
  static void closeAll(java.util.List<? extends AutoCloseable> resources) {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        // closing the rest anyway
      }
    }
    resources.clear();
  }

  void delete(Class<? extends HasMetadata> type, String name) {
    client.resources(type).inNamespace(namespace).withName(name).delete();
  }

  /** Waits until the object has the condition with this status and reason, for its generation. */
  <S extends HomelabStatus, T extends CustomResource<?, S>> Condition awaitCondition(
      Class<T> type, String name, String conditionType, String status, String reason) {
    String what = type.getSimpleName() + " " + namespace + "/" + name;
    java.util.concurrent.atomic.AtomicReference<String> last =
        new java.util.concurrent.atomic.AtomicReference<>("no such condition");
    try {
      return await(what + " " + conditionType + "=" + status + "/" + reason)
          .atMost(DEADLINE)
          .until(
              () -> {
                T object = get(type, name);
                Condition c = object == null ? null : condition(object, conditionType).orElse(null);
                if (c != null) {
                  last.set(c.getStatus() + "/" + c.getReason() + ": " + c.getMessage());
                }
                return c;
              },
              c ->
                  c != null
                      && c.getStatus().equals(status)
                      && c.getReason().equals(reason)
                      && c.getObservedGeneration() != null);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          what
              + ": expected "
              + conditionType
              + "="
              + status
              + "/"
              + reason
              + ", last seen "
              + last.get(),
          e);
    }
  }

  static Optional<Condition> condition(
      CustomResource<?, ? extends HomelabStatus> object, String type) {
    if (object.getStatus() == null || object.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return object.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst();
  }

  void awaitGone(Class<? extends HasMetadata> type, String name) {
    await(type.getSimpleName() + " " + namespace + "/" + name + " gone")
        .atMost(DEADLINE)
        .until(() -> get(type, name) == null);
  }

  /** The events recorded on an object, as reason: message. */
  List<String> events(String kind, String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(
            e ->
                kind.equals(e.getInvolvedObject().getKind())
                    && name.equals(e.getInvolvedObject().getName()))
        .map(e -> e.getType() + " " + e.getReason() + ": " + e.getMessage())
        .toList();
  }

  /** The spec as stored on the server, as a JSON tree. */
  JsonNode specOf(Class<? extends HasMetadata> type, String name) {
    JsonNode object = JSON.valueToTree(get(type, name));
    return object.get("spec");
  }

  void assertSpec(Class<? extends HasMetadata> type, String name, JsonNode expected) {
    assertThat(specOf(type, name))
        .as("spec of %s %s", type.getSimpleName(), name)
        .isEqualTo(expected);
  }

  private <T extends HasMetadata> T fromSample(String file, Class<T> type, Consumer<T> change) {
    JsonNode doc =
        Crds.readDocuments(Path.of("k8s-samples", file)).stream()
            .filter(d -> d.path("kind").asText().equals(type.getSimpleName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + file));
    return sample(doc, type, change);
  }

  private <T extends HasMetadata> T sample(JsonNode doc, Class<T> type, Consumer<T> change) {
    ObjectNode copy = (ObjectNode) OfflineSamples.localize(doc);
    ((ObjectNode) copy.get("metadata")).put("namespace", namespace);
    T object = JSON.convertValue(copy, type);
    if (change != null) {
      change.accept(object);
    }
    return object;
  }

  static Map<String, String> labels(String key, String value) {
    return Map.of(key, value);
  }
}
