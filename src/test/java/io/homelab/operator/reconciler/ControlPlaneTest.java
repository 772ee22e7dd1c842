package io.homelab.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.homelab.operator.api.SecretRef;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.NamespaceSelector;
import io.homelab.operator.api.edge.NamespacesFrom;
import io.homelab.operator.api.edge.RouteNamespaces;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.route.RouteAccess;
import io.homelab.operator.api.route.TunnelRef;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.status.ConditionType;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.quarkiverse.operatorsdk.runtime.QuarkusConfigurationService;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What the operator decides before it touches an external system: references, the Edge's admission
 * policy, host-name conflicts, deletion order and safety, paused and force-delete. On the mock API
 * server; every test uses a namespace of its own.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ControlPlaneTest {

  @Inject KubernetesClient client;
  @Inject QuarkusConfigurationService configuration;

  @Inject
  jakarta.enterprise.inject.Instance<io.javaoperatorsdk.operator.api.reconciler.Reconciler<?>>
      reconcilers;

  @Test
  void theFrameworksRetryNeverGivesUpAndBacksOffToFiveMinutes() {
    List<String> checked = new java.util.ArrayList<>();
    for (var reconciler : reconcilers) {
      @SuppressWarnings({"unchecked", "rawtypes"})
      var controller =
          configuration.getConfigurationFor(
              (io.javaoperatorsdk.operator.api.reconciler.Reconciler) reconciler);
      assertThat(controller.getRetry())
          .as(controller.getName())
          .isInstanceOfSatisfying(
              GenericRetry.class,
              retry -> {
                assertThat(retry.getMaxAttempts()).as("max attempts (-1: unlimited)").isEqualTo(-1);
                assertThat(retry.getInitialInterval()).isEqualTo(2000);
                assertThat(retry.getIntervalMultiplier()).isEqualTo(2.0);
                assertThat(retry.getMaxInterval()).isEqualTo(300_000);
              });
      checked.add(controller.getName());
    }
    assertThat(checked)
        .containsExactlyInAnyOrder("edge", "tunnel", "route", "guest", "secret-usage");
  }

  @Test
  void aRouteFollowsItsTunnelAndSecretsAsTheyAppear() {
    Homelab lab = new Homelab(client, "refs");
    lab.secrets();
    lab.edge(e -> {});
    lab.route(
        "app",
        "refs.example.com",
        r -> {
          RouteAccess access = new RouteAccess();
          access.setBasicAuthSecretRef(new SecretRef("app-users"));
          r.getSpec().setAccess(access);
        });
    JsonNode spec = lab.specOf(Route.class, "app");
    var annotations = lab.get(Route.class, "app").getMetadata().getAnnotations();

    lab.awaitCondition(Route.class, "app", ConditionType.RESOLVED_REFS, "False", "TunnelNotFound");
    lab.tunnel("home", t -> {});
    lab.awaitCondition(Route.class, "app", ConditionType.RESOLVED_REFS, "False", "SecretNotFound");
    lab.awaitCondition(Route.class, "app", ConditionType.ACCEPTED, "True", "Accepted");

    lab.create(secret("refs", "app-users", Map.of("username", "alice")));
    var missingKey =
        lab.awaitCondition(
            Route.class, "app", ConditionType.RESOLVED_REFS, "False", "SecretKeyMissing");
    assertThat(missingKey.getMessage()).contains("refs/app-users").contains("password");

    lab.edit(Secret.class, "app-users", s -> s.getData().put("password", "c2VjcmV0"));
    lab.awaitCondition(Route.class, "app", ConditionType.RESOLVED_REFS, "True", "ResolvedRefs");
    assertThat(lab.get(Route.class, "app").getStatus().getUrl())
        .isEqualTo("https://refs.example.com");
    lab.assertSpec(Route.class, "app", spec);
    // The operator writes an object's status and its own finalizer, nothing else.
    Route stored = lab.get(Route.class, "app");
    assertThat(stored.getMetadata().getFinalizers()).containsExactly("routes.homelab.io/finalizer");
    assertThat(stored.getMetadata().getAnnotations())
        .as("the sample's annotations (its sync wave), and no more")
        .isEqualTo(annotations);
    assertThat(stored.getMetadata().getLabels()).isNullOrEmpty();
  }

  @Test
  void aRouteToAGuestWaitsForTheGuestsAddress() {
    Homelab lab = new Homelab(client, "backend");
    lab.secrets();
    lab.edge(e -> {});
    lab.tunnel("home", t -> {});
    lab.route(
        "app",
        "backend.example.com",
        r -> {
          r.getSpec().getBackend().setAddress(null);
          r.getSpec().getBackend().setGuestRef(new io.homelab.operator.api.LocalObjectRef("app"));
          r.getSpec().getBackend().setPort(8080);
        });
    lab.awaitCondition(Route.class, "app", ConditionType.RESOLVED_REFS, "False", "GuestNotFound");

    lab.guest(g -> {});
    lab.awaitCondition(Guest.class, "app", ConditionType.ACCEPTED, "True", "Accepted");
    var notReady =
        lab.awaitCondition(
            Route.class, "app", ConditionType.RESOLVED_REFS, "False", "BackendNotReady");
    assertThat(notReady.getMessage()).contains("backend/app").contains("no address");

    // What the Proxmox driver reports once the guest runs: its address.
    client
        .resources(Guest.class)
        .inNamespace("backend")
        .withName("app")
        .editStatus(
            g -> {
              g.getStatus().setAddresses(List.of("192.168.1.50"));
              return g;
            });
    lab.awaitCondition(Route.class, "app", ConditionType.RESOLVED_REFS, "True", "ResolvedRefs");
  }

  @Test
  void theOldestRouteHoldsAHostnameAndHandsItOverOnlyWhenGone() {
    Homelab lab = new Homelab(client, "claims");
    lab.secrets();
    lab.edge(e -> {});
    lab.tunnel("home", t -> {});
    lab.route("first", "shared.example.com", r -> {});
    lab.awaitCondition(Route.class, "first", ConditionType.ACCEPTED, "True", "Accepted");
    lab.route("second", "shared.example.com", r -> {});
    var conflict =
        lab.awaitCondition(
            Route.class, "second", ConditionType.ACCEPTED, "False", "HostnameConflict");
    assertThat(conflict.getMessage()).contains("claims/first");
    assertThat(lab.get(Route.class, "second").getStatus().getUrl()).isNull();

    List<String> order = new CopyOnWriteArrayList<>();
    try (Watch watch = watchRoutes("claims", order)) {
      lab.delete(Route.class, "first");
      lab.awaitCondition(Route.class, "second", ConditionType.ACCEPTED, "True", "Accepted");
      await("the watch saw it")
          .atMost(Homelab.DEADLINE)
          .until(() -> order.contains("ACCEPTED second"));
    }
    int firstGone = order.indexOf("DELETED first");
    int secondAccepted = order.indexOf("ACCEPTED second");
    assertThat(firstGone).as("events seen: %s", order).isGreaterThanOrEqualTo(0);
    assertThat(secondAccepted)
        .as("the younger Route is accepted only after the older is gone: %s", order)
        .isGreaterThan(firstGone);
  }

  @Test
  void theEdgeAdmitsRoutesByNamespaceAndHostnameAndChangesApplyAtOnce() {
    Homelab lab = new Homelab(client, "edge-ns");
    lab.secrets();
    lab.edge(e -> {});
    lab.tunnel("home", t -> {});
    Homelab other = new Homelab(client, "team-a");
    other.route(
        "blog", "blog.example.com", r -> r.getSpec().setTunnelRef(tunnelRef("home", "edge-ns")));
    lab.route("shop", "shop.example.org", r -> {});

    var refused =
        other.awaitCondition(
            Route.class, "blog", ConditionType.ACCEPTED, "False", "NotAllowedByEdge");
    assertThat(refused.getMessage()).contains("team-a");
    lab.awaitCondition(Route.class, "shop", ConditionType.ACCEPTED, "False", "HostnameNotAllowed");

    // Admit every namespace, and example.org too: both Routes follow without being touched.
    lab.edit(
        Edge.class,
        "vps",
        e -> {
          RouteNamespaces all = new RouteNamespaces();
          all.setFrom(NamespacesFrom.All);
          e.getSpec().getAllowedRoutes().setNamespaces(all);
          e.getSpec().getAllowedRoutes().setHostnames(List.of("example.com", "example.org"));
        });
    lab.awaitCondition(Route.class, "shop", ConditionType.ACCEPTED, "True", "Accepted");
    other.awaitCondition(Route.class, "blog", ConditionType.ACCEPTED, "True", "Accepted");

    // Only namespaces labelled team=a: the Edge's own namespace is not, team-a is once labelled.
    lab.edit(
        Edge.class,
        "vps",
        e -> {
          RouteNamespaces namespaces = new RouteNamespaces();
          namespaces.setFrom(NamespacesFrom.Selector);
          NamespaceSelector selector = new NamespaceSelector();
          selector.setMatchLabels(Map.of("team", "a"));
          namespaces.setSelector(selector);
          e.getSpec().getAllowedRoutes().setNamespaces(namespaces);
        });
    lab.awaitCondition(Route.class, "shop", ConditionType.ACCEPTED, "False", "NotAllowedByEdge");
    other.awaitCondition(Route.class, "blog", ConditionType.ACCEPTED, "False", "NotAllowedByEdge");
    client
        .namespaces()
        .withName("team-a")
        .edit(
            n -> {
              n.getMetadata().setLabels(Map.of("team", "a"));
              return n;
            });
    other.awaitCondition(Route.class, "blog", ConditionType.ACCEPTED, "True", "Accepted");
  }

  @Test
  void deletingEverythingLetsEveryCleanupRunBeforeItsSecretsGo() throws InterruptedException {
    Homelab lab = new Homelab(client, "doomed");
    lab.secrets();
    lab.edge(e -> {});
    lab.tunnel("home", t -> {});
    lab.route("app", "doomed-app.example.com", r -> {});
    lab.route("nas", "doomed-nas.example.com", r -> {});
    lab.guest(g -> {});
    for (String secret : List.of("vps-ssh", "cloudflare", "npm-login", "proxmox")) {
      await("finalizer on Secret " + secret)
          .atMost(Homelab.DEADLINE)
          .until(
              () ->
                  lab.get(Secret.class, secret)
                      .getMetadata()
                      .getFinalizers()
                      .contains(Annotations.IN_USE_FINALIZER));
    }
    lab.awaitCondition(Route.class, "nas", ConditionType.ACCEPTED, "True", "Accepted");

    // While everything goes, snapshots check the order: what is needed is listed first, what
    // needs it second, so "needed thing gone while its user still exists" cannot be a timing
    // artefact of the snapshot itself.
    List<String> violations = new CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread watcher =
        new Thread(
            () -> {
              while (!done.get()) {
                snapshot("doomed", violations);
              }
            });
    watcher.start();
    try {
      // What deleting the namespace does: everything in it is deleted at once, Secrets first.
      for (Class<? extends HasMetadata> type :
          List.of(Secret.class, Edge.class, Tunnel.class, Route.class, Guest.class)) {
        client.resources(type).inNamespace("doomed").delete();
      }
      for (Class<? extends HasMetadata> type :
          List.of(Route.class, Tunnel.class, Edge.class, Guest.class, Secret.class)) {
        await("every " + type.getSimpleName() + " gone")
            .atMost(Homelab.DEADLINE)
            .until(() -> client.resources(type).inNamespace("doomed").list().getItems().isEmpty());
      }
    } finally {
      done.set(true);
      watcher.join(10_000);
    }
    assertThat(violations).as("a needed object went before its user").isEmpty();

    for (var object :
        List.of(
            List.of("Route", "app"),
            List.of("Route", "nas"),
            List.of("Tunnel", "home"),
            List.of("Edge", "vps"),
            List.of("Guest", "app"))) {
      assertThat(lab.events(object.get(0), object.get(1)))
          .as("cleanup of %s", object)
          .anySatisfy(e -> assertThat(e).startsWith("Normal CleanedUp"));
    }
    assertThat(lab.events("Tunnel", "home"))
        .anySatisfy(e -> assertThat(e).contains("WaitingForDependents").contains("doomed/app"));
  }

  @Test
  void pausedIsShownAndForceDeleteEndsAStuckDeletion() {
    Homelab lab = new Homelab(client, "stuck");
    lab.secrets();
    lab.edge(e -> {});
    lab.tunnel("home", t -> {});
    lab.route("app", "app.example.com", r -> {});
    lab.awaitCondition(Route.class, "app", ConditionType.ACCEPTED, "True", "Accepted");

    lab.edit(
        Route.class,
        "app",
        r -> r.getMetadata().setAnnotations(Map.of(Annotations.PAUSED, "true")));
    lab.awaitCondition(Route.class, "app", ConditionType.PAUSED, "True", "PausedByAnnotation");
    lab.edit(Route.class, "app", r -> r.getMetadata().getAnnotations().remove(Annotations.PAUSED));
    await("Paused removed")
        .atMost(Homelab.DEADLINE)
        .until(
            () -> Homelab.condition(lab.get(Route.class, "app"), ConditionType.PAUSED).isEmpty());

    // The Tunnel's deletion waits for the Route that uses it...
    lab.delete(Tunnel.class, "home");
    var waiting =
        lab.awaitCondition(
            Tunnel.class, "home", ConditionType.READY, "False", "WaitingForDependents");
    assertThat(waiting.getMessage()).contains("stuck/app");
    assertThat(lab.get(Tunnel.class, "home")).isNotNull();
    // ...until someone forces it.
    lab.edit(
        Tunnel.class,
        "home",
        t -> t.getMetadata().setAnnotations(Map.of(Annotations.FORCE_DELETE, "true")));
    lab.awaitGone(Tunnel.class, "home");
    assertThat(lab.events("Tunnel", "home"))
        .anySatisfy(e -> assertThat(e).startsWith("Warning ForceDeleted"));
    lab.awaitCondition(Route.class, "app", ConditionType.RESOLVED_REFS, "False", "TunnelNotFound");
  }

  /**
   * One snapshot of the namespace: Secrets, then Edges, then Tunnels, then Routes and Guests. A
   * user listed after the thing it needs was found missing existed after that thing was gone.
   */
  private void snapshot(String namespace, List<String> violations) {
    try {
      var secrets = names(client.secrets().inNamespace(namespace).list().getItems());
      var edges = names(client.resources(Edge.class).inNamespace(namespace).list().getItems());
      var tunnels = client.resources(Tunnel.class).inNamespace(namespace).list().getItems();
      var routes = client.resources(Route.class).inNamespace(namespace).list().getItems();
      var guests = client.resources(Guest.class).inNamespace(namespace).list().getItems();
      List<HasMetadata> users = new java.util.ArrayList<>();
      users.addAll(tunnels);
      users.addAll(routes);
      users.addAll(guests);
      for (HasMetadata user : users) {
        for (String secret : io.homelab.operator.model.SecretUses.names(user)) {
          if (!secrets.contains(secret)) {
            violations.add(
                "Secret "
                    + secret
                    + " gone while "
                    + user.getKind()
                    + " "
                    + user.getMetadata().getName()
                    + " exists");
          }
        }
      }
      for (Tunnel tunnel : tunnels) {
        if (!edges.contains(tunnel.getSpec().getEdgeRef().getName())) {
          violations.add("Edge gone while Tunnel " + tunnel.getMetadata().getName() + " exists");
        }
      }
      var tunnelNames = names(tunnels);
      for (Route route : routes) {
        if (!tunnelNames.contains(route.getSpec().getTunnelRef().getName())) {
          violations.add("Tunnel gone while Route " + route.getMetadata().getName() + " exists");
        }
      }
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      // a list that failed is no evidence either way
    }
  }

  private static java.util.Set<String> names(List<? extends HasMetadata> objects) {
    return objects.stream()
        .map(o -> o.getMetadata().getName())
        .collect(java.util.stream.Collectors.toSet());
  }

  private static TunnelRef tunnelRef(String name, String namespace) {
    TunnelRef ref = new TunnelRef();
    ref.setName(name);
    ref.setNamespace(namespace);
    return ref;
  }

  private static Secret secret(String namespace, String name, Map<String, String> stringData) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withData(
            stringData.entrySet().stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        Map.Entry::getKey,
                        e ->
                            java.util.Base64.getEncoder().encodeToString(e.getValue().getBytes()))))
        .build();
  }

  private Watch watchRoutes(String namespace, List<String> order) {
    return client
        .resources(Route.class)
        .inNamespace(namespace)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Route route) {
                String name = route.getMetadata().getName();
                if (action == Action.DELETED) {
                  order.add("DELETED " + name);
                } else if (Homelab.condition(route, ConditionType.ACCEPTED)
                    .map(c -> c.getStatus().equals("True"))
                    .orElse(false)) {
                  order.add("ACCEPTED " + name);
                }
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }
}
