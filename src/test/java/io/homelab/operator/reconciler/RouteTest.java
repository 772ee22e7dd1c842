package io.homelab.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homelab.operator.api.SecretRef;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.route.RouteAccess;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.driver.caddy.TlsProbe;
import io.homelab.operator.model.OwnerMarker;
import io.homelab.operator.sandbox.SimulatorServer;
import io.homelab.operator.sandbox.cloudflare.CloudflareSimulator;
import io.homelab.operator.sandbox.lab.LanHttpServer;
import io.homelab.operator.sandbox.lab.NetnsLab;
import io.homelab.operator.sandbox.npm.NpmSimulator;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.testing.CloudflarePort;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routes end to end on the real programs of the lab (sshd, WireGuard and Caddy at the edge, home
 * behind the tunnel) with the NPM and Cloudflare simulators: what each hop holds, what a change
 * writes, and in which order a Route comes down. The operator reaches Caddy only through sshd; the
 * tests look at Caddy's admin API from inside the edge and count its writes in its log.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class RouteTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String IDENTITY = "admin@example.com";
  private static final String PASSWORD = "npm-password-for-route-tests";
  private static final String TOKEN = "cloudflare-token-for-route-tests";

  private static NetnsLab net;
  private static NpmSimulator npm;
  private static CloudflareSimulator cloudflare;
  private static String zone;
  private static int nextEdge;

  @Inject KubernetesClient client;

  @ConfigProperty(name = "homelab.cloudflare.api-url")
  URI cloudflareUrl;

  @ConfigProperty(name = "homelab.owner-id")
  String ownerId;

  private final List<String> namespaces = new ArrayList<>();

  /** Another installation's objects a test put beside its own; checked after the deletion. */
  private LookAlikes lookAlikes;

  @BeforeAll
  static void startLab() {
    npm = new NpmSimulator(Clock.systemUTC());
    npm.addUser(IDENTITY, PASSWORD, false);
    net = NetnsLab.start();
  }

  @BeforeEach
  void startCloudflare() {
    if (cloudflare == null) {
      cloudflare = CloudflarePort.simulator(cloudflareUrl);
      cloudflare.addToken(TOKEN);
      zone = cloudflare.addZone("example.com");
    }
  }

  @AfterAll
  static void stopLab() {
    CloudflarePort.stopSimulator();
    cloudflare = null;
    if (net != null) {
      net.close();
    }
    if (npm != null) {
      npm.close();
    }
  }

  /**
   * Everything a test made goes at once while the lab still runs, as {@code kubectl delete -f} of a
   * folder would: the Edge keeps taking its Routes' records and Caddy routes away while it waits
   * for its Tunnels, which wait for their Routes. Nothing of theirs stays in the zone or in NPM.
   */
  @AfterEach
  void deleteWhatTheTestMade() {
    cloudflare.server().failNext(0, 503);
    npm.server().failNext(0, 503);
    List<Class<? extends io.fabric8.kubernetes.api.model.HasMetadata>> kinds =
        List.of(Route.class, Tunnel.class, Edge.class);
    for (String namespace : namespaces) {
      kinds.forEach(kind -> client.resources(kind).inNamespace(namespace).delete());
    }
    for (String namespace : namespaces) {
      for (var kind : kinds) {
        await(kind.getSimpleName() + "s of " + namespace + " gone")
            .atMost(DEADLINE)
            .until(() -> client.resources(kind).inNamespace(namespace).list().getItems().isEmpty());
      }
      String marker = "homelab-operator:" + ownerId + "/Route/" + namespace + "/";
      assertThat(cloudflare.records(zone))
          .as("records of " + namespace + "'s Routes")
          .noneMatch(r -> r.path("comment").asText().startsWith(marker));
      assertThat(npm.hosts(NpmSimulator.HostKind.PROXY).values())
          .as("proxy hosts of " + namespace + "'s Routes")
          .noneMatch(h -> h.path("meta").path("homelab_owner").asText().startsWith(marker));
    }
    namespaces.clear();
    if (lookAlikes != null) {
      try {
        lookAlikes.assertUntouched("after the deletion");
      } finally {
        lookAlikes.remove();
        lookAlikes = null;
      }
    }
  }

  @Test
  void aRouteReachesHomeThroughDnsCaddyAndNpmAndOneChangedFieldWritesOnce() {
    Homelab lab = homelab("rt-path");
    lookAlikes = LookAlikes.plant("rt-path.example.com", lab.namespace);
    lab.route("app", "rt-path.example.com", r -> {});
    lab.awaitCondition(Route.class, "app", ConditionType.READY, "True", "Ready");

    Route route = lab.get(Route.class, "app");
    String marker = marker(lab, "app").text();
    ObjectNode host = proxyHost("rt-path.example.com");
    assertThat(host.path("forward_host").asText()).isEqualTo("192.168.1.20");
    assertThat(host.path("forward_port").asInt()).isEqualTo(5000);
    assertThat(host.path("trust_forwarded_proto").asBoolean()).isTrue();
    assertThat(host.path("ssl_forced").asBoolean()).isFalse();
    assertThat(host.path("meta").path("homelab_owner").asText()).isEqualTo(marker);
    assertThat(host.path("meta").path("nginx_online").asBoolean())
        .as("NPM's own keys kept in meta beside the marker")
        .isTrue();
    assertThat(route.getStatus().getProxyHostId()).isEqualTo(host.path("id").asLong());

    List<ObjectNode> records = records("rt-path.example.com");
    assertThat(records).hasSize(1);
    assertThat(records.get(0).path("type").asText()).isEqualTo("A");
    assertThat(records.get(0).path("content").asText()).isEqualTo(net.edgePublicAddress);
    assertThat(records.get(0).path("comment").asText()).isEqualTo(marker);
    assertThat(route.getStatus().getDnsRecordIds())
        .containsExactly(records.get(0).path("id").asText());

    assertThat(route.getStatus().getCaddyRouteId()).isEqualTo(marker(lab, "app").compactId());
    assertThat(net.caddyConfig("apps/http/servers/homelab/routes"))
        .contains("\"@id\":\"" + route.getStatus().getCaddyRouteId() + "\"");
    assertThat(route.getStatus().getUrl()).isEqualTo("https://rt-path.example.com");
    assertThat(served("rt-path.example.com", ""))
        .as("through Caddy, the tunnel and home to the upstream")
        .startsWith("HTTP/1.1 200")
        .contains(LanHttpServer.BODY);
    for (String hop :
        List.of(
            ConditionType.ACCEPTED,
            ConditionType.RESOLVED_REFS,
            ConditionType.DNS_READY,
            ConditionType.EDGE_READY,
            ConditionType.PROXY_HOST_READY)) {
      assertThat(Homelab.condition(route, hop).orElseThrow().getStatus()).as(hop).isEqualTo("True");
    }

    // A new backend port concerns NPM alone: one write there, none at Caddy or Cloudflare.
    long npmWrites = npm.server().writes();
    long cloudflareWrites = cloudflare.server().writes();
    long caddyWrites = caddyWrites();
    lab.edit(Route.class, "app", r -> r.getSpec().getBackend().setAddress("192.168.1.20:5001"));
    await("the proxy host forwards to the new port")
        .atMost(DEADLINE)
        .until(() -> proxyHost("rt-path.example.com").path("forward_port").asInt() == 5001);
    lab.awaitCondition(Route.class, "app", ConditionType.READY, "True", "Ready");
    // A few polls of every system go by (they poll every 2 s in tests): still nothing more.
    await().pollDelay(Duration.ofSeconds(5)).until(() -> true);
    assertThat(npm.server().writes() - npmWrites).as("NPM writes").isEqualTo(1);
    assertThat(cloudflare.server().writes() - cloudflareWrites).as("Cloudflare writes").isZero();
    assertThat(caddyWrites() - caddyWrites).as("Caddy admin writes").isZero();
    lookAlikes.assertUntouched("after the create and the change");
  }

  @Test
  void whileNpmIsDownARouteIsNeitherServedNorPublishedAndFollowsWhenItIsBack() {
    Homelab lab = homelab("rt-npm-down");
    npm.server().failNext(100_000, 503);
    lab.route("app", "rt-npm-down.example.com", r -> {});
    var down =
        lab.awaitCondition(
            Route.class, "app", ConditionType.PROXY_HOST_READY, "False", "NpmUnavailable");
    assertThat(down.getMessage()).contains("503");
    lab.awaitCondition(Route.class, "app", ConditionType.READY, "False", "NpmUnavailable");
    // Inside-out: no Caddy route and no record for a name whose proxy host does not exist yet.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                !net.caddyConfig("apps/http/servers/homelab/routes").contains("rt-npm-down")
                    && records("rt-npm-down.example.com").isEmpty());

    npm.server().failNext(0, 503);
    lab.awaitCondition(Route.class, "app", ConditionType.READY, "True", "Ready");
    assertThat(proxyHosts("rt-npm-down.example.com")).hasSize(1);
    assertThat(records("rt-npm-down.example.com")).hasSize(1);
  }

  @Test
  void deletingARouteTakesDnsDownFirstThenTheCaddyRouteThenTheProxyHost() {
    Homelab lab = homelab("rt-delete");
    lab.route("app", "rt-delete.example.com", r -> {});
    lab.awaitCondition(Route.class, "app", ConditionType.READY, "True", "Ready");
    String caddyId = lab.get(Route.class, "app").getStatus().getCaddyRouteId();

    // While Cloudflare fails, nothing else may go: the record would point at a dead end.
    cloudflare.server().failNext(100_000, 503);
    lab.delete(Route.class, "app");
    var waiting =
        lab.awaitCondition(
            Route.class, "app", ConditionType.READY, "False", "WaitingForDependents");
    assertThat(waiting.getMessage()).contains("its DNS records first, then its Caddy route");
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                records("rt-delete.example.com").size() == 1
                    && caddyServes(caddyId)
                    && !proxyHosts("rt-delete.example.com").isEmpty());

    // Cloudflare back, NPM failing: DNS goes, then the Caddy route; the proxy host stays.
    npm.server().failNext(100_000, 503);
    cloudflare.server().failNext(0, 503);
    await("the record gone")
        .atMost(DEADLINE)
        .until(() -> records("rt-delete.example.com").isEmpty());
    await("the Caddy route gone").atMost(DEADLINE).until(() -> !caddyServes(caddyId));
    assertThat(proxyHosts("rt-delete.example.com"))
        .as("the proxy host, while NPM fails")
        .isNotEmpty();
    assertThat(lab.get(Route.class, "app")).as("the Route, while NPM fails").isNotNull();

    npm.server().failNext(0, 503);
    lab.awaitGone(Route.class, "app");
    assertThat(proxyHosts("rt-delete.example.com")).isEmpty();
    assertThat(https("rt-delete.example.com", "")).doesNotContain(LanHttpServer.BODY);
  }

  @Test
  void aDisabledRouteIsTakenOffTheInternetAndItsProxyHostKeptDisabled() {
    Homelab lab = homelab("rt-disable");
    lab.route("app", "rt-disable.example.com", r -> {});
    lab.awaitCondition(Route.class, "app", ConditionType.READY, "True", "Ready");
    String caddyId = lab.get(Route.class, "app").getStatus().getCaddyRouteId();
    int hostId = proxyHost("rt-disable.example.com").path("id").asInt();

    lab.edit(Route.class, "app", r -> r.getSpec().setEnabled(false));
    lab.awaitCondition(Route.class, "app", ConditionType.PROXY_HOST_READY, "False", "Disabled");
    assertThat(records("rt-disable.example.com")).isEmpty();
    assertThat(caddyServes(caddyId)).isFalse();
    ObjectNode host = proxyHost("rt-disable.example.com");
    assertThat(host.path("id").asInt()).isEqualTo(hostId);
    assertThat(host.path("enabled").asBoolean()).isFalse();
    Route route = lab.get(Route.class, "app");
    assertThat(Homelab.condition(route, ConditionType.DNS_READY).orElseThrow().getReason())
        .isEqualTo("Disabled");
    assertThat(route.getStatus().getDnsRecordIds()).isNull();
    assertThat(route.getStatus().getCaddyRouteId()).isNull();

    lab.edit(Route.class, "app", r -> r.getSpec().setEnabled(true));
    lab.awaitCondition(Route.class, "app", ConditionType.READY, "True", "Ready");
    assertThat(proxyHost("rt-disable.example.com").path("id").asInt())
        .as("the same host, enabled again")
        .isEqualTo(hostId);
    assertThat(proxyHost("rt-disable.example.com").path("enabled").asBoolean()).isTrue();
    assertThat(records("rt-disable.example.com")).hasSize(1);
  }

  @Test
  void hostsAndRecordsOfOthersOnTheHostnameAreConflictsAndStayAsTheyAre() {
    int redirection =
        npm.seed(
            NpmSimulator.HostKind.REDIRECTION,
            "rt-redirect.example.com",
            SimulatorServer.JSON.createObjectNode().put("forward_domain_name", "elsewhere.test"));
    int proxy =
        npm.seed(
            NpmSimulator.HostKind.PROXY,
            "rt-proxy.example.com",
            SimulatorServer.JSON
                .createObjectNode()
                .put("forward_host", "192.168.1.99")
                .put("forward_port", 80));
    String record =
        cloudflare.seed(
            zone,
            SimulatorServer.JSON
                .createObjectNode()
                .put("type", "A")
                .put("name", "rt-dns.example.com")
                .put("content", "192.0.2.50"));
    ObjectNode redirectionBefore = npm.hosts(NpmSimulator.HostKind.REDIRECTION).get(redirection);
    ObjectNode proxyBefore = npm.hosts(NpmSimulator.HostKind.PROXY).get(proxy);
    List<ObjectNode> recordsBefore = records("rt-dns.example.com");

    Homelab lab = homelab("rt-conflict");
    lab.route("redirect", "rt-redirect.example.com", r -> {});
    lab.route("proxy", "rt-proxy.example.com", r -> {});
    lab.route("dns", "rt-dns.example.com", r -> {});

    var npmConflict =
        lab.awaitCondition(
            Route.class, "redirect", ConditionType.PROXY_HOST_READY, "False", "Conflict");
    assertThat(npmConflict.getMessage()).contains("redirection host " + redirection);
    lab.awaitCondition(Route.class, "proxy", ConditionType.PROXY_HOST_READY, "False", "Conflict");
    var dnsConflict =
        lab.awaitCondition(Route.class, "dns", ConditionType.DNS_READY, "False", "Conflict");
    assertThat(dnsConflict.getMessage()).contains("192.0.2.50");
    lab.awaitCondition(Route.class, "dns", ConditionType.EDGE_READY, "True", "Served");

    await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
    assertThat(npm.hosts(NpmSimulator.HostKind.REDIRECTION).get(redirection))
        .isEqualTo(redirectionBefore);
    assertThat(npm.hosts(NpmSimulator.HostKind.PROXY).get(proxy)).isEqualTo(proxyBefore);
    assertThat(proxyHosts("rt-proxy.example.com")).hasSize(1);
    assertThat(proxyHosts("rt-redirect.example.com")).isEmpty();
    assertThat(records("rt-dns.example.com")).isEqualTo(recordsBefore);
    assertThat(records("rt-redirect.example.com"))
        .as("no record for a name whose proxy host is not ours")
        .isEmpty();
    String caddy = net.caddyConfig("apps/http/servers/homelab/routes");
    assertThat(caddy).doesNotContain("rt-redirect").doesNotContain("rt-proxy");

    // Deleting the Routes leaves the others' objects as they were.
    lab.delete(Route.class, "redirect");
    lab.delete(Route.class, "proxy");
    lab.delete(Route.class, "dns");
    lab.awaitGone(Route.class, "dns");
    lab.awaitGone(Route.class, "proxy");
    lab.awaitGone(Route.class, "redirect");
    assertThat(npm.hosts(NpmSimulator.HostKind.PROXY).get(proxy)).isEqualTo(proxyBefore);
    assertThat(records("rt-dns.example.com")).isEqualTo(recordsBefore);
    assertThat(
            cloudflare.records(zone).stream().anyMatch(r -> r.path("id").asText().equals(record)))
        .isTrue();
  }

  @Test
  void fiftyRoutesAtOnceUnderASmallCloudflareBudgetAllBecomeReadyThroughBatches() {
    cloudflare.rateLimit(8, Duration.ofSeconds(10));
    try {
      Homelab lab = homelab("rt-fifty");
      long policyWritesBefore = caddyWrites("/config/apps/tls");
      long routeWritesBefore = caddyWrites("/config/apps/http/servers/homelab/routes");
      long singleCreatesBefore = singleRecordCreates();
      int batchesBefore = cloudflare.batches();
      IntStream.range(0, 50)
          .forEach(i -> lab.route("app" + i, "rt-fifty-" + i + ".example.com", r -> {}));
      for (int i = 0; i < 50; i++) {
        String name = "app" + i;
        await(name + " Ready")
            .atMost(Duration.ofSeconds(120))
            .until(
                () ->
                    Homelab.condition(lab.get(Route.class, name), ConditionType.READY)
                        .map(c -> c.getStatus().equals("True"))
                        .orElse(false));
      }
      for (int i = 0; i < 50; i++) {
        assertThat(records("rt-fifty-" + i + ".example.com")).as("records of app" + i).hasSize(1);
        assertThat(proxyHosts("rt-fifty-" + i + ".example.com")).hasSize(1);
      }
      // The TLS policy is written only to cover names before their routes come: never more often
      // than the routes, and never again once it holds them (Caddy refusing it once made the Edge
      // PATCH it on every pass).
      long policyWrites = caddyWrites("/config/apps/tls") - policyWritesBefore;
      long routeWrites =
          caddyWrites("/config/apps/http/servers/homelab/routes") - routeWritesBefore;
      System.out.printf(
          "50 Routes: %d Caddy route writes, %d TLS policy writes%n", routeWrites, policyWrites);
      assertThat(policyWrites).as("TLS policy writes").isBetween(1L, Math.max(1L, routeWrites));
      assertThat(singleRecordCreates() - singleCreatesBefore)
          .as("records created one request at a time")
          .isZero();
      System.out.printf(
          "50 Routes under 8 Cloudflare requests per 10 s: %d batch(es)%n",
          cloudflare.batches() - batchesBefore);
      assertThat(cloudflare.batches() - batchesBefore).isBetween(1, 25);

      // Steady state: every system is polled (every 2 s in tests), none is written, and the reads
      // are one list per system per poll, not one per Route.
      await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
      long npmReads = npm.server().reads();
      long npmWrites = npm.server().writes();
      long cloudflareReads = cloudflare.server().reads();
      long cloudflareWrites = cloudflare.server().writes();
      long caddyWrites = caddyWrites();
      Duration window = Duration.ofSeconds(8);
      await().pollDelay(window).until(() -> true);
      long polls = window.toSeconds() / 2;
      System.out.printf(
          "50 Routes at steady state over %d s (%d polls): NPM %d reads, %d writes; Cloudflare"
              + " %d reads, %d writes; Caddy %d writes%n",
          window.toSeconds(),
          polls,
          npm.server().reads() - npmReads,
          npm.server().writes() - npmWrites,
          cloudflare.server().reads() - cloudflareReads,
          cloudflare.server().writes() - cloudflareWrites,
          caddyWrites() - caddyWrites);
      assertThat(npm.server().writes() - npmWrites).as("NPM writes at steady state").isZero();
      assertThat(cloudflare.server().writes() - cloudflareWrites)
          .as("Cloudflare writes at steady state")
          .isZero();
      assertThat(caddyWrites() - caddyWrites).as("Caddy writes at steady state").isZero();
      // One inventory (proxy, redirection and dead hosts: three lists) per poll, one page of the
      // zone per poll; a poll more for timing. Per-Route polling would read 50 times as much.
      assertThat(npm.server().reads() - npmReads)
          .as("NPM reads in %d polls", polls)
          .isLessThanOrEqualTo(3 * (polls + 1));
      assertThat(cloudflare.server().reads() - cloudflareReads)
          .as("Cloudflare reads in %d polls", polls)
          .isLessThanOrEqualTo(polls + 1);
    } finally {
      cloudflare.rateLimit(1200, Duration.ofMinutes(5));
    }
  }

  @Test
  void theEdgeRefusesClientsOutsideTheAllowedNetworksAndAsksForBasicAuth() {
    Homelab lab = homelab("rt-access");
    lab.secret(
        "visitors", Map.of("username", "visitor", "password", "correct horse battery staple"));
    lab.route(
        "closed", "rt-closed.example.com", r -> r.getSpec().setAccess(cidrs("198.51.100.0/24")));
    // The test's client reaches the edge from the JVM's side of the lab's first link.
    lab.route("open", "rt-open.example.com", r -> r.getSpec().setAccess(cidrs(clientNetwork())));
    lab.route(
        "auth",
        "rt-auth.example.com",
        r -> {
          RouteAccess access = new RouteAccess();
          access.setBasicAuthSecretRef(new SecretRef("visitors"));
          r.getSpec().setAccess(access);
        });
    for (String name : List.of("closed", "open", "auth")) {
      lab.awaitCondition(Route.class, name, ConditionType.READY, "True", "Ready");
    }

    assertThat(served("rt-closed.example.com", "")).startsWith("HTTP/1.1 403");
    assertThat(served("rt-open.example.com", ""))
        .startsWith("HTTP/1.1 200")
        .contains(LanHttpServer.BODY);
    String anonymous = served("rt-auth.example.com", "");
    assertThat(anonymous)
        .startsWith("HTTP/1.1 401")
        .containsIgnoringCase("WWW-Authenticate: Basic");
    assertThat(https("rt-auth.example.com", basic("visitor", "wrong"))).startsWith("HTTP/1.1 401");
    assertThat(https("rt-auth.example.com", basic("visitor", "correct horse battery staple")))
        .startsWith("HTTP/1.1 200")
        .contains(LanHttpServer.BODY);
    assertThat(net.caddyConfig("apps/http/servers/homelab/routes"))
        .as("the password is in Caddy only as its hash")
        .doesNotContain("correct horse battery staple");
  }

  /**
   * Objects of another installation that look like this test's, in the real Caddy and WireGuard at
   * the edge. Its ownerId, {@code test-other}, begins with this installation's ({@code test}), so
   * its Caddy ids begin with this installation's prefix too. In Caddy: a server of its own with a
   * route for the same host name, a route for the same host name inside the operator's {@code
   * homelab} server, and a TLS policy shaped like the Edge's (Caddy refuses one host name in two
   * policies, so it names another). In WireGuard: an interface with a config file carrying the
   * operator's header and the other's owner line, and a peer marked for the other's Tunnel of the
   * same name with the same allowed IPs as this test's Tunnel.
   */
  private record LookAlikes(
      List<String> caddyIds, String iface, String file, String config, Map<String, String> before) {

    static final String OTHER = "test-other";

    static LookAlikes plant(String hostname, String namespace) {
      String routeId = new OwnerMarker(OTHER, "Route", namespace, "app").compactId();
      String innerId = new OwnerMarker(OTHER, "Route", namespace, "app2").compactId();
      String policyId =
          OwnerMarker.idPrefix(OTHER)
              + "tls-"
              + new OwnerMarker(OTHER, "Edge", namespace, "vps")
                  .compactId()
                  .substring(OwnerMarker.idPrefix(OTHER).length());
      String serverId = OwnerMarker.idPrefix(OTHER) + "server";
      caddyPost(
          "apps/http/servers/homelab-other",
          """
          {"@id": "%s", "listen": [":8444"], "routes": [{"@id": "%s",
            "match": [{"host": ["%s"]}],
            "handle": [{"handler": "static_response", "body": "theirs"}], "terminal": true}]}
          """
              .formatted(serverId, routeId, hostname));
      caddyPost(
          "apps/http/servers/homelab/routes",
          """
          {"@id": "%s", "match": [{"host": ["%s"]}],
           "handle": [{"handler": "static_response", "body": "theirs"}], "terminal": true}
          """
              .formatted(innerId, hostname));
      String policy =
          """
          {"@id": "%s", "subjects": ["other-%s"], "issuers": [{"module": "internal"}]}
          """
              .formatted(policyId, hostname);
      if (net.caddyConfig("apps/tls").contains("automation")) {
        caddyPost("apps/tls/automation/policies", policy);
      } else {
        caddyPost("apps/tls", "{\"automation\": {\"policies\": [" + policy + "]}}");
      }

      String iface = net.iface("wgother");
      String file = "/etc/wireguard/" + iface + ".conf";
      String key = net.edge("wg genkey").orFail("wg genkey").out().trim();
      String peer = net.edge("wg genkey | wg pubkey").orFail("wg pubkey").out().trim();
      String config =
          String.join(
              "\n",
              io.homelab.operator.driver.wireguard.InterfaceConfig.HEADER,
              "# Owner: " + new OwnerMarker(OTHER, "Edge", namespace, "vps").text(),
              "[Interface]",
              "Address = 10.230.0.1/24",
              "ListenPort = 51899",
              "PrivateKey = " + key,
              "",
              "# " + new OwnerMarker(OTHER, "Tunnel", namespace, "home").text(),
              "[Peer]",
              "PublicKey = " + peer,
              "AllowedIPs = 10.230.0.2/32, " + net.lanNetwork,
              "");
      try {
        Files.createDirectories(Path.of("/etc/wireguard"));
        Files.writeString(Path.of(file), config);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      net.edge(
              "wireguard-go "
                  + iface
                  + " </dev/null >/dev/null 2>&1 && wg setconf "
                  + iface
                  + " <(wg-quick strip "
                  + file
                  + ") && ip link set dev "
                  + iface
                  + " up")
          .orFail("the other's interface");
      List<String> ids = List.of(serverId, routeId, innerId, policyId);
      return new LookAlikes(ids, iface, file, config, observe(ids, iface, file));
    }

    /** What each look-alike is now: Caddy's JSON by {@code @id}, the file, the live peers. */
    static Map<String, String> observe(List<String> caddyIds, String iface, String file) {
      Map<String, String> seen = new java.util.TreeMap<>();
      for (String id : caddyIds) {
        seen.put(id, caddyId(id));
      }
      try {
        seen.put(file, Files.readString(Path.of(file)));
      } catch (IOException e) {
        seen.put(file, "unreadable: " + e);
      }
      seen.put(iface, net.edge("wg show " + iface + " dump").out());
      return seen;
    }

    void assertUntouched(String when) {
      Map<String, String> now = observe(caddyIds, iface, file);
      assertThat(before.get(file)).as("the other's interface file as planted").isEqualTo(config);
      assertThat(before.get(iface)).as("the other's live peer").contains("10.230.0.2/32");
      // Read right after planting: the Edge polls meanwhile, so a look-alike it took for its own
      // may be gone already.
      caddyIds.forEach(
          id ->
              assertThat(before.get(id))
                  .as("Caddy's " + id + " as planted")
                  .contains("\"@id\":\"" + id + "\""));
      assertThat(now).as("another installation's look-alikes " + when).isEqualTo(before);
    }

    void remove() {
      for (String id : caddyIds) {
        net.edge("curl -sS -X DELETE http://localhost:2019/id/" + id);
      }
      net.edge("ip link del dev " + iface + " 2>/dev/null; true");
      try {
        Files.deleteIfExists(Path.of(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static void caddyPost(String path, String json) {
      net.edge(
              "curl -sS -f -X POST -H 'Content-Type: application/json' --data-binary "
                  + io.homelab.operator.driver.ssh.Commands.quote(json)
                  + " http://localhost:2019/config/"
                  + path)
          .orFail("POST /config/" + path + " to the edge's Caddy");
    }

    private static String caddyId(String id) {
      return net.edge("curl -sS http://localhost:2019/id/" + id).out();
    }
  }

  // --- the homelab of one test --------------------------------------------------------------

  /**
   * An Edge at the lab's edge (its own interface, port and network) publishing into the zone, a
   * Tunnel whose NPM is the simulator and whose upstream is the lan's server, and home up.
   */
  private Homelab homelab(String namespace) {
    int n = nextEdge++;
    Homelab lab = new Homelab(client, namespace).npmAt(npm.apiUrl());
    namespaces.add(namespace);
    lab.secret("vps-ssh", Map.of("id_ed25519", net.clientKey()));
    lab.secret("npm-login", Map.of("identity", IDENTITY, "secret", PASSWORD));
    lab.secret("cloudflare", Map.of("apiToken", TOKEN));
    lab.edge(Homelab.atLab(net, net.iface("wgrt" + n), 51840 + n, "10.23" + n + ".0.0/24"));
    lab.tunnel(
        "home",
        t -> {
          t.getSpec().setAllowedIPs(List.of(net.lanNetwork));
          t.getSpec().getProxyManager().setUpstream(net.lanServer + ":" + NetnsLab.LAN_PORT);
        });
    lab.awaitCondition(Edge.class, "vps", ConditionType.READY, "True", "Ready");
    net.homeUp(lab.secretText("home-home", "wg0.conf"));
    lab.awaitCondition(Tunnel.class, "home", ConditionType.PEER_READY, "True", "HandshakeRecent");
    return lab;
  }

  private OwnerMarker marker(Homelab lab, String route) {
    return new OwnerMarker(ownerId, "Route", lab.namespace, route);
  }

  // --- looking at the systems ---------------------------------------------------------------

  private static List<ObjectNode> proxyHosts(String domain) {
    return npm.hosts(NpmSimulator.HostKind.PROXY).values().stream()
        .filter(h -> h.path("domain_names").toString().contains("\"" + domain + "\""))
        .toList();
  }

  private static ObjectNode proxyHost(String domain) {
    List<ObjectNode> hosts = proxyHosts(domain);
    assertThat(hosts).as("proxy hosts of " + domain).hasSize(1);
    return hosts.get(0);
  }

  private static List<ObjectNode> records(String name) {
    return cloudflare.records(zone).stream()
        .filter(r -> r.path("name").asText().equals(name))
        .toList();
  }

  /** Records created by the single-record endpoint, not the batch one. */
  private static long singleRecordCreates() {
    return cloudflare.server().requests().stream()
        .filter(r -> r.matches("POST /client/v4/zones/[^/]+/dns_records"))
        .count();
  }

  private static boolean caddyServes(String caddyId) {
    return net.caddyConfig("apps/http/servers/homelab/routes").contains("\"" + caddyId + "\"");
  }

  /** Requests to Caddy's admin API other than reads, from its log. */
  private static long caddyWrites() {
    return caddyWrites("/config/");
  }

  /** Requests to Caddy's admin API other than reads below {@code uri}, from its log. */
  private static long caddyWrites(String uri) {
    try {
      return Files.readAllLines(net.dir().resolve("caddy").resolve("caddy.log")).stream()
          .filter(
              l ->
                  l.contains("\"msg\":\"received request\"")
                      && !l.contains("\"method\":\"GET\"")
                      && l.contains("\"uri\":\"" + uri))
          .count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An HTTPS GET for a host name Caddy serves: Caddy's CA issues the certificate a moment after the
   * route arrives, so a failed handshake is tried again for a while.
   */
  private static String served(String hostname, String headers) {
    return await("a certificate for " + hostname)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> https(hostname, headers), r -> !r.startsWith("no answer"));
  }

  /** An HTTPS GET for the host name at the edge, Caddy's local CA trusted. */
  private static String https(String hostname, String headers) {
    try {
      return TlsProbe.get(
          net.dir().resolve("caddy/data/caddy/pki/authorities/local/root.crt"),
          hostname,
          net.sshHost,
          NetnsLab.CADDY_HTTPS_PORT,
          headers);
    } catch (Exception e) {
      return "no answer: " + e;
    }
  }

  private static String basic(String user, String password) {
    return "Authorization: Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))
        + "\r\n";
  }

  /** The /30 the JVM's side of the lab's first link is in. */
  private static String clientNetwork() {
    String[] octets = net.sshHost.split("\\.");
    int last = Integer.parseInt(octets[3]) & ~3;
    return octets[0] + "." + octets[1] + "." + octets[2] + "." + last + "/30";
  }

  private static RouteAccess cidrs(String cidr) {
    RouteAccess access = new RouteAccess();
    access.setAllowedCidrs(List.of(cidr));
    return access;
  }
}
