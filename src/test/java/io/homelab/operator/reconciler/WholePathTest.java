package io.homelab.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homelab.operator.api.LocalObjectRef;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.sandbox.cloudflare.CloudflareSimulator;
import io.homelab.operator.sandbox.lab.LanHttpServer;
import io.homelab.operator.sandbox.lab.NetnsLab;
import io.homelab.operator.sandbox.lab.Sh;
import io.homelab.operator.sandbox.npm.NginxDataPlane;
import io.homelab.operator.sandbox.npm.NpmSimulator;
import io.homelab.operator.sandbox.proxmox.ProxmoxSimulator;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.status.Reason;
import io.homelab.operator.testing.CloudflarePort;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path of one request, on real programs: a client in a namespace of its own asks for
 * {@code https://app.example.test} at the address its DNS record gives (the Cloudflare simulator);
 * Caddy on the edge (reached by the operator only through sshd) passes it through the WireGuard
 * tunnel to home, where nginx, configured by the NPM simulator the way NPM configures it, forwards
 * to the application, at the address the Proxmox simulator reports for the Guest. Then the tunnel
 * goes down and up, the Route goes, and everything else goes at once with its Secrets.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(ProbeProfile.class)
class WholePathTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String NAMESPACE = "whole-path";
  private static final String HOSTNAME = "app.example.test";
  private static final String PVE_TOKEN = "homelab@pve!operator";
  private static final String PVE_SECRET = "whole-path-token-secret";
  private static final String CLOUDFLARE_TOKEN = "whole-path-cloudflare-token";

  private static NetnsLab net;
  private static NpmSimulator npm;
  private static NginxDataPlane nginx;
  private static ProxmoxSimulator pve;

  @Inject KubernetesClient client;

  @ConfigProperty(name = "homelab.cloudflare.api-url")
  URI cloudflareUrl;

  @TestHTTPResource("/q/metrics")
  URI metrics;

  @BeforeAll
  static void start() {
    net = NetnsLab.start();
    pve = ProxmoxSimulator.start(PVE_TOKEN, PVE_SECRET, Duration.ofMillis(50), "pve1");
    pve.cluster().addTemplate("pve1", 9000, "qemu", "debian-12-cloud");
    npm = new NpmSimulator(Clock.systemUTC());
    npm.addUser("admin@example.com", "npm-password", false);
    // NPM's nginx at home, on every address of the home host, port 80.
    nginx =
        new NginxDataPlane(
            net.dir().resolve("npm-nginx"),
            "0.0.0.0:80",
            List.of("ip", "netns", "exec", net.homeNs));
    nginx.start();
    npm.dataPlane(nginx);
  }

  @AfterAll
  static void stop() throws IOException {
    Files.deleteIfExists(ProbeProfile.CA_FILE);
    CloudflarePort.stopSimulator();
    if (nginx != null) {
      nginx.stop();
    }
    if (npm != null) {
      npm.close();
    }
    if (pve != null) {
      pve.close();
    }
    if (net != null) {
      net.close();
    }
  }

  @Test
  void aRequestCrossesEveryHopAndNothingIsLeftWhenTheObjectsGo() {
    CloudflareSimulator cloudflare = CloudflarePort.simulator(cloudflareUrl);
    cloudflare.addToken(CLOUDFLARE_TOKEN);
    String zone = cloudflare.addZone("example.test");

    Homelab lab = new Homelab(client, NAMESPACE).npmAt(npm.apiUrl());
    lab.secret("vps-ssh", Map.of("id_ed25519", net.clientKey()));
    lab.secret("npm-login", Map.of("identity", "admin@example.com", "secret", "npm-password"));
    lab.secret("cloudflare", Map.of("apiToken", CLOUDFLARE_TOKEN));
    lab.create(pve.connectionSecret(NAMESPACE, "proxmox"));
    String iface = net.iface("wgpath");
    lab.edge(
        Homelab.atLab(net, iface, 51870, "10.241.0.0/24")
            .andThen(
                e -> {
                  e.getSpec().getDns().setZone("example.test");
                  e.getSpec().getAllowedRoutes().setHostnames(List.of("example.test"));
                }));
    // NPM listens on the home end of the tunnel (the default upstream: its address, port 80).
    lab.tunnel("home", t -> t.getSpec().getProxyManager().setUpstream(null));
    lab.guest(
        g -> {
          g.getSpec().setDisks(null);
          g.getSpec().getNetwork().getIpv4().setAddress(net.lanServer + "/24");
          g.getSpec().getNetwork().getIpv4().setGateway(net.lanNetwork.replace(".0/24", ".1"));
        });
    lab.route(
        "app",
        HOSTNAME,
        r -> {
          io.homelab.operator.api.route.Backend backend =
              new io.homelab.operator.api.route.Backend();
          backend.setGuestRef(new LocalObjectRef("app"));
          backend.setPort(NetnsLab.LAN_PORT);
          r.getSpec().setBackend(backend);
        });

    lab.awaitCondition(Edge.class, "vps", ConditionType.READY, "True", "Ready");
    net.homeUp(lab.secretText("home-home", "wg0.conf"));
    lab.awaitCondition(Tunnel.class, "home", ConditionType.READY, "True", "Ready");
    lab.awaitCondition(Guest.class, "app", ConditionType.READY, "True", "Ready");
    lab.awaitCondition(Route.class, "app", ConditionType.READY, "True", "Ready");

    // The client resolves the name by its record and asks over HTTPS.
    List<String> addresses =
        cloudflare.records(zone).stream()
            .filter(r -> r.path("name").asText().equals(HOSTNAME))
            .map(r -> r.path("type").asText() + " " + r.path("content").asText())
            .toList();
    assertThat(addresses).containsExactly("A " + net.edgePublicAddress);
    String answer = awaitAnswer(r -> r.contains(LanHttpServer.BODY));
    assertThat(answer).matches("(?s)HTTP/\\S+ 200.*").contains("Host: " + HOSTNAME);
    assertThat(line(answer, "X-Forwarded-For: "))
        .as("the application sees the client's address first")
        .startsWith(net.clientAddress);
    assertThat(line(answer, "Peer: "))
        .as("nginx at home made the last hop")
        .isEqualTo("10.212." + (100 + net.slot) + ".1");

    // Every hop, as the objects report it.
    Route route = lab.get(Route.class, "app");
    for (String hop :
        List.of(
            ConditionType.ACCEPTED,
            ConditionType.RESOLVED_REFS,
            ConditionType.DNS_READY,
            ConditionType.EDGE_READY,
            ConditionType.PROXY_HOST_READY)) {
      assertThat(Homelab.condition(route, hop).orElseThrow().getStatus()).as(hop).isEqualTo("True");
    }
    Tunnel tunnel = lab.get(Tunnel.class, "home");
    assertThat(Instant.parse(tunnel.getStatus().getLastHandshake()))
        .as("a recent handshake")
        .isAfter(Instant.now().minus(Duration.ofMinutes(3)));
    Guest guest = lab.get(Guest.class, "app");
    assertThat(guest.getStatus().getState()).isEqualTo("running");
    assertThat(guest.getStatus().getAddresses()).containsExactly(net.lanServer);

    // Home's WireGuard down: the same request fails; up again: it works again.
    net.homeDown();
    awaitAnswer(r -> !r.contains(LanHttpServer.BODY));
    net.homeUp(lab.secretText("home-home", "wg0.conf"));
    awaitAnswer(r -> r.contains(LanHttpServer.BODY));

    // The probe, as the internet asks: through Caddy (trusting its local CA), the tunnel and NPM.
    theProbeFollowsTheApplication(lab);

    // The Route goes: no answer from the application, no record, no server block at home.
    int proxyHost = route.getStatus().getProxyHostId().intValue();
    assertThat(nginxHostFiles()).isNotEmpty();
    lab.delete(Route.class, "app");
    lab.awaitGone(Route.class, "app");
    assertThat(ask().out()).doesNotContain(LanHttpServer.BODY);
    assertThat(cloudflare.records(zone)).isEmpty();
    assertThat(npm.hosts(NpmSimulator.HostKind.PROXY)).doesNotContainKey(proxyHost);
    assertThat(nginxHostFiles()).isEmpty();

    // Everything else at once, Secrets included, as `kubectl delete -f` of the folder does.
    int vmid = guest.getStatus().getVmid();
    for (Class<? extends HasMetadata> kind :
        List.of(Guest.class, Tunnel.class, Edge.class, Secret.class)) {
      client.resources(kind).inNamespace(NAMESPACE).delete();
    }
    for (Class<? extends HasMetadata> kind : List.of(Guest.class, Tunnel.class, Edge.class)) {
      await(kind.getSimpleName() + "s gone")
          .atMost(DEADLINE)
          .until(() -> client.resources(kind).inNamespace(NAMESPACE).list().getItems().isEmpty());
    }
    await("the Secrets gone once their users let go")
        .atMost(DEADLINE)
        .until(() -> client.secrets().inNamespace(NAMESPACE).list().getItems().isEmpty());
    assertThat(net.edge("wg show " + iface + " peers 2>/dev/null").out())
        .as("no peer on the edge")
        .isBlank();
    assertThat(net.caddyConfig("apps/http/servers")).doesNotContain("\"homelab\"");
    assertThat(npm.hosts(NpmSimulator.HostKind.PROXY)).isEmpty();
    assertThat(pve.cluster().guest(vmid))
        .as("the VM stays: the sample's deletionPolicy is Retain")
        .isPresent();
    assertThat(pve.cluster().guest(vmid).orElseThrow().config().get("description"))
        .as("released: no owner marker left")
        .doesNotContain("homelab-operator:");
  }

  /**
   * ProbeSucceeded and the gauges of a Ready Route; no status write while the result stays the
   * same; False with the reason when the application stops, Ready unchanged; gone, with the gauges,
   * when the Route turns its probe off.
   */
  private void theProbeFollowsTheApplication(Homelab lab) {
    try {
      Files.createDirectories(ProbeProfile.CA_FILE.getParent());
      Files.copy(
          net.dir().resolve("caddy/data/caddy/pki/authorities/local/root.crt"),
          ProbeProfile.CA_FILE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String url = "https://" + HOSTNAME + ":" + NetnsLab.CADDY_HTTPS_PORT + "/";
    var up =
        lab.awaitCondition(
            Route.class, "app", ConditionType.PROBE_SUCCEEDED, "True", Reason.ANSWERED);
    assertThat(up.getMessage())
        .isEqualTo(
            "GET "
                + url
                + " through "
                + net.edgePublicAddress
                + ":"
                + NetnsLab.CADDY_HTTPS_PORT
                + " answered 200 (expected 200-399)");
    assertThat(awaitGauge("homelab_route_probe_up", v -> v == 1.0)).isEqualTo(1.0);
    assertThat(gauge("homelab_route_probe_duration_seconds"))
        .hasValueSatisfying(seconds -> assertThat(seconds).isPositive().isLessThan(2.0));

    // Three more probes with the same result: no write, the transition time stays.
    Route steady = lab.get(Route.class, "app");
    await("the Route unchanged over three probe intervals")
        .during(ProbeProfile.INTERVAL.multipliedBy(3))
        .atMost(ProbeProfile.INTERVAL.multipliedBy(3).plusSeconds(2))
        .until(
            () -> lab.get(Route.class, "app").getMetadata().getResourceVersion(),
            v -> v.equals(steady.getMetadata().getResourceVersion()));

    net.stopLanServer();
    var down =
        lab.awaitCondition(
            Route.class, "app", ConditionType.PROBE_SUCCEEDED, "False", Reason.UNEXPECTED_STATUS);
    assertThat(down.getMessage()).contains("answered 502, expected 200-399");
    assertThat(awaitGauge("homelab_route_probe_up", v -> v == 0.0)).isEqualTo(0.0);
    Route failing = lab.get(Route.class, "app");
    assertThat(Homelab.condition(failing, ConditionType.READY).orElseThrow().getStatus())
        .as("the probe observes; Ready stays")
        .isEqualTo("True");
    assertThat(
            Homelab.condition(failing, ConditionType.READY).orElseThrow().getLastTransitionTime())
        .isEqualTo(
            Homelab.condition(steady, ConditionType.READY).orElseThrow().getLastTransitionTime());

    lab.edit(
        Route.class,
        "app",
        r -> {
          io.homelab.operator.api.route.RouteProbe probe =
              new io.homelab.operator.api.route.RouteProbe();
          probe.setEnabled(false);
          r.getSpec().setProbe(probe);
        });
    await("ProbeSucceeded removed")
        .atMost(DEADLINE)
        .until(
            () ->
                Homelab.condition(lab.get(Route.class, "app"), ConditionType.PROBE_SUCCEEDED)
                    .isEmpty());
    assertThat(gauge("homelab_route_probe_up")).as("gauges gone").isEmpty();
    assertThat(gauge("homelab_route_probe_duration_seconds")).isEmpty();
  }

  /** The value /q/metrics shows for this test's Route, once it satisfies {@code wanted}. */
  private double awaitGauge(String name, java.util.function.DoublePredicate wanted) {
    return await(name + " of the Route")
        .atMost(DEADLINE)
        .until(() -> gauge(name), v -> v.isPresent() && wanted.test(v.get()))
        .orElseThrow();
  }

  /** The Route's sample of a metric in the Prometheus text of /q/metrics. */
  private java.util.Optional<Double> gauge(String name) {
    String text;
    try {
      text =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(metrics).build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    String labels = "{namespace=\"" + NAMESPACE + "\",route=\"app\"}";
    return text.lines()
        .filter(l -> l.startsWith(name + labels + " "))
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst();
  }

  private static Sh.Result ask() {
    return net.clientHttps(
        HOSTNAME,
        net.edgePublicAddress,
        NetnsLab.CADDY_HTTPS_PORT,
        net.dir().resolve("caddy/data/caddy/pki/authorities/local/root.crt"));
  }

  private static String awaitAnswer(java.util.function.Predicate<String> wanted) {
    return await("an answer from " + HOSTNAME)
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              Sh.Result result = ask();
              return result.out() + result.err();
            },
            wanted);
  }

  private static String line(String answer, String prefix) {
    return answer
        .lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()).trim())
        .findFirst()
        .orElse("");
  }

  private static List<Path> nginxHostFiles() {
    try (Stream<Path> files = Files.walk(nginx.directory())) {
      return files.filter(f -> f.getFileName().toString().matches("\\d+\\.conf")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
