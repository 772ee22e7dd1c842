package io.homelab.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homelab.operator.api.SecretKeyRef;
import io.homelab.operator.api.edge.CaddyIssuer;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeCaddy;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.observability.PromQlNames;
import io.homelab.operator.sandbox.HttpFaults;
import io.homelab.operator.sandbox.caddy.CaddyAdminSimulator;
import io.homelab.operator.sandbox.cloudflare.CloudflareSimulator;
import io.homelab.operator.sandbox.edge.SimulatedEdge;
import io.homelab.operator.sandbox.npm.NpmSimulator;
import io.homelab.operator.sandbox.proxmox.ProxmoxSimulator;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.testing.CloudflarePort;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What the operator tells about itself, after each kind is created, changed, failed and deleted
 * against the simulators: {@code /q/metrics} exports every metric the dashboards and alerts query
 * (and never an object name in the external-call labels), every JSON log line about an object
 * carries its kind, namespace and name, every external change and every new failure reason is an
 * Event (a steady failure only once), and {@code /q/health} has the Kubernetes API as readiness and
 * the Edge's SSH and the Proxmox endpoint as wellness checks.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(ObservabilityProfile.class)
class ObservabilityTest {

  private static final String NAMESPACE = "obs";
  private static final String NPM_IDENTITY = "admin@example.com";
  private static final String NPM_SECRET = "observability-password";
  private static final String PVE_TOKEN = "homelab@pve!operator";
  private static final String PVE_SECRET = "observability-token-secret";
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final Path CHART_FILES = Path.of("helm", "homelab-operator", "files");

  /**
   * Metrics the route probe exports ({@code homelab_route_probe_up} and {@code
   * homelab_route_probe_duration_seconds}, per Route). The dashboards and alerts query them; this
   * test expects them in the scrape like every other queried metric, so it fails until the probe
   * exports them.
   */
  static final Set<String> ROUTE_PROBE_METRICS =
      Set.of("homelab_route_probe_up", "homelab_route_probe_duration_seconds");

  private static final List<AutoCloseable> started = new ArrayList<>();
  private static SimulatedEdge edge;

  @Inject KubernetesClient client;

  @ConfigProperty(name = "homelab.cloudflare.api-url")
  URI cloudflareUrl;

  @TestHTTPResource("/q/metrics")
  URL metrics;

  @TestHTTPResource("/q/health/ready")
  URL ready;

  @TestHTTPResource("/q/health/well")
  URL well;

  @AfterAll
  static void stop() {
    CloudflarePort.stopSimulator();
    if (edge != null) {
      started.add(edge);
    }
    started.forEach(ObservabilityTest::closeQuietly);
    started.clear();
  }

  @Test
  void eachKindCreatedChangedFailedAndDeletedIsMeasuredLoggedAndRecorded() throws IOException {
    java.time.Instant testStart = java.time.Instant.now();
    edge = SimulatedEdge.start(Files.createTempDirectory("observability-edge"));
    NpmSimulator npm = track(new NpmSimulator(Clock.systemUTC()));
    npm.addUser(NPM_IDENTITY, NPM_SECRET, false);
    ProxmoxSimulator pve =
        track(ProxmoxSimulator.start(PVE_TOKEN, PVE_SECRET, Duration.ofMillis(50), "pve1"));
    pve.cluster().addTemplate("pve1", 9000, "qemu", "debian-12-cloud");
    CaddyAdminSimulator caddy = track(new CaddyAdminSimulator());
    CloudflareSimulator cloudflare = CloudflarePort.simulator(cloudflareUrl);
    cloudflare.addZone("obs.test");
    cloudflare.addToken("token-obs");

    Homelab lab = new Homelab(client, NAMESPACE).npmAt(npm.apiUrl());
    lab.secret("vps-ssh", Map.of("id_ed25519", edge.clientKey()));
    lab.secret("npm-login", Map.of("identity", NPM_IDENTITY, "secret", NPM_SECRET));
    lab.secret("cloudflare", Map.of("apiToken", "token-obs"));
    lab.create(pve.connectionSecret(NAMESPACE, "proxmox"));

    // Create each kind.
    lab.edge(
        e -> {
          e.getMetadata().setName("vps");
          // Loopback: the route probe dials it.
          e.getSpec().getPublicAddress().setIpv4("127.0.0.1");
          e.getSpec().getSsh().setHost(SimulatedEdge.HOST);
          e.getSpec().getSsh().setPort(edge.port());
          e.getSpec().getSsh().setHostKey(edge.hostKey());
          e.getSpec().getWireguard().setInterfaceName("wgobs");
          e.getSpec().getWireguard().setNetwork("10.91.0.0/24");
          EdgeCaddy spec = new EdgeCaddy();
          spec.setIssuer(CaddyIssuer.Internal);
          spec.setAdminAddress(caddy.adminAddress());
          spec.setListen(List.of(SimulatedEdge.HOST + ":" + freePort()));
          e.getSpec().setCaddy(spec);
          e.getSpec().getDns().setZone("obs.test");
          e.getSpec().getDns().setApiTokenSecretRef(new SecretKeyRef("cloudflare", "apiToken"));
          e.getSpec().getAllowedRoutes().setHostnames(List.of("obs.test"));
        });
    lab.tunnel(
        "home",
        t -> {
          t.getSpec().getEdgeRef().setName("vps");
          t.getSpec().setAllowedIPs(List.of("10.92.0.0/24"));
        });
    lab.guest(
        g -> {
          g.getMetadata().setName("app");
          g.getSpec().getProxmox().getConnectionSecretRef().setName("proxmox");
          g.getSpec().setDisks(null);
          g.getSpec().getNetwork().getIpv4().setAddress("10.92.0.20/24");
          g.getSpec().getNetwork().getIpv4().setGateway("10.92.0.1");
        });
    lab.route("app", "app.obs.test", r -> r.getSpec().getTunnelRef().setName("home"));
    awaitReady(lab, Edge.class, "vps");
    awaitReady(lab, Tunnel.class, "home");
    awaitReady(lab, Guest.class, "app");
    awaitReady(lab, Route.class, "app");

    String wellness = read(well);
    assertThat(wellness)
        .as("wellness checks")
        .contains("\"ssh obs/vps\"")
        .contains("\"proxmox " + pve.url());
    assertThat(wellness).as("wellness checks").doesNotContain(PVE_SECRET);
    String readiness = read(ready);
    assertThat(readiness)
        .as("readiness")
        .contains("\"Kubernetes API\"", "\"Quarkus Operator SDK health check\"")
        .doesNotContain("\"DOWN\"");

    // Change each kind.
    lab.edit(Route.class, "app", r -> r.getSpec().setWebsockets(true));
    lab.edit(Guest.class, "app", g -> g.getSpec().setCores(g.getSpec().getCores() + 1));
    lab.edit(Tunnel.class, "home", t -> t.getSpec().setPersistentKeepalive(30));
    lab.edit(Edge.class, "vps", e -> e.getSpec().getWireguard().setMtu(1380));
    await("the Route's proxy host updated")
        .atMost(DEADLINE)
        .until(() -> hasEvent(lab, "Route", "app", "ProxyHostUpdated"));

    // A failure: NPM answers 503 while the Route changes again, for several polls.
    HttpFaults.Active fault = npm.server().faults().inject(HttpFaults.Kind.UNAVAILABLE);
    lab.edit(Route.class, "app", r -> r.getSpec().setBlockExploits(false));
    awaitCondition(lab, Route.class, "app", "False", "NpmUnavailable");
    long failingPolls = fault.hits();
    await("several attempts against the failing NPM")
        .atMost(DEADLINE)
        .until(() -> fault.hits() >= failingPolls + 2);
    fault.clear();
    awaitReady(lab, Route.class, "app");
    String scrapeWhileObjectsExist = read(metrics);

    // Delete each kind, outside in.
    for (var kind : List.of(Route.class, Tunnel.class, Guest.class, Edge.class)) {
      lab.delete(kind, kind == Tunnel.class ? "home" : kind == Edge.class ? "vps" : "app");
    }
    for (var kind : List.of(Route.class, Tunnel.class, Guest.class, Edge.class)) {
      String name = kind == Tunnel.class ? "home" : kind == Edge.class ? "vps" : "app";
      await(kind.getSimpleName() + " " + name + " gone")
          .atMost(DEADLINE)
          .until(() -> lab.get(kind, name) == null);
    }

    // Events: every external change, every failure reason, a steady failure once.
    assertThat(lab.events("Route", "app"))
        .as("events of Route app")
        .anyMatch(e -> e.startsWith("Normal ProxyHostCreated: "))
        .anyMatch(e -> e.startsWith("Normal ProxyHostUpdated: "))
        .anyMatch(e -> e.startsWith("Normal ProxyHostDeleted: "))
        .anyMatch(e -> e.startsWith("Normal Ready: "));
    assertThat(
            lab.events("Route", "app").stream()
                .filter(e -> e.contains(" NpmUnavailable: ") && e.contains("503")))
        .as("events of NPM's 503 on Route app, over %d failing attempts", failingPolls + 2)
        .hasSize(1)
        .allMatch(e -> e.startsWith("Warning "));
    assertThat(lab.events("Edge", "vps"))
        .as("events of Edge vps")
        .anyMatch(e -> e.startsWith("Normal WireGuardApplied: "))
        .anyMatch(e -> e.startsWith("Normal CaddyServerCreated: "))
        .anyMatch(e -> e.startsWith("Normal CaddyRoutesWritten: "))
        .anyMatch(e -> e.startsWith("Normal DnsRecordsChanged: "))
        .anyMatch(e -> e.startsWith("Normal CleanedUp: "));
    assertThat(lab.events("Guest", "app"))
        .as("events of Guest app")
        .anyMatch(e -> e.startsWith("Normal Provisioning: "))
        .anyMatch(e -> e.startsWith("Normal CleanedUp: "));
    assertThat(lab.events("Tunnel", "home"))
        .as("events of Tunnel home")
        .anyMatch(e -> e.startsWith("Normal CleanedUp: "));

    // Metrics: every metric the dashboards and alerts query is in a real scrape.
    String scrape = read(metrics);
    // Kept beside the JSON log, to look at when this fails.
    Path kept = Path.of(ObservabilityProfile.LOG_FILE);
    Files.writeString(kept.resolveSibling("scrape-before-deletion.txt"), scrapeWhileObjectsExist);
    Files.writeString(kept.resolveSibling("scrape.txt"), scrape);
    Set<String> exported = new TreeSet<>(PromQlNames.exported(scrapeWhileObjectsExist));
    exported.addAll(PromQlNames.exported(scrape));
    Set<String> queried = new TreeSet<>();
    queried.addAll(dashboardQueries());
    queried.addAll(alertQueries());
    Set<String> names = new TreeSet<>();
    queried.forEach(q -> names.addAll(PromQlNames.metrics(q)));
    assertThat(names)
        .as("metrics the dashboards and alerts query")
        .contains("homelab_object_ready", "homelab_external_calls_seconds_bucket")
        .containsAll(ROUTE_PROBE_METRICS);
    Set<String> ours = new TreeSet<>(names);
    ours.removeAll(ROUTE_PROBE_METRICS);
    assertThat(exported)
        .as("metrics in /q/metrics before and after the deletions")
        .containsAll(ours);
    // External calls per system, never per object.
    List<String> calls =
        scrape
            .lines()
            .filter(l -> l.startsWith("homelab_external_calls_seconds_count{"))
            .map(l -> l.substring(l.indexOf('{')))
            .toList();
    assertThat(calls)
        .as("external calls in the scrape")
        .anyMatch(l -> l.contains("system=\"proxmox\""))
        .anyMatch(l -> l.contains("system=\"npm\""))
        .anyMatch(l -> l.contains("system=\"cloudflare\""))
        .anyMatch(l -> l.contains("system=\"caddy\""))
        .anyMatch(l -> l.contains("system=\"ssh\""))
        .anyMatch(l -> l.contains("outcome=\"server_error\""))
        // The namespace and zone (obs), the Edge (vps), the Tunnel (home), the host name (app.).
        .noneMatch(
            l ->
                l.contains("obs") || l.contains("vps") || l.contains("home") || l.contains("app."));
    // Gauges of deleted objects are gone.
    assertThat(scrape.lines().filter(l -> l.startsWith("homelab_object_ready{")))
        .as("readiness series after every object was deleted")
        .noneMatch(l -> l.contains("namespace=\"obs\""));

    // JSON log lines: every line about one of the objects carries its kind, namespace and name.
    // The log file outlives a run: only this run's lines count.
    List<JsonNode> lines =
        jsonLines().stream()
            .filter(l -> !java.time.Instant.parse(l.path("timestamp").asText()).isBefore(testStart))
            .toList();
    List<String> objects = List.of("obs/vps", "obs/home", "obs/app");
    List<JsonNode> aboutObjects =
        lines.stream()
            .filter(l -> objects.stream().anyMatch(o -> l.path("message").asText().contains(o)))
            .toList();
    assertThat(aboutObjects).as("JSON log lines about the objects").hasSizeGreaterThan(10);
    assertThat(aboutObjects)
        .as("JSON log lines about the objects")
        .allSatisfy(
            l -> {
              JsonNode mdc = l.path("mdc");
              assertThat(mdc.path("resource.namespace").asText())
                  .as("namespace of %s", l)
                  .isEqualTo(NAMESPACE);
              assertThat(mdc.path("resource.kind").asText())
                  .as("kind of %s", l)
                  .isIn("Edge", "Tunnel", "Route", "Guest", "Secret");
              assertThat(mdc.path("resource.name").asText()).as("name of %s", l).isNotEmpty();
            });
    assertThat(lines)
        .as("JSON log lines of external changes")
        .anyMatch(
            l ->
                l.path("message").asText().startsWith("NPM: created proxy host")
                    && l.path("mdc").path("resource.kind").asText().equals("Route")
                    && l.path("mdc").path("resource.name").asText().equals("app"));

    // Last, so that everything above is checked whatever the route probe's state: the probe's
    // metrics, which the Routes dashboard and the probe alert query, are exported too.
    assertThat(exported)
        .as("the route probe's metrics in /q/metrics (queried by the dashboards and alerts)")
        .containsAll(ROUTE_PROBE_METRICS);
  }

  private static void awaitReady(
      Homelab lab,
      Class<
              ? extends
                  io.fabric8.kubernetes.client.CustomResource<
                      ?, ? extends io.homelab.operator.api.HomelabStatus>>
          type,
      String name) {
    awaitCondition(lab, type, name, "True", null);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void awaitCondition(
      Homelab lab, Class type, String name, String status, String reason) {
    await(
            type.getSimpleName()
                + " "
                + name
                + " Ready="
                + status
                + (reason == null ? "" : "/" + reason))
        .atMost(DEADLINE)
        .until(
            () -> {
              var object =
                  (io.fabric8.kubernetes.client.CustomResource<
                          ?, ? extends io.homelab.operator.api.HomelabStatus>)
                      lab.get(type, name);
              return object != null
                  && Homelab.condition(object, ConditionType.READY)
                      .filter(c -> c.getStatus().equals(status))
                      .filter(c -> reason == null || reason.equals(c.getReason()))
                      .isPresent();
            });
  }

  private static boolean hasEvent(Homelab lab, String kind, String name, String reason) {
    return lab.events(kind, name).stream().anyMatch(e -> e.contains(" " + reason + ": "));
  }

  private static List<String> dashboardQueries() throws IOException {
    List<String> queries = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.list(CHART_FILES.resolve("dashboards"))) {
      List<Path> dashboards = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
      assertThat(dashboards).as("dashboards in %s", CHART_FILES).hasSizeGreaterThanOrEqualTo(5);
      for (Path file : dashboards) {
        json.readTree(file.toFile()).findValues("expr").forEach(e -> queries.add(e.asText()));
      }
    }
    return queries;
  }

  private static List<String> alertQueries() throws IOException {
    JsonNode rules =
        new ObjectMapper(new YAMLFactory()).readTree(CHART_FILES.resolve("alerts.yaml").toFile());
    List<String> queries = new ArrayList<>();
    rules
        .path("groups")
        .forEach(g -> g.path("rules").forEach(r -> queries.add(r.path("expr").asText())));
    assertThat(queries).as("alert expressions").isNotEmpty();
    return queries;
  }

  private static List<JsonNode> jsonLines() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(ObservabilityProfile.LOG_FILE))) {
      if (!line.isBlank()) {
        lines.add(json.readTree(line));
      }
    }
    return lines;
  }

  private static String read(URL url) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) url.openConnection();
    int status = connection.getResponseCode();
    try (InputStream in =
        status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      // stopping the rest anyway
    }
  }

  private static <T extends AutoCloseable> T track(T resource) {
    started.add(resource);
    return resource;
  }
}
