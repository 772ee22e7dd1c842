package io.homelab.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.homelab.operator.api.LocalObjectRef;
import io.homelab.operator.api.SecretRef;
import io.homelab.operator.api.edge.AllowedRoutes;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeSpec;
import io.homelab.operator.api.edge.NamespaceSelector;
import io.homelab.operator.api.edge.NamespacesFrom;
import io.homelab.operator.api.edge.RouteNamespaces;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.guest.GuestSpec;
import io.homelab.operator.api.guest.GuestStatus;
import io.homelab.operator.api.route.Backend;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.route.RouteAccess;
import io.homelab.operator.api.route.RouteSpec;
import io.homelab.operator.api.route.TunnelRef;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.api.tunnel.TunnelSpec;
import io.homelab.operator.status.ConditionType;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RouteDecisionTest {

  private static final Instant CREATED = Instant.parse("2026-01-01T10:00:00Z");
  private static final String HOST = "app.example.com";

  /**
   * Each row changes the all-good world in one way and gives the expected Accepted and ResolvedRefs
   * as "status reason". The reasons are spelled out: they are API, users match on them.
   */
  @ParameterizedTest(name = "{0}: Accepted {1}, ResolvedRefs {2}")
  @MethodSource
  void outcomes(Consumer<World> change, String accepted, String resolvedRefs) {
    World world = new World();
    change.accept(world);

    List<Verdict> verdicts = RouteDecision.decide(world.inputs());

    assertThat(verdicts)
        .extracting(Verdict::type, v -> v.status() + " " + v.reason())
        .containsExactly(
            tuple(ConditionType.ACCEPTED, accepted),
            tuple(ConditionType.RESOLVED_REFS, resolvedRefs));
  }

  static Stream<Arguments> outcomes() {
    String ok = "True Accepted";
    String resolved = "True ResolvedRefs";
    String pending = "Unknown Pending";
    return Stream.of(
        row("all good", w -> {}, ok, resolved),
        row("the holder is the Route itself", w -> w.holder = w.claim(w.route), ok, resolved),
        row("no claim at all", w -> w.holder = Optional.empty(), ok, resolved),
        row(
            "an older Route holds the host name",
            World::olderRouteHoldsTheHost,
            "False HostnameConflict",
            resolved),
        row("Tunnel missing", w -> w.tunnel = null, pending, "False TunnelNotFound"),
        row("Edge missing", w -> w.edge = null, pending, "False EdgeNotFound"),
        row(
            "a conflict is reported even while the Tunnel is missing",
            w -> {
              w.olderRouteHoldsTheHost();
              w.tunnel = null;
            },
            "False HostnameConflict",
            "False TunnelNotFound"),
        row(
            "the Edge admits only its own namespace",
            World::tunnelInInfra,
            "False NotAllowedByEdge",
            resolved),
        row(
            "the Edge admits Routes from all namespaces",
            w -> {
              w.tunnelInInfra();
              w.edge.getSpec().setAllowedRoutes(from(NamespacesFrom.All, null));
            },
            ok,
            resolved),
        row(
            "the Edge selects the Route's namespace by label",
            w -> {
              w.tunnelInInfra();
              NamespaceSelector selector = new NamespaceSelector();
              selector.setMatchLabels(Map.of("expose", "true"));
              w.edge.getSpec().setAllowedRoutes(from(NamespacesFrom.Selector, selector));
              w.labels = Map.of("expose", "true");
            },
            ok,
            resolved),
        row(
            "the host name is outside the Edge's suffixes",
            w -> w.suffixes("*.example.org"),
            "False HostnameNotAllowed",
            resolved),
        row(
            "the host name is under one of the Edge's suffixes",
            w -> w.suffixes("*.example.org", "*.example.com"),
            ok,
            resolved),
        row(
            "guestRef to a missing Guest",
            w -> {
              w.backendIsGuest();
              w.guest = null;
            },
            ok,
            "False GuestNotFound"),
        row(
            "Guest without a status",
            w -> {
              w.backendIsGuest();
              w.guest.setStatus(null);
            },
            ok,
            "False BackendNotReady"),
        row(
            "Guest without addresses",
            w -> {
              w.backendIsGuest();
              w.guest.getStatus().setAddresses(List.of());
            },
            ok,
            "False BackendNotReady"),
        row("Guest with an address", World::backendIsGuest, ok, resolved),
        row(
            "basic-auth Secret missing",
            w -> {
              w.basicAuth("app-auth");
              w.secrets.remove("app-auth");
            },
            ok,
            "False SecretNotFound"),
        row(
            "basic-auth Secret without its password",
            w -> {
              w.basicAuth("app-auth");
              w.secrets.put("app-auth", Set.of("username"));
            },
            ok,
            "False SecretKeyMissing"),
        row("basic-auth Secret complete", w -> w.basicAuth("app-auth"), ok, resolved),
        row(
            "the Tunnel is reported before the Guest",
            w -> {
              w.backendIsGuest();
              w.guest = null;
              w.tunnel = null;
            },
            pending,
            "False TunnelNotFound"),
        row(
            "the Guest is reported before the Secrets",
            w -> {
              w.backendIsGuest();
              w.guest = null;
              w.basicAuth("app-auth");
              w.secrets.remove("app-auth");
            },
            ok,
            "False GuestNotFound"));
  }

  @Test
  void aConflictNamesTheHostNameAndTheRouteHoldingIt() {
    World world = new World();
    world.olderRouteHoldsTheHost();

    Verdict accepted = accepted(world);

    assertThat(accepted.message()).contains(HOST).contains("apps/older");
  }

  @Test
  void aMissingTunnelIsNamedInBothConditions() {
    World world = new World();
    world.tunnel = null;

    assertThat(accepted(world).message()).contains("apps/home");
    assertThat(resolvedRefs(world).message()).contains("Tunnel apps/home");
  }

  @Test
  void aMissingEdgeIsNamedWithItsTunnel() {
    World world = new World();
    world.edge = null;

    assertThat(resolvedRefs(world).message()).contains("Edge apps/vps").contains("apps/home");
  }

  @Test
  void aCrossNamespaceTunnelIsLookedForInItsOwnNamespace() {
    World world = new World();
    world.tunnelInInfra();

    assertThat(RouteDecision.tunnelKey(world.route)).isEqualTo("infra/home");

    world.tunnel = null;
    assertThat(resolvedRefs(world).message()).contains("infra/home").doesNotContain("apps/home");
  }

  @Test
  void aTunnelRefWithoutNamespaceMeansTheRoutesNamespace() {
    assertThat(RouteDecision.tunnelKey(new World().route)).isEqualTo("apps/home");
  }

  @Test
  void theMissingEdgeOfACrossNamespaceTunnelIsNamedInTheTunnelsNamespace() {
    World world = new World();
    world.tunnelInInfra();
    world.edge = null;

    assertThat(resolvedRefs(world).message()).contains("Edge infra/vps").contains("infra/home");
  }

  @Test
  void aRefusingEdgeNamesItselfAndTheRoutesNamespace() {
    World world = new World();
    world.tunnelInInfra();

    Verdict accepted = accepted(world);

    assertThat(accepted.reason()).isEqualTo(Admission.NOT_ALLOWED_BY_EDGE);
    assertThat(accepted.message()).contains("infra/vps").contains("apps");
  }

  @Test
  void aHostNameOutsideTheSuffixesIsNamed() {
    World world = new World();
    world.suffixes("*.example.org");

    assertThat(accepted(world).message()).contains(HOST).contains("*.example.org");
  }

  @Test
  void aMissingOrUnreadyGuestIsNamed() {
    World world = new World();
    world.backendIsGuest();
    world.guest.getStatus().setAddresses(null);

    assertThat(resolvedRefs(world).message()).contains("Guest apps/web");

    world.guest = null;
    assertThat(resolvedRefs(world).message()).contains("Guest apps/web");
  }

  @Test
  void aMissingSecretIsNamedWithTheFieldThatNamesIt() {
    World world = new World();
    world.basicAuth("app-auth");
    world.secrets.remove("app-auth");

    assertThat(resolvedRefs(world).message())
        .contains("apps/app-auth")
        .contains("spec.access.basicAuthSecretRef");
  }

  @Test
  void aMissingKeyIsNamedAndThePresentOnesAreNot() {
    World world = new World();
    world.basicAuth("app-auth");
    world.secrets.put("app-auth", Set.of("username"));

    Verdict resolved = resolvedRefs(world);

    assertThat(resolved.message()).contains("apps/app-auth").contains("password");
    assertThat(resolved.message()).doesNotContain("username");
  }

  private static Verdict accepted(World world) {
    return RouteDecision.decide(world.inputs()).get(0);
  }

  private static Verdict resolvedRefs(World world) {
    return RouteDecision.decide(world.inputs()).get(1);
  }

  private static Arguments row(
      String name, Consumer<World> change, String accepted, String resolvedRefs) {
    return Arguments.of(Named.of(name, change), accepted, resolvedRefs);
  }

  private static AllowedRoutes from(NamespacesFrom from, NamespaceSelector selector) {
    RouteNamespaces namespaces = new RouteNamespaces();
    namespaces.setFrom(from);
    namespaces.setSelector(selector);
    AllowedRoutes allowed = new AllowedRoutes();
    allowed.setNamespaces(namespaces);
    return allowed;
  }

  /**
   * What the reconciler would find, all good to begin with: Route apps/app (address backend, no
   * Secrets) on Tunnel apps/home, whose Edge apps/vps admits its own namespace and any host name.
   */
  static final class World {
    Route route = route();
    Optional<HostnameClaim> holder;
    Tunnel tunnel = tunnel("apps");
    Edge edge = edge("apps", from(NamespacesFrom.Same, null));
    Map<String, String> labels = Map.of();
    Guest guest;
    Map<String, Set<String>> secrets = new HashMap<>();

    World() {
      holder = claim(route);
    }

    RouteDecision.Inputs inputs() {
      return new RouteDecision.Inputs(
          route,
          holder,
          tunnel,
          edge,
          labels,
          guest,
          name -> Optional.ofNullable(secrets.get(name)));
    }

    Optional<HostnameClaim> claim(Route r) {
      return Optional.of(
          new HostnameClaim(r.getMetadata().getNamespace(), r.getMetadata().getName(), CREATED));
    }

    void olderRouteHoldsTheHost() {
      holder = Optional.of(new HostnameClaim("apps", "older", CREATED.minusSeconds(60)));
    }

    /** The Route names Tunnel infra/home, whose Edge infra/vps keeps the default policy. */
    void tunnelInInfra() {
      route.getSpec().getTunnelRef().setNamespace("infra");
      tunnel = tunnel("infra");
      edge = edge("infra", null);
    }

    /** The backend is Guest apps/web, which has an address. */
    void backendIsGuest() {
      Backend backend = new Backend();
      backend.setGuestRef(new LocalObjectRef("web"));
      backend.setPort(8080);
      route.getSpec().setBackend(backend);
      guest = new Guest();
      guest.setMetadata(new ObjectMetaBuilder().withNamespace("apps").withName("web").build());
      guest.setSpec(new GuestSpec());
      GuestStatus status = new GuestStatus();
      status.setAddresses(List.of("192.168.1.50"));
      guest.setStatus(status);
    }

    /** The Edge serves only these host-name suffixes. */
    void suffixes(String... suffixes) {
      edge.getSpec().getAllowedRoutes().setHostnames(List.of(suffixes));
    }

    /** Basic auth from a complete Secret. */
    void basicAuth(String secret) {
      RouteAccess access = new RouteAccess();
      access.setBasicAuthSecretRef(new SecretRef(secret));
      route.getSpec().setAccess(access);
      secrets.put(secret, Set.of("username", "password"));
    }

    private static Route route() {
      Route route = new Route();
      route.setMetadata(
          new ObjectMetaBuilder()
              .withNamespace("apps")
              .withName("app")
              .withCreationTimestamp(CREATED.toString())
              .build());
      RouteSpec spec = new RouteSpec();
      spec.setHostname(HOST);
      TunnelRef tunnelRef = new TunnelRef();
      tunnelRef.setName("home");
      spec.setTunnelRef(tunnelRef);
      Backend backend = new Backend();
      backend.setAddress("10.0.0.5:8080");
      spec.setBackend(backend);
      route.setSpec(spec);
      return route;
    }

    private static Tunnel tunnel(String namespace) {
      Tunnel tunnel = new Tunnel();
      tunnel.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName("home").build());
      TunnelSpec spec = new TunnelSpec();
      spec.setEdgeRef(new LocalObjectRef("vps"));
      tunnel.setSpec(spec);
      return tunnel;
    }

    private static Edge edge(String namespace, AllowedRoutes allowed) {
      Edge edge = new Edge();
      edge.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName("vps").build());
      EdgeSpec spec = new EdgeSpec();
      spec.setAllowedRoutes(allowed);
      edge.setSpec(spec);
      return edge;
    }
  }

  @org.junit.jupiter.api.Test
  void edgeReadyFollowsWhatTheEdgeReportsItServes() {
    io.homelab.operator.api.route.Route route = new io.homelab.operator.api.route.Route();
    route.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("app")
            .withNamespace("web")
            .build());
    io.homelab.operator.api.route.RouteSpec spec = new io.homelab.operator.api.route.RouteSpec();
    spec.setHostname("app.example.com");
    route.setSpec(spec);
    io.homelab.operator.api.edge.Edge edge = new io.homelab.operator.api.edge.Edge();
    edge.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("vps")
            .withNamespace("web")
            .build());

    org.assertj.core.api.Assertions.assertThat(RouteDecision.edgeReady(route, edge).status().name())
        .isEqualTo("Unknown");

    io.homelab.operator.api.edge.EdgeStatus status = new io.homelab.operator.api.edge.EdgeStatus();
    io.homelab.operator.api.Condition caddy = new io.homelab.operator.api.Condition();
    caddy.setType("CaddyReady");
    caddy.setStatus("False");
    caddy.setReason("ListenerConflict");
    caddy.setMessage("Caddy server 'site' already listens on :443");
    status.setConditions(java.util.List.of(caddy));
    edge.setStatus(status);
    Verdict refused = RouteDecision.edgeReady(route, edge);
    org.assertj.core.api.Assertions.assertThat(refused.reason()).isEqualTo("ListenerConflict");
    org.assertj.core.api.Assertions.assertThat(refused.message())
        .contains("web/vps")
        .contains("ListenerConflict");

    // Served before, but Caddy cannot confirm it now: still False.
    status.setServedHostnames(java.util.List.of("app.example.com"));
    org.assertj.core.api.Assertions.assertThat(RouteDecision.edgeReady(route, edge).reason())
        .isEqualTo("ListenerConflict");
    caddy.setStatus("True");
    caddy.setReason("Configured");
    org.assertj.core.api.Assertions.assertThat(RouteDecision.edgeReady(route, edge).holds())
        .isTrue();
  }
}
