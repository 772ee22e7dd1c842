package io.homelab.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homelab.operator.api.Condition;
import io.homelab.operator.api.HomelabStatus;
import io.homelab.operator.api.LocalObjectRef;
import io.homelab.operator.api.SecretKeyRef;
import io.homelab.operator.api.SecretRef;
import io.homelab.operator.api.SshAccess;
import io.homelab.operator.api.edge.CaddyIssuer;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeCaddy;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.guest.PowerState;
import io.homelab.operator.api.route.Backend;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.route.RouteAccess;
import io.homelab.operator.api.route.TunnelRef;
import io.homelab.operator.api.tunnel.HomeMode;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.api.tunnel.TunnelHome;
import io.homelab.operator.model.OwnerMarker;
import io.homelab.operator.sandbox.SimulatorServer;
import io.homelab.operator.sandbox.caddy.CaddyAdminSimulator;
import io.homelab.operator.sandbox.cloudflare.CloudflareSimulator;
import io.homelab.operator.sandbox.edge.SimulatedEdge;
import io.homelab.operator.sandbox.lab.NetnsLab;
import io.homelab.operator.sandbox.npm.NpmSimulator;
import io.homelab.operator.sandbox.proxmox.ProxmoxSimulator;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.testing.CloudflarePort;
import io.homelab.operator.testing.Keys;
import io.homelab.operator.testing.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Semantic mistakes a person can make that the CRD schema cannot catch, as one table: each case
 * names the object it makes, the condition it must end in (type, status, reason and a part of the
 * message), and what must stay untouched in the external systems. All cases run at once in one
 * operator, next to a working homelab (an Edge on the simulated edge, a Tunnel, a Route to a Guest)
 * that must stay Ready throughout. The table is the one in SECURITY.md.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputTest {

  /** A node the Proxmox cluster gets only late in the bad-input run. */
  private static final String LATE_NODE = "pve9";

  private static final Duration DEADLINE = Duration.ofSeconds(45);
  static final String NAMESPACE = "bad-input";
  static final String OTHER = "bad-input-other";
  private static final String IDENTITY = "admin@example.com";
  private static final String PASSWORD = "bad-input-npm-password";
  private static final String TOKEN = "bad-input-cloudflare-token";
  private static final String OTHER_ZONE_TOKEN = "bad-input-token-of-another-zone";
  private static final String PVE_TOKEN = "homelab@pve!operator";
  private static final String PVE_SECRET = "bad-input-proxmox-secret";
  private static final int UNOWNED_VMID = 150;
  private static final String GOOD_LAN = "192.168.61.0/24";
  private static final int VPS_LISTEN = 19443;

  /**
   * The narrowest Proxmox rights SECURITY.md gives the operator's API token (privilege separation
   * on), by ACL path: every Guest here runs with exactly these.
   */
  static final Map<String, List<String>> PROXMOX_ROLE =
      Map.of(
          "/vms",
          List.of(
              "VM.Audit",
              "VM.Allocate",
              "VM.Clone",
              "VM.Config.CPU",
              "VM.Config.Memory",
              "VM.Config.Disk",
              "VM.Config.Network",
              "VM.Config.Options",
              "VM.Config.Cloudinit",
              "VM.PowerMgmt",
              "VM.GuestAgent.Audit"),
          "/storage",
          List.of("Datastore.AllocateSpace"));

  /** Every log line of the operator while the test runs, with stack traces. */
  private static final LogCapture LOGS = new LogCapture();

  private static SimulatedEdge edge;
  private static NpmSimulator npm;
  private static NpmSimulator npmTwoFactor;
  private static ProxmoxSimulator pve;
  private static ProxmoxSimulator pveElsewhere;
  private static ProxmoxSimulator pveNoClone;
  private static HttpServer notNpm;
  private static CloudflareSimulator cloudflare;
  private static final List<AutoCloseable> closing = new ArrayList<>();
  private static String zone;
  private static String prefix;

  @Inject KubernetesClient client;

  @ConfigProperty(name = "homelab.cloudflare.api-url")
  URI cloudflareUrl;

  @io.quarkus.test.common.http.TestHTTPResource("/q/metrics")
  java.net.URL metrics;

  @ConfigProperty(name = "homelab.owner-id")
  String ownerId;

  @ConfigProperty(name = "homelab.wireguard.config-dir")
  String configDir;

  private Homelab lab;
  private int subnets;
  private final LookAlikes lookAlikes = new LookAlikes();
  private final Map<String, CaddyAdminSimulator> caddies = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws IOException {
    java.util.logging.Logger.getLogger("").addHandler(LOGS);
    edge = SimulatedEdge.start(Files.createTempDirectory("bad-input-edge"));
    npm = new NpmSimulator(Clock.systemUTC());
    npm.addUser(IDENTITY, PASSWORD, false);
    npmTwoFactor = new NpmSimulator(Clock.systemUTC());
    npmTwoFactor.addUser(IDENTITY, PASSWORD, true);
    pve = ProxmoxSimulator.start(PVE_TOKEN, PVE_SECRET, Duration.ofMillis(50), "pve1");
    pve.cluster().addTemplate("pve1", 9000, "qemu", "debian-12-cloud");
    pve.cluster().addGuest("pve1", UNOWNED_VMID, "qemu", "someone-elses-vm", true);
    PROXMOX_ROLE.forEach((path, privileges) -> pve.grant(path, privileges.toArray(String[]::new)));
    pveElsewhere = ProxmoxSimulator.start(PVE_TOKEN, PVE_SECRET, Duration.ofMillis(50), "pve1");
    // The same role without VM.Clone.
    pveNoClone = ProxmoxSimulator.start(PVE_TOKEN, PVE_SECRET, Duration.ofMillis(50), "pve1");
    pveNoClone.cluster().addTemplate("pve1", 9000, "qemu", "debian-12-cloud");
    PROXMOX_ROLE.forEach(
        (path, privileges) ->
            pveNoClone.grant(
                path,
                privileges.stream().filter(p -> !p.equals("VM.Clone")).toArray(String[]::new)));
    // A web server that is not NPM: an HTML page for every path, as a router's UI would answer.
    notNpm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    notNpm.createContext(
        "/",
        x -> {
          byte[] page = "<html><body>It works!</body></html>".getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().add("Content-Type", "text/html");
          x.sendResponseHeaders(200, page.length);
          x.getResponseBody().write(page);
          x.close();
        });
    notNpm.start();
    prefix = freshPrefix(Path.of(NetnsLab.wireguardConfigDir()));
  }

  /**
   * Interface names and their config files are machine-wide and outlive a run that was stopped
   * before its cleanup: one prefix per run, which no file in the config directory carries yet.
   */
  private static String freshPrefix(Path dir) throws IOException {
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; attempt < 100; attempt++) {
      String candidate =
          "bi" + Integer.toString(36 * 36 * 36 + random.nextInt(35 * 36 * 36 * 36), 36);
      if (!Files.isDirectory(dir)) {
        return candidate;
      }
      try (var files = Files.list(dir)) {
        if (files.noneMatch(f -> f.getFileName().toString().startsWith(candidate))) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException("no free interface prefix in " + dir + ": clean it up");
  }

  @AfterAll
  static void stop() {
    java.util.logging.Logger.getLogger("").removeHandler(LOGS);
    CloudflarePort.stopSimulator();
    for (AutoCloseable c :
        List.<AutoCloseable>of(
            edge, npm, npmTwoFactor, pve, pveElsewhere, pveNoClone, () -> notNpm.stop(0))) {
      try {
        c.close();
      } catch (Exception e) {
        // closing anyway
      }
    }
    closing.forEach(
        c -> {
          try {
            c.close();
          } catch (Exception e) {
            // closing anyway
          }
        });
    // This run's interface configs (the look-alike, and the working Edge's, which is never
    // deleted) are not left for a later run.
    try (var files = Files.list(Path.of(NetnsLab.wireguardConfigDir()))) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // nothing to clean up
    }
  }

  /** One mistake: what is made, the condition it must produce, and what must stay untouched. */
  record Case(
      String name,
      Class<? extends CustomResource<?, ? extends HomelabStatus>> kind,
      String namespace,
      String object,
      String type,
      String status,
      String reason,
      String message,
      Runnable make,
      Supplier<List<String>> untouched) {}

  @Test
  @Order(1)
  void everyMistakeEndsInAClearConditionTouchesNothingAndLeavesTheRestWorking() {
    cloudflare = CloudflarePort.simulator(cloudflareUrl);
    cloudflare.addToken(TOKEN);
    zone = cloudflare.addZone("example.com");
    String otherZone = cloudflare.addZone("example.org");
    cloudflare.addZoneToken(OTHER_ZONE_TOKEN, otherZone);
    lab = new Homelab(client, NAMESPACE).npmAt(npm.apiUrl());
    Homelab other = new Homelab(client, OTHER).npmAt(npm.apiUrl());
    lookAlikes.seed();
    lab.secret("vps-ssh", Map.of("id_ed25519", edge.clientKey()));
    lab.secret("npm-login", Map.of("identity", IDENTITY, "secret", PASSWORD));
    lab.secret("cloudflare", Map.of("apiToken", TOKEN));
    lab.create(pve.connectionSecret(NAMESPACE, "proxmox"));

    // The working homelab next to every mistake.
    lab.edge(
        atEdge(
            "vps",
            e ->
                e.getSpec().getAllowedRoutes().setHostnames(List.of("example.com", "other.test"))));
    lab.tunnel(
        "home",
        t -> {
          t.getSpec().setAllowedIPs(List.of(GOOD_LAN));
          t.getSpec().getProxyManager().setUpstream("192.168.61.5:80");
        });
    lab.guest(
        g -> {
          g.getSpec().setDisks(null);
          // Proxmox's name "app" is held by another installation's look-alike (a case below).
          g.getSpec().setName("app-vm");
          g.getSpec().getNetwork().getIpv4().setAddress("192.168.61.10/24");
          g.getSpec().getNetwork().getIpv4().setGateway("192.168.61.1");
        });
    lab.route("app", "app.example.com", r -> backendGuest(r, "app"));

    awaitWorking();
    List<Case> cases = cases(other);
    cases.forEach(c -> c.make().run());

    List<String> rows = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Case c : cases) {
      Condition got = await(c);
      String row =
          "| "
              + c.name()
              + " | "
              + c.kind().getSimpleName()
              + " | `"
              + c.type()
              + "="
              + c.status()
              + "`, `"
              + c.reason()
              + "` |";
      rows.add(
          row
              + (got == null
                  ? " (none)"
                  : " " + got.getStatus() + "/" + got.getReason() + ": " + got.getMessage()));
      if (got == null
          || !got.getStatus().equals(c.status())
          || !got.getReason().equals(c.reason())
          || !got.getMessage().contains(c.message())) {
        failures.add(
            c.name()
                + ": expected "
                + c.type()
                + "="
                + c.status()
                + "/"
                + c.reason()
                + " with \""
                + c.message()
                + "\", got "
                + (got == null
                    ? "no such condition"
                    : got.getStatus() + "/" + got.getReason() + ": " + got.getMessage()));
      }
      for (String problem : c.untouched().get()) {
        failures.add(c.name() + ": " + problem);
      }
    }
    System.out.println("Bad input, as the operator explains it:\n" + String.join("\n", rows));
    assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
    assertThat(failures).as("cases that did not end as the table says").isEmpty();

    // The working homelab is still Ready, and still served.
    awaitWorking();
    assertThat(caddies.get("vps").config().toString()).contains("app.example.com");
    assertThat(cloudflare.records(zone))
        .anyMatch(r -> r.path("name").asText().equals("app.example.com"));
    assertThat(npm.hosts(NpmSimulator.HostKind.PROXY).values())
        .anyMatch(h -> h.path("domain_names").toString().contains("\"app.example.com\""));

    // The node the Guest names joins: the Guest goes on by itself, at the next poll.
    pve.cluster().addNode(LATE_NODE);
    org.awaitility.Awaitility.await("g-node past NodeNotFound")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                Homelab.condition(lab.get(Guest.class, "g-node"), ConditionType.GUEST_READY)
                    .map(c -> !c.getReason().equals("NodeNotFound"))
                    .orElse(false));
  }

  /**
   * After every kind was made, failed (the table), and now changed and deleted: no credential and
   * no private key appears in a log line, an event, a status or a metric, as text or in base64. Key
   * material the operator makes lives only in Secrets, and a Tunnel given a home public key gets no
   * home private key made for it.
   */
  @Test
  @Order(2)
  void noSecretValueReachesALogAnEventAStatusOrAMetric() throws Exception {
    // A Tunnel with the home's public key only: no private key is made for it.
    String homePublicKey = io.homelab.operator.model.WireGuardKeys.generate().publicKey();
    lab.tunnel(
        "t-pubkey",
        t -> {
          t.getSpec().setAllowedIPs(List.of("192.168.90.0/24"));
          TunnelHome home = new TunnelHome();
          home.setMode(HomeMode.Secret);
          home.setPublicKey(homePublicKey);
          t.getSpec().setHome(home);
        });
    assertThat(lab.secretText("t-pubkey-home", "wg0.conf"))
        .contains("PrivateKey = <your home private key>");
    assertThat(lab.get(io.fabric8.kubernetes.api.model.Secret.class, "t-pubkey-home").getData())
        .doesNotContainKey("privateKey");

    // A change of every working kind.
    lab.edit(Route.class, "app", r -> r.getSpec().getBackend().setPort(8081));
    lab.edit(Guest.class, "app", g -> g.getSpec().setCores(3));
    lab.edit(Tunnel.class, "home", t -> t.getSpec().setPersistentKeepalive(20));
    lab.edit(Edge.class, "vps", e -> e.getSpec().getWireguard().setMtu(1400));
    lab.awaitCondition(Route.class, "app", ConditionType.READY, "True", "Ready");

    // The secret values: planted, generated, and issued.
    List<String> secrets = new ArrayList<>();
    secrets.addAll(
        List.of(
            PASSWORD,
            TOKEN,
            OTHER_ZONE_TOKEN,
            PVE_SECRET,
            "a-revoked-secret",
            "not-the-password",
            "a-token-cloudflare-never-issued"));
    secrets.addAll(keyLines(edge.clientKey()));
    for (var secret : client.secrets().inNamespace(NAMESPACE).list().getItems()) {
      if (secret.getData() != null && secret.getData().containsKey("privateKey")) {
        secrets.add(
            new String(
                    java.util.Base64.getDecoder().decode(secret.getData().get("privateKey")),
                    StandardCharsets.UTF_8)
                .trim());
      }
    }
    assertThat(secrets.size()).as("WireGuard private keys made").isGreaterThan(8);
    secrets.addAll(npm.issuedTokens());
    assertThat(npm.issuedTokens()).as("NPM tokens issued").isNotEmpty();

    // What shows: statuses and events now, and after everything is deleted.
    StringBuilder shown = new StringBuilder();
    statusesAndEvents(shown);
    for (String namespace : List.of(OTHER, NAMESPACE)) {
      for (var kind : List.of(Route.class, Guest.class, Tunnel.class, Edge.class)) {
        client.resources(kind).inNamespace(namespace).delete();
      }
    }
    try {
      Awaitility.await("every object gone").atMost(DEADLINE).until(() -> remaining().isEmpty());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("not deleted: " + remaining(), e);
    }
    statusesAndEvents(shown);
    String metricsText;
    try (var in = metrics.openStream()) {
      metricsText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(metricsText).contains("homelab_");
    Map<String, String> places =
        Map.of("log", LOGS.text(), "status or event", shown.toString(), "metrics", metricsText);
    assertThat(LOGS.text()).as("the log was captured").contains("NPM");
    List<String> leaks = new ArrayList<>();
    for (String secret : secrets) {
      String base64 =
          java.util.Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
      places.forEach(
          (place, text) -> {
            if (text.contains(secret) || text.contains(base64)) {
              leaks.add(place + " holds " + secret.substring(0, Math.min(6, secret.length())));
            }
          });
    }
    assertThat(leaks).as("secret values where they do not belong").isEmpty();

    // The look-alikes of another installation went through all of it untouched.
    assertThat(lookAlikes.changed()).as("look-alike objects that changed").isEmpty();
  }

  /**
   * Objects of another installation (ownerId {@code other}) with the names of this test's own, in
   * every system: a Proxmox guest named app with the operator's tag and the other's marker, an NPM
   * proxy host and a DNS record with the other's marker for Route app, routes of the other's in
   * Caddy (in a server of its own and in the server the operator uses), and a WireGuard interface
   * file with the operator's header naming the other as owner. Nothing here may change them.
   */
  private final class LookAlikes {
    private final OwnerMarker guest = new OwnerMarker("other", "Guest", NAMESPACE, "app");
    private final OwnerMarker route = new OwnerMarker("other", "Route", NAMESPACE, "app");
    private final Map<String, Supplier<Object>> now = new LinkedHashMap<>();
    private final Map<String, Object> before = new LinkedHashMap<>();

    void seed() {
      var vm = pve.cluster().addGuest("pve1", 160, "qemu", "app", true);
      pve.cluster().setConfig(160, "tags", "homelab-operator");
      pve.cluster().setConfig(160, "description", guest.text());
      now.put(
          "Proxmox guest 160", () -> pve.cluster().guest(160).map(g -> g.config()).orElse(null));

      ObjectNode fields = SimulatorServer.JSON.createObjectNode();
      fields.put("forward_host", "192.168.61.77").put("forward_port", 80);
      fields.putObject("meta").put("homelab_owner", route.text());
      int host = npm.seed(NpmSimulator.HostKind.PROXY, "lookalike.example.com", fields);
      now.put("NPM proxy host " + host, () -> npm.hosts(NpmSimulator.HostKind.PROXY).get(host));

      ObjectNode record = SimulatorServer.JSON.createObjectNode();
      record.put("type", "A").put("name", "lookalike.example.com").put("content", "198.51.100.8");
      record.put("comment", route.text());
      String id = cloudflare.seed(zone, record);
      now.put("DNS record " + id, () -> record(id));

      CaddyAdminSimulator caddy = new CaddyAdminSimulator();
      closing.add(caddy);
      caddies.put("vps", caddy);
      ObjectNode theirs = SimulatorServer.JSON.createObjectNode();
      theirs.put("@id", OwnerMarker.idPrefix("other") + route.compactId().substring(14));
      theirs.putArray("match").addObject().putArray("host").add("lookalike.example.com");
      theirs.putArray("handle").addObject().put("handler", "static_response").put("body", "x");
      ObjectNode servers = SimulatorServer.JSON.createObjectNode();
      servers
          .putObject("other-site")
          .<ObjectNode>set("listen", SimulatorServer.JSON.createArrayNode().add(":8444"))
          .putArray("routes")
          .add(theirs.deepCopy());
      servers
          .putObject("homelab")
          .<ObjectNode>set(
              "listen", SimulatorServer.JSON.createArrayNode().add("127.0.0.1:" + VPS_LISTEN))
          .putArray("routes")
          .add(theirs.deepCopy());
      post(caddy, "/config/apps", "{\"http\":{\"servers\":" + servers + "}}");
      now.put(
          "Caddy server other-site",
          () -> caddy.config().path("apps").path("http").path("servers").path("other-site"));
      now.put(
          "the other's route in Caddy server homelab",
          () ->
              java.util.stream.StreamSupport.stream(
                      caddy
                          .config()
                          .path("apps")
                          .path("http")
                          .path("servers")
                          .path("homelab")
                          .path("routes")
                          .spliterator(),
                      false)
                  .filter(r -> r.path("@id").asText().equals(theirs.path("@id").asText()))
                  .toList());

      Path file = Path.of(configDir, iface("vps") + ".conf");
      String otherIface = "[Interface]\nListenPort = 51998\n";
      Path lookAlike = Path.of(configDir, iface("lookalike") + ".conf");
      write(
          lookAlike,
          io.homelab.operator.driver.wireguard.InterfaceConfig.HEADER
              + "\n# Owner: "
              + new OwnerMarker("other", "Edge", NAMESPACE, "vps").text()
              + "\n"
              + otherIface);
      now.put("WireGuard file " + lookAlike, () -> read(lookAlike));
      now.forEach((what, value) -> before.put(what, value.get()));
      assertThat(file).doesNotExist();
      assertThat(vm.vmid()).isEqualTo(160);
    }

    List<String> changed() {
      List<String> changed = new ArrayList<>();
      now.forEach(
          (what, value) -> {
            if (!java.util.Objects.equals(before.get(what), value.get())) {
              changed.add(what + ": " + before.get(what) + " -> " + value.get());
            }
          });
      return changed;
    }
  }

  private static void post(CaddyAdminSimulator caddy, String path, String body) {
    try {
      var reply =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          URI.create("http://" + caddy.adminAddress() + path))
                      .header("Content-Type", "application/json")
                      .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(reply.statusCode()).as("Caddy: POST %s: %s", path, reply.body()).isEqualTo(200);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "gone: " + e;
    }
  }

  /** Objects still there, with their Ready condition's message. */
  private List<String> remaining() {
    List<String> left = new ArrayList<>();
    for (String namespace : List.of(NAMESPACE, OTHER)) {
      for (var kind : List.of(Route.class, Guest.class, Tunnel.class, Edge.class)) {
        for (CustomResource<?, ? extends HomelabStatus> o :
            client.resources(kind).inNamespace(namespace).list().getItems()) {
          left.add(
              kind.getSimpleName()
                  + " "
                  + o.getMetadata().getName()
                  + ": "
                  + Homelab.condition(o, ConditionType.READY)
                      .map(Condition::getMessage)
                      .orElse(""));
        }
      }
    }
    return left;
  }

  /** The lines of a private key's body that are long enough to be distinctive. */
  private static List<String> keyLines(String pem) {
    return pem.lines().filter(l -> !l.startsWith("-----") && l.length() >= 20).toList();
  }

  private void statusesAndEvents(StringBuilder into) {
    for (String namespace : List.of(NAMESPACE, OTHER)) {
      for (var kind : List.of(Route.class, Guest.class, Tunnel.class, Edge.class)) {
        client
            .resources(kind)
            .inNamespace(namespace)
            .list()
            .getItems()
            .forEach(
                o ->
                    into.append(client.getKubernetesSerialization().asJson(o.getStatus()))
                        .append('\n'));
      }
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .list()
          .getItems()
          .forEach(e -> into.append(e.getReason()).append(' ').append(e.getMessage()).append('\n'));
    }
  }

  /** The working homelab is Ready: Edge, Tunnel, Guest and the Route to it. */
  private void awaitWorking() {
    lab.awaitCondition(Edge.class, "vps", ConditionType.READY, "True", "Ready");
    lab.awaitCondition(Tunnel.class, "home", ConditionType.READY, "True", "Ready");
    lab.awaitCondition(Guest.class, "app", ConditionType.READY, "True", "Ready");
    lab.awaitCondition(Route.class, "app", ConditionType.READY, "True", "Ready");
  }

  private List<Case> cases(Homelab other) {
    List<Case> cases = new ArrayList<>();
    String wrongHostKey = Keys.ed25519PublicKey();
    String unauthorizedKey = Keys.ed25519PrivateKey();

    // --- Edge: its Secrets, SSH, WireGuard, Caddy, the zone --------------------------------------
    cases.add(
        edgeCase(
            "Edge SSH key Secret missing",
            "e-ssh-secret",
            "ResolvedRefs",
            "False",
            "SecretNotFound",
            "absent-ssh",
            e -> e.getSpec().getSsh().setPrivateKeySecretRef(new SecretKeyRef("absent-ssh", "k"))));
    cases.add(
        edgeCase(
            "Edge SSH key Secret without the key",
            "e-ssh-key",
            "ResolvedRefs",
            "False",
            "SecretKeyMissing",
            "id_rsa",
            e ->
                e.getSpec()
                    .getSsh()
                    .setPrivateKeySecretRef(new SecretKeyRef("vps-ssh", "id_rsa"))));
    cases.add(
        edgeCase(
            "Edge SSH private key malformed",
            "e-ssh-bad",
            "Reachable",
            "False",
            "SshInvalidPrivateKey",
            "",
            e -> {
              lab.secret("ssh-garbage", Map.of("id_ed25519", "this is not a private key"));
              e.getSpec()
                  .getSsh()
                  .setPrivateKeySecretRef(new SecretKeyRef("ssh-garbage", "id_ed25519"));
            }));
    cases.add(
        edgeCase(
            "Edge SSH key not authorised on the VPS",
            "e-ssh-denied",
            "Reachable",
            "False",
            "SshAuthenticationFailed",
            "SSH login as",
            e -> {
              lab.secret("ssh-stranger", Map.of("id_ed25519", unauthorizedKey));
              e.getSpec()
                  .getSsh()
                  .setPrivateKeySecretRef(new SecretKeyRef("ssh-stranger", "id_ed25519"));
            }));
    cases.add(
        edgeCase(
            "Edge SSH host key does not match the pin",
            "e-hostkey",
            "Reachable",
            "False",
            "HostKeyMismatch",
            "not the pinned one: nothing was run there",
            e -> e.getSpec().getSsh().setHostKey(wrongHostKey)));
    cases.add(
        edgeCase(
            "Edge SSH host unreachable",
            "e-unreach",
            "Reachable",
            "False",
            "SshUnreachable",
            "127.0.0.1:9",
            e -> e.getSpec().getSsh().setPort(9)));
    cases.add(
        edgeCase(
            "Edge WireGuard key Secret missing",
            "e-wg-secret",
            "ResolvedRefs",
            "False",
            "SecretNotFound",
            "absent-wg",
            e ->
                e.getSpec()
                    .getWireguard()
                    .setPrivateKeySecretRef(new SecretKeyRef("absent-wg", "privateKey"))));
    cases.add(
        edgeCase(
            "Edge WireGuard private key malformed",
            "e-wg-bad",
            "ResolvedRefs",
            "False",
            "SecretValueInvalid",
            "WireGuard private key",
            e -> {
              lab.secret("wg-garbage", Map.of("privateKey", "not-a-wireguard-key"));
              e.getSpec()
                  .getWireguard()
                  .setPrivateKeySecretRef(new SecretKeyRef("wg-garbage", "privateKey"));
            }));
    cases.add(
        edgeCase(
            "Edge Cloudflare token Secret without the key",
            "e-cf-key",
            "ResolvedRefs",
            "False",
            "SecretKeyMissing",
            "token",
            e ->
                e.getSpec()
                    .getDns()
                    .setApiTokenSecretRef(new SecretKeyRef("cloudflare", "token"))));
    cases.add(
        edgeCase(
            "Edge Cloudflare token malformed",
            "e-cf-bad",
            "ResolvedRefs",
            "False",
            "SecretValueInvalid",
            "API token",
            e -> {
              lab.secret("cf-garbage", Map.of("apiToken", "two words\nand a line"));
              e.getSpec().getDns().setApiTokenSecretRef(new SecretKeyRef("cf-garbage", "apiToken"));
            }));
    cases.add(
        edgeCase(
            "Edge Cloudflare token unknown to Cloudflare",
            "e-cf-revoked",
            "DnsReady",
            "False",
            "CloudflareRejected",
            "",
            e -> {
              lab.secret("cf-unknown", Map.of("apiToken", "a-token-cloudflare-never-issued"));
              e.getSpec().getDns().setApiTokenSecretRef(new SecretKeyRef("cf-unknown", "apiToken"));
            }));
    cases.add(
        edgeCase(
            "Edge zone the token cannot see",
            "e-cf-scope",
            "DnsReady",
            "False",
            "ZoneNotFound",
            "example.com",
            e -> {
              lab.secret("cf-other-zone", Map.of("apiToken", OTHER_ZONE_TOKEN));
              e.getSpec()
                  .getDns()
                  .setApiTokenSecretRef(new SecretKeyRef("cf-other-zone", "apiToken"));
            }));
    cases.add(
        edgeCase(
            "Edge zone that does not exist",
            "e-cf-nozone",
            "DnsReady",
            "False",
            "ZoneNotFound",
            "nowhere.example",
            e -> e.getSpec().getDns().setZone("nowhere.example")));
    cases.add(
        foreignInterface(
            "Edge WireGuard interface file written by someone else", "e-wg-foreign", false));
    cases.add(
        foreignInterface(
            "Edge WireGuard interface file of another installation", "e-wg-other", true));
    cases.add(
        edgeCase(
            "Edge Caddy server that does not exist",
            "e-caddy-srv",
            "CaddyReady",
            "False",
            "ServerNotFound",
            "no-such-server",
            e -> e.getSpec().getCaddy().setServer("no-such-server")));
    cases.add(
        edgeCase(
            "Edge on the Caddy another Edge of this installation drives",
            "e-caddy-shared",
            "CaddyReady",
            "False",
            "CaddyShared",
            "is driven by Edge " + NAMESPACE + "/vps",
            e -> e.getSpec().getCaddy().setAdminAddress(caddies.get("vps").adminAddress())));
    cases.add(
        edgeCase(
            "Edge Caddy admin API not listening",
            "e-caddy-down",
            "CaddyReady",
            "False",
            "CaddyUnavailable",
            "",
            e -> e.getSpec().getCaddy().setAdminAddress("127.0.0.1:9")));

    // --- Tunnel: its Edge, Secrets, addresses and networks -----------------------------------
    cases.add(
        tunnelCase(
            "Tunnel naming an Edge that does not exist",
            "t-noedge",
            "ResolvedRefs",
            "False",
            "EdgeNotFound",
            "nowhere",
            t -> t.getSpec().setEdgeRef(new LocalObjectRef("nowhere"))));
    cases.add(
        tunnelCase(
            "Tunnel NPM credentials Secret missing",
            "t-npm-secret",
            "ResolvedRefs",
            "False",
            "SecretNotFound",
            "absent-npm",
            t ->
                t.getSpec()
                    .getProxyManager()
                    .setCredentialsSecretRef(new SecretRef("absent-npm"))));
    cases.add(
        tunnelCase(
            "Tunnel NPM credentials Secret without the password",
            "t-npm-key",
            "ResolvedRefs",
            "False",
            "SecretKeyMissing",
            "secret",
            t -> {
              lab.secret("npm-half", Map.of("identity", IDENTITY));
              t.getSpec().getProxyManager().setCredentialsSecretRef(new SecretRef("npm-half"));
            }));
    cases.add(
        tunnelCase(
            "Tunnel address outside the Edge's network",
            "t-outside",
            "Accepted",
            "False",
            "AddressOutsideNetwork",
            "10.99.0.7",
            t -> t.getSpec().setAddress("10.99.0.7")));
    cases.add(
        tunnelCase(
            "Tunnel address taken by another Tunnel",
            "t-taken",
            "Accepted",
            "False",
            "AddressTaken",
            "bad-input/home",
            t -> t.getSpec().setAddress("10.61.0.2")));
    cases.add(
        tunnelCase(
            "Tunnel address that is the Edge's own",
            "t-edge-addr",
            "Accepted",
            "False",
            "AddressTaken",
            "Edge",
            t -> t.getSpec().setAddress("10.61.0.1")));
    cases.add(
        tunnelCase(
            "Tunnel network overlapping another Tunnel's",
            "t-overlap",
            "Accepted",
            "False",
            "NetworkOverlap",
            GOOD_LAN,
            t -> t.getSpec().setAllowedIPs(List.of("192.168.61.128/25"))));
    cases.add(
        tunnelCase(
            "Tunnel network overlapping the Edge's tunnel network",
            "t-overlap-edge",
            "Accepted",
            "False",
            "NetworkOverlap",
            "10.61.0.0/24",
            t -> t.getSpec().setAllowedIPs(List.of("10.61.0.0/16"))));
    cases.add(
        tunnelCase(
            "Tunnel home host over SSH with a wrong host key",
            "t-home-key",
            "PeerReady",
            "False",
            "HostKeyMismatch",
            "not the pinned one",
            t -> {
              t.getSpec().setAllowedIPs(List.of("192.168.62.0/24"));
              TunnelHome home = new TunnelHome();
              home.setMode(HomeMode.SSH);
              SshAccess ssh = new SshAccess();
              ssh.setHost(SimulatedEdge.HOST);
              ssh.setPort(edge.port());
              ssh.setPrivateKeySecretRef(new SecretKeyRef("vps-ssh", "id_ed25519"));
              ssh.setHostKey(wrongHostKey);
              home.setSsh(ssh);
              t.getSpec().setHome(home);
            }));

    // --- Route: its references, the Edge's admission, names held elsewhere --------------------
    cases.add(
        routeCase(
            "Route naming a Tunnel that does not exist",
            "r-notunnel",
            "ResolvedRefs",
            "False",
            "TunnelNotFound",
            "nowhere",
            r -> r.getSpec().getTunnelRef().setName("nowhere")));
    cases.add(
        routeCase(
            "Route to a Guest that does not exist",
            "r-noguest",
            "ResolvedRefs",
            "False",
            "GuestNotFound",
            "nowhere",
            r -> backendGuest(r, "nowhere")));
    cases.add(
        routeCase(
            "Route to a Guest without an address",
            "r-noaddr",
            "ResolvedRefs",
            "False",
            "BackendNotReady",
            "stopped",
            r -> {
              lab.guest(
                  g -> {
                    g.getMetadata().setName("stopped");
                    g.getSpec().setDisks(null);
                    g.getSpec().setPowerState(PowerState.Stopped);
                  });
              backendGuest(r, "stopped");
            }));
    cases.add(
        routeCase(
            "Route hostname outside the Edge's suffixes",
            "r-suffix",
            "Accepted",
            "False",
            "HostnameNotAllowed",
            "app.example.net",
            r -> r.getSpec().setHostname("app.example.net")));
    cases.add(
        routeCase(
            "Route hostname held by an older Route",
            "r-taken",
            "Accepted",
            "False",
            "HostnameConflict",
            "bad-input/app",
            r -> r.getSpec().setHostname("app.example.com")));
    cases.add(
        new Case(
            "Route in a namespace the Edge does not allow",
            Route.class,
            OTHER,
            "r-foreign-ns",
            "Accepted",
            "False",
            "NotAllowedByEdge",
            OTHER,
            () ->
                other.route(
                    "r-foreign-ns",
                    "foreign.example.com",
                    r -> {
                      TunnelRef ref = new TunnelRef();
                      ref.setName("home");
                      ref.setNamespace(NAMESPACE);
                      r.getSpec().setTunnelRef(ref);
                    }),
            () -> nothingPublished("foreign.example.com")));
    cases.add(
        new Case(
            "Route naming a Tunnel of another namespace that does not exist",
            Route.class,
            OTHER,
            "r-foreign-tun",
            "ResolvedRefs",
            "False",
            "TunnelNotFound",
            NAMESPACE + "/nowhere",
            () ->
                other.route(
                    "r-foreign-tun",
                    "foreign2.example.com",
                    r -> {
                      TunnelRef ref = new TunnelRef();
                      ref.setName("nowhere");
                      ref.setNamespace(NAMESPACE);
                      r.getSpec().setTunnelRef(ref);
                    }),
            () -> nothingPublished("foreign2.example.com")));
    cases.add(
        routeCase(
            "Route basic-auth Secret missing",
            "r-auth-secret",
            "ResolvedRefs",
            "False",
            "SecretNotFound",
            "absent-auth",
            r -> basicAuth(r, "absent-auth")));
    cases.add(
        routeCase(
            "Route basic-auth Secret without the password",
            "r-auth-key",
            "ResolvedRefs",
            "False",
            "SecretKeyMissing",
            "password",
            r -> {
              lab.secret("auth-half", Map.of("username", "alice"));
              basicAuth(r, "auth-half");
            }));
    cases.add(
        routeCase(
            "Route basic-auth Secret that exists only in another namespace",
            "r-auth-ns",
            "ResolvedRefs",
            "False",
            "SecretNotFound",
            "elsewhere-auth",
            r -> {
              other.secret("elsewhere-auth", Map.of("username", "alice", "password", "p"));
              basicAuth(r, "elsewhere-auth");
            }));
    cases.add(npmHostInTheWay());
    cases.add(recordInTheWay());
    cases.add(
        routeCase(
            "Route hostname allowed by the Edge but outside its zone",
            "r-outzone",
            "DnsReady",
            "False",
            "OutsideZone",
            "example.com",
            r -> {},
            "r-outzone.other.test"));
    cases.add(
        npmCase(
            "Route through a Tunnel whose NPM URL is not NPM",
            "notnpm",
            URI.create("http://127.0.0.1:" + notNpm.getAddress().getPort() + "/api")));
    cases.add(
        npmCase(
            "Route through a Tunnel whose NPM account has 2FA",
            "twofactor",
            npmTwoFactor.apiUrl()));
    cases.add(
        npmCase(
            "Route through a Tunnel whose NPM is unreachable",
            "npmdown",
            URI.create("http://127.0.0.1:9/api")));
    cases.add(
        npmCase("Route through a Tunnel whose NPM password is wrong", "npmpass", npm.apiUrl()));

    // --- Guest: the connection Secret, TLS, the token, VMIDs -----------------------------------
    cases.add(
        guestCase(
            "Guest connection Secret missing",
            "g-secret",
            "ResolvedRefs",
            "False",
            "SecretNotFound",
            "absent-pve",
            g -> g.getSpec().getProxmox().setConnectionSecretRef(new SecretRef("absent-pve"))));
    cases.add(
        guestCase(
            "Guest connection Secret without the token secret",
            "g-key",
            "ResolvedRefs",
            "False",
            "SecretKeyMissing",
            "tokenSecret",
            g -> connection(g, "pve-half", Map.of("url", pve.url(), "tokenId", PVE_TOKEN))));
    cases.add(
        guestCase(
            "Guest Proxmox certificate does not match the pin",
            "g-pin",
            "GuestReady",
            "False",
            "CertificateNotTrusted",
            "not the pinned fingerprint",
            g ->
                connection(
                    g,
                    "pve-pin",
                    Map.of(
                        "url",
                        pveElsewhere.url(),
                        "tokenId",
                        PVE_TOKEN,
                        "tokenSecret",
                        PVE_SECRET,
                        "fingerprint",
                        pve.fingerprint()))));
    cases.add(
        guestCase(
            "Guest Proxmox certificate not signed by the CA bundle",
            "g-ca",
            "GuestReady",
            "False",
            "CertificateNotTrusted",
            "is not signed by a CA of the caBundle",
            g ->
                connection(
                    g,
                    "pve-ca",
                    Map.of(
                        "url",
                        pveElsewhere.url(),
                        "tokenId",
                        PVE_TOKEN,
                        "tokenSecret",
                        PVE_SECRET,
                        "caBundle",
                        pve.certificatePem()))));
    cases.add(
        guestCase(
            "Guest Proxmox token refused",
            "g-token",
            "GuestReady",
            "False",
            "ProxmoxRefused",
            "401",
            g ->
                connection(
                    g,
                    "pve-token",
                    Map.of(
                        "url",
                        pve.url(),
                        "tokenId",
                        PVE_TOKEN,
                        "tokenSecret",
                        "a-revoked-secret",
                        "fingerprint",
                        pve.fingerprint()))));
    cases.add(
        guestCase(
            "Guest connection URL malformed",
            "g-url",
            "GuestReady",
            "False",
            "InvalidConnection",
            "url",
            g ->
                connection(
                    g,
                    "pve-url",
                    Map.of(
                        "url",
                        "not a url",
                        "tokenId",
                        PVE_TOKEN,
                        "tokenSecret",
                        PVE_SECRET,
                        "fingerprint",
                        pve.fingerprint()))));
    cases.add(
        guestCase(
            "Guest connection fingerprint malformed",
            "g-fpr",
            "GuestReady",
            "False",
            "InvalidConnection",
            "fingerprint",
            g ->
                connection(
                    g,
                    "pve-fpr",
                    Map.of(
                        "url",
                        pve.url(),
                        "tokenId",
                        PVE_TOKEN,
                        "tokenSecret",
                        PVE_SECRET,
                        "fingerprint",
                        "AB:CD"))));
    cases.add(
        guestCase(
            "Guest VMID used by a guest the operator does not own",
            "g-vmid",
            "GuestReady",
            "False",
            "Conflict",
            String.valueOf(UNOWNED_VMID),
            g -> g.getSpec().setVmid(UNOWNED_VMID)));
    cases.add(
        guestCase(
            "Guest named as a guest of another installation",
            "g-name",
            "GuestReady",
            "False",
            "Conflict",
            "marked for homelab-operator:other/Guest/bad-input/app",
            g -> g.getSpec().setName("app")));
    cases.add(
        guestCase(
            "Guest whose API token lacks a privilege (VM.Clone)",
            "g-noclone",
            "GuestReady",
            "False",
            "ProxmoxRefused",
            "Permission check failed (/vms/9000, VM.Clone)",
            g -> {
              Map<String, String> data = new LinkedHashMap<>(pveNoClone.connectionSecretData());
              connection(g, "pve-noclone", data);
            }));
    cases.add(
        guestCase(
            "Guest cloned from a template that does not exist",
            "g-template",
            "GuestReady",
            "False",
            "ProxmoxRefused",
            "9999",
            g -> g.getSpec().getSource().getClone().setTemplateVmid(9999)));
    cases.add(
        guestCase(
            "Guest on a node the cluster does not have",
            "g-node",
            "GuestReady",
            "False",
            "NodeNotFound",
            "Proxmox VE has no node 'pve9' (its nodes: pve1): check spec.node",
            g -> g.getSpec().setNode(LATE_NODE)));
    return cases;
  }

  // --- Edge cases ------------------------------------------------------------------------------

  /** An Edge of its own on the simulated edge, changed; nothing of it on the VPS or in Caddy. */
  private Case edgeCase(
      String title,
      String name,
      String type,
      String status,
      String reason,
      String message,
      Consumer<Edge> change) {
    return new Case(
        title,
        Edge.class,
        NAMESPACE,
        name,
        type,
        status,
        reason,
        message,
        () -> lab.edge(atEdge(name, change)),
        () -> {
          List<String> problems = new ArrayList<>();
          // Caddy is programmed once the VPS is reachable, before DNS, whatever WireGuard says.
          boolean reachesCaddy = type.equals("DnsReady") || type.equals("WireGuardReady");
          if (!reachesCaddy && caddies.get(name).server().writes() > 0) {
            problems.add("Caddy was written to");
          }
          boolean reachesVps = !type.equals("ResolvedRefs") && !type.equals("Reachable");
          if (!reachesVps && Files.exists(Path.of(configDir, iface(name) + ".conf"))) {
            problems.add("an interface config was written on the VPS");
          }
          return problems;
        });
  }

  /** An interface file in the Edge's place that the operator did not write: left as it is. */
  private Case foreignInterface(String title, String name, boolean otherInstallation) {
    Path file = Path.of(configDir, iface(name) + ".conf");
    String foreign =
        (otherInstallation
                ? io.homelab.operator.driver.wireguard.InterfaceConfig.HEADER
                    + "\n# Owner: "
                    + new OwnerMarker("other", "Edge", NAMESPACE, name).text()
                    + "\n"
                : "")
            + "[Interface]\n# set up by hand\nListenPort = 51999\n";
    return new Case(
        title,
        Edge.class,
        NAMESPACE,
        name,
        "WireGuardReady",
        "False",
        "Conflict",
        "was not written by the operator",
        () -> {
          try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, foreign);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          lab.edge(atEdge(name, e -> {}));
        },
        () -> {
          try {
            return Files.readString(file).equals(foreign)
                ? List.of()
                : List.of("the interface file was changed");
          } catch (IOException e) {
            return List.of("the interface file is gone: " + e);
          }
        });
  }

  /** The sample Edge pointed at the simulated edge, with an interface and a Caddy of its own. */
  private Consumer<Edge> atEdge(String name, Consumer<Edge> change) {
    CaddyAdminSimulator caddy =
        caddies.computeIfAbsent(
            name,
            n -> {
              CaddyAdminSimulator made = new CaddyAdminSimulator();
              closing.add(made);
              return made;
            });
    return e -> {
      e.getMetadata().setName(name);
      e.getSpec().getPublicAddress().setIpv4("127.0.0.1");
      e.getSpec().getSsh().setHost(SimulatedEdge.HOST);
      e.getSpec().getSsh().setPort(edge.port());
      e.getSpec().getSsh().setHostKey(edge.hostKey());
      e.getSpec().getSsh().setConnectTimeoutSeconds(5);
      e.getSpec().getWireguard().setInterfaceName(iface(name));
      e.getSpec().getWireguard().setNetwork("10.61.0.0/24");
      EdgeCaddy spec = new EdgeCaddy();
      spec.setIssuer(CaddyIssuer.Internal);
      spec.setAdminAddress(caddy.adminAddress());
      spec.setListen(
          List.of("127.0.0.1:" + (name.equals("vps") ? VPS_LISTEN : 20000 + caddies.size())));
      e.getSpec().setCaddy(spec);
      change.accept(e);
    };
  }

  private static String iface(String name) {
    return prefix + Integer.toString(Math.abs(name.hashCode()) % 46656, 36);
  }

  // --- Tunnel cases ----------------------------------------------------------------------------

  /** A Tunnel on the working Edge, changed; no peer of it on the Edge. */
  private Case tunnelCase(
      String title,
      String name,
      String type,
      String status,
      String reason,
      String message,
      Consumer<Tunnel> change) {
    return new Case(
        title,
        Tunnel.class,
        NAMESPACE,
        name,
        type,
        status,
        reason,
        message,
        () ->
            lab.tunnel(
                name,
                t -> {
                  t.getSpec().setAllowedIPs(List.of("192.168.70." + (subnets++ * 4) + "/30"));
                  change.accept(t);
                }),
        () -> {
          String marker = new OwnerMarker(ownerId, "Tunnel", NAMESPACE, name).text();
          try {
            Path file = Path.of(configDir, iface("vps") + ".conf");
            return Files.exists(file) && Files.readString(file).contains(marker)
                ? List.of("the Edge has a peer for it")
                : List.of();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  // --- Route cases -----------------------------------------------------------------------------

  private Case routeCase(
      String title,
      String name,
      String type,
      String status,
      String reason,
      String message,
      Consumer<Route> change) {
    return routeCase(title, name, type, status, reason, message, change, name + ".example.com");
  }

  /** A Route on the working Tunnel, changed; its name nowhere: no record, no Caddy route. */
  private Case routeCase(
      String title,
      String name,
      String type,
      String status,
      String reason,
      String message,
      Consumer<Route> change,
      String hostname) {
    String[] actual = {hostname};
    return new Case(
        title,
        Route.class,
        NAMESPACE,
        name,
        type,
        status,
        reason,
        message,
        () -> actual[0] = lab.route(name, hostname, change).getSpec().getHostname(),
        () ->
            actual[0].equals("app.example.com")
                ? List.of()
                : type.equals("DnsReady") ? noRecord(actual[0]) : nothingPublished(actual[0]));
  }

  /** A proxy host for the Route's name, made in NPM by someone else: it stays as it was. */
  private Case npmHostInTheWay() {
    String hostname = "r-npm-taken.example.com";
    ObjectNode fields = SimulatorServer.JSON.createObjectNode();
    fields.put("forward_host", "192.168.61.99").put("forward_port", 8080);
    int[] id = new int[1];
    ObjectNode[] before = new ObjectNode[1];
    return new Case(
        "Route hostname used by a proxy host the operator did not make",
        Route.class,
        NAMESPACE,
        "r-npm-taken",
        "ProxyHostReady",
        "False",
        "Conflict",
        hostname,
        () -> {
          id[0] = npm.seed(NpmSimulator.HostKind.PROXY, hostname, fields);
          before[0] = npm.hosts(NpmSimulator.HostKind.PROXY).get(id[0]);
          lab.route("r-npm-taken", hostname, r -> {});
        },
        () -> {
          List<String> problems = new ArrayList<>(nothingPublished(hostname));
          if (!before[0].equals(npm.hosts(NpmSimulator.HostKind.PROXY).get(id[0]))) {
            problems.add("the other proxy host was changed");
          }
          return problems;
        });
  }

  /** A record for the Route's name, made in the zone by someone else: it stays as it was. */
  private Case recordInTheWay() {
    String hostname = "r-dns-taken.example.com";
    String[] id = new String[1];
    ObjectNode[] before = new ObjectNode[1];
    return new Case(
        "Route hostname with a DNS record the operator did not make",
        Route.class,
        NAMESPACE,
        "r-dns-taken",
        "DnsReady",
        "False",
        "Conflict",
        hostname,
        () -> {
          ObjectNode record = SimulatorServer.JSON.createObjectNode();
          record.put("type", "A").put("name", hostname).put("content", "198.51.100.7");
          id[0] = cloudflare.seed(zone, record);
          before[0] = record(id[0]);
          lab.route("r-dns-taken", hostname, r -> {});
        },
        () ->
            before[0].equals(record(id[0]))
                ? List.of()
                : List.of("the other record was changed: " + record(id[0])));
  }

  /** A Route through a Tunnel of its own whose NPM is not usable; nothing made anywhere. */
  private Case npmCase(String title, String name, URI npmUrl) {
    String hostname = "r-" + name + ".example.com";
    String tunnel = "t-" + name;
    String reason =
        switch (name) {
          case "notnpm" -> "NpmNotFound";
          case "twofactor" -> "TwoFactorRequired";
          case "npmdown" -> "NpmUnavailable";
          default -> "NpmLoginFailed";
        };
    String message =
        switch (name) {
          case "notnpm" -> "not the API of Nginx Proxy Manager";
          case "twofactor" -> "two-factor";
          case "npmdown" -> "127.0.0.1:9";
          default -> IDENTITY;
        };
    return new Case(
        title,
        Route.class,
        NAMESPACE,
        "r-" + name,
        "ProxyHostReady",
        "False",
        reason,
        message,
        () -> {
          if (name.equals("npmpass")) {
            lab.secret("npm-wrong", Map.of("identity", IDENTITY, "secret", "not-the-password"));
          }
          lab.tunnel(
              tunnel,
              t -> {
                t.getSpec().setAllowedIPs(List.of("192.168.80." + (subnets++ * 4) + "/30"));
                t.getSpec().getProxyManager().setUrl(npmUrl.toString());
                if (name.equals("npmpass")) {
                  t.getSpec().getProxyManager().setCredentialsSecretRef(new SecretRef("npm-wrong"));
                }
              });
          lab.route("r-" + name, hostname, r -> r.getSpec().getTunnelRef().setName(tunnel));
        },
        () -> nothingPublished(hostname));
  }

  private ObjectNode record(String id) {
    return cloudflare.records(zone).stream()
        .filter(r -> r.path("id").asText().equals(id))
        .findFirst()
        .orElse(null);
  }

  private List<String> noRecord(String hostname) {
    return cloudflare.records(zone).stream()
            .anyMatch(r -> r.path("name").asText().equalsIgnoreCase(hostname))
        ? List.of("a DNS record exists for " + hostname)
        : List.of();
  }

  /** No record, no Caddy route and no proxy host of ours for the name. */
  private List<String> nothingPublished(String hostname) {
    List<String> problems = new ArrayList<>(noRecord(hostname));
    if (caddies.get("vps").config().toString().contains("\"" + hostname + "\"")) {
      problems.add("Caddy serves " + hostname);
    }
    boolean ours =
        npm.hosts(NpmSimulator.HostKind.PROXY).values().stream()
            .anyMatch(
                h ->
                    h.path("domain_names").toString().contains("\"" + hostname + "\"")
                        && h.path("meta").path("homelab_owner").asText().startsWith("homelab"));
    if (ours) {
      problems.add("NPM has a proxy host of ours for " + hostname);
    }
    return problems;
  }

  private static void backendGuest(Route route, String guest) {
    Backend backend = new Backend();
    backend.setGuestRef(new LocalObjectRef(guest));
    backend.setPort(8080);
    route.getSpec().setBackend(backend);
  }

  private static void basicAuth(Route route, String secret) {
    RouteAccess access = new RouteAccess();
    access.setBasicAuthSecretRef(new SecretRef(secret));
    route.getSpec().setAccess(access);
  }

  // --- Guest cases -----------------------------------------------------------------------------

  /** A Guest, changed; no guest of it in Proxmox, the unowned one as it was. */
  private Case guestCase(
      String title,
      String name,
      String type,
      String status,
      String reason,
      String message,
      Consumer<Guest> change) {
    Map<String, String> unownedBefore = pve.cluster().guest(UNOWNED_VMID).orElseThrow().config();
    return new Case(
        title,
        Guest.class,
        NAMESPACE,
        name,
        type,
        status,
        reason,
        message,
        () ->
            lab.guest(
                g -> {
                  g.getMetadata().setName(name);
                  g.getSpec().setDisks(null);
                  change.accept(g);
                }),
        () -> {
          List<String> problems = new ArrayList<>();
          String marker = new OwnerMarker(ownerId, "Guest", NAMESPACE, name).text();
          if (pve.cluster().guests().stream()
              .anyMatch(g -> g.config().getOrDefault("description", "").contains(marker))) {
            problems.add("Proxmox has a guest of it");
          }
          if (!pve.cluster().guest(UNOWNED_VMID).orElseThrow().config().equals(unownedBefore)) {
            problems.add("the unowned guest " + UNOWNED_VMID + " was changed");
          }
          if (!pveElsewhere.requests().isEmpty()) {
            problems.add("a Proxmox that failed the TLS check got requests");
          }
          return problems;
        });
  }

  private void connection(Guest guest, String secret, Map<String, String> data) {
    lab.secret(secret, data);
    guest.getSpec().getProxmox().setConnectionSecretRef(new SecretRef(secret));
  }

  // --- waiting ---------------------------------------------------------------------------------

  /** The case's condition once it has the expected status and reason, or the last one seen. */
  private Condition await(Case c) {
    Condition[] last = new Condition[1];
    try {
      Awaitility.await(c.name())
          .atMost(DEADLINE)
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                CustomResource<?, ? extends HomelabStatus> object =
                    client
                        .resources(c.kind())
                        .inNamespace(c.namespace())
                        .withName(c.object())
                        .get();
                last[0] = object == null ? null : Homelab.condition(object, c.type()).orElse(null);
                return last[0] != null
                    && last[0].getStatus().equals(c.status())
                    && last[0].getReason().equals(c.reason());
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // reported with the last condition seen
    }
    return last[0];
  }
}
