package io.homelab.operator.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.homelab.operator.api.Condition;
import io.homelab.operator.api.DeletionPolicy;
import io.homelab.operator.api.HomelabStatus;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.schema.Crds;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.sandbox.caddy.CaddyAdminSimulator;
import io.homelab.operator.sandbox.cloudflare.CloudflareSimulator;
import io.homelab.operator.sandbox.edge.SimulatedEdge;
import io.homelab.operator.sandbox.kube.SandboxApiServer;
import io.homelab.operator.sandbox.npm.NpmSimulator;
import io.homelab.operator.sandbox.proxmox.ProxmoxSimulator;
import io.homelab.operator.sandbox.proxmox.SimulatedCluster.SimGuest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A homelab for packaged operators to run against, all on loopback and without root: the sandbox
 * API server, the Proxmox, NPM, Cloudflare and Caddy admin simulators and the simulated edge (SSH
 * with simulated WireGuard), with one Edge and as many Tunnels, Routes and Guests as a test asks
 * for. It also reads back what the external systems hold, for "exactly the desired state" checks.
 */
final class SimulatedHomelab implements AutoCloseable {

  static final String ZONE = "example.test";
  static final String NPM_IDENTITY = "admin@example.com";
  static final String NPM_SECRET = "harness-npm-password";
  static final String CLOUDFLARE_TOKEN = "harness-cloudflare-token";
  static final String PVE_TOKEN = "homelab@pve!operator";
  static final String PVE_SECRET = "harness-proxmox-secret";
  static final String EDGE = "vps";
  static final String IFACE = "wg0";

  final String namespace;
  final Path dir;
  final SandboxApiServer api;
  final KubernetesClient client;
  final SimulatedEdge edge;
  final CaddyAdminSimulator caddy;
  final NpmSimulator npm;
  final CloudflareSimulator cloudflare;
  final ProxmoxSimulator pve;
  final String zoneId;

  SimulatedHomelab(String namespace) {
    this.namespace = namespace;
    try {
      dir = Files.createDirectories(OperatorProcess.WORK_DIR.resolve(namespace).toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    edge = SimulatedEdge.start(dir.resolve("edge-" + System.nanoTime()));
    caddy = new CaddyAdminSimulator();
    npm = new NpmSimulator(Clock.systemUTC());
    npm.addUser(NPM_IDENTITY, NPM_SECRET, false);
    cloudflare = new CloudflareSimulator(Clock.systemUTC());
    cloudflare.addToken(CLOUDFLARE_TOKEN);
    zoneId = cloudflare.addZone(ZONE);
    pve = ProxmoxSimulator.start(PVE_TOKEN, PVE_SECRET, Duration.ofMillis(200), "pve1");
    pve.cluster().addTemplate("pve1", 9000, "qemu", "debian-12-cloud");
    api = SandboxApiServer.start(SandboxApiServer.readCrds(Crds.files(Crds.CRD_DIR, ".yml")));
    client = api.client();
    client
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    secret("vps-ssh", Map.of("id_ed25519", edge.clientKey()));
    secret("npm-login", Map.of("identity", NPM_IDENTITY, "secret", NPM_SECRET));
    secret("cloudflare", Map.of("apiToken", CLOUDFLARE_TOKEN));
    client.resource(pve.connectionSecret(namespace, "proxmox")).create();
  }

  /** An operator against this homelab, polling every system often. */
  OperatorProcess operator(String name) {
    return OperatorProcess.against(name, api.url(), namespace)
        .with("HOMELAB_CLOUDFLARE_API_URL", cloudflare.apiUrl().toString())
        .with("HOMELAB_POLL_NPM", "2s")
        .with("HOMELAB_POLL_CLOUDFLARE", "2s")
        .with("HOMELAB_POLL_CADDY", "2s")
        .with("HOMELAB_POLL_WIREGUARD", "2s")
        .with("HOMELAB_POLL_PROXMOX", "1s")
        .with("HOMELAB_PROXMOX_TASK_POLL", "200ms")
        .with("HOMELAB_WIREGUARD_CONFIG_DIR", dir.resolve("wireguard").toString());
  }

  /** The Edge, on the simulated edge, with the Caddy admin simulator and the zone. */
  void edge() {
    Edge e = sample("10-edge.yaml", Edge.class);
    e.getSpec().getPublicAddress().setIpv4("203.0.113.10");
    e.getSpec().getSsh().setHost(SimulatedEdge.HOST);
    e.getSpec().getSsh().setPort(edge.port());
    e.getSpec().getSsh().setHostKey(edge.hostKey());
    e.getSpec().getWireguard().setInterfaceName(IFACE);
    io.homelab.operator.api.edge.EdgeCaddy spec = new io.homelab.operator.api.edge.EdgeCaddy();
    spec.setIssuer(io.homelab.operator.api.edge.CaddyIssuer.Internal);
    spec.setAdminAddress(caddy.adminAddress());
    spec.setListen(List.of(SimulatedEdge.HOST + ":" + freePort()));
    e.getSpec().setCaddy(spec);
    e.getSpec().getDns().setZone(ZONE);
    e.getSpec().getAllowedRoutes().setHostnames(List.of(ZONE));
    create(e);
  }

  void tunnel(String name, int index) {
    Tunnel t = sample("20-tunnel.yaml", Tunnel.class);
    t.getMetadata().setName(name);
    t.getSpec().getProxyManager().setUrl(npm.apiUrl().toString());
    t.getSpec().setAllowedIPs(List.of("192.168." + (10 + index) + ".0/24"));
    create(t);
  }

  void route(String name, String tunnel) {
    Route r = sample("41-route-address.yaml", Route.class);
    r.getMetadata().setName(name);
    r.getSpec().setHostname(hostname(name));
    r.getSpec().getTunnelRef().setName(tunnel);
    r.getSpec().setAccess(null);
    create(r);
  }

  void guest(String name, int index) {
    Guest g = sample("30-guest-vm.yaml", Guest.class);
    g.getMetadata().setName(name);
    g.getSpec().setDisks(null);
    g.getSpec().getNetwork().getIpv4().setAddress("10.60.0." + (10 + index) + "/24");
    g.getSpec().getNetwork().getIpv4().setGateway("10.60.0.1");
    g.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    create(g);
  }

  static String hostname(String route) {
    return route + "." + ZONE;
  }

  <T extends HasMetadata> void delete(Class<T> kind, String name) {
    client.resources(kind).inNamespace(namespace).withName(name).delete();
  }

  <T extends CustomResource<?, ? extends HomelabStatus>> List<T> list(Class<T> kind) {
    return client.resources(kind).inNamespace(namespace).list().getItems();
  }

  /** The objects of a kind that are not Ready=True for their generation, by name. */
  <T extends CustomResource<?, ? extends HomelabStatus>> List<String> notReady(Class<T> kind) {
    return list(kind).stream().filter(o -> !ready(o)).map(o -> o.getMetadata().getName()).toList();
  }

  static boolean ready(CustomResource<?, ? extends HomelabStatus> object) {
    HomelabStatus status = object.getStatus();
    if (status == null || status.getConditions() == null) {
      return false;
    }
    return status.getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .map(
            (Condition c) ->
                "True".equals(c.getStatus())
                    && Objects.equals(
                        c.getObservedGeneration(), object.getMetadata().getGeneration()))
        .orElse(false);
  }

  /** Proxy hosts in NPM, by domain: how many of each. */
  Map<String, Long> proxyHosts() {
    return count(
        npm.hosts(NpmSimulator.HostKind.PROXY).values(),
        h -> h.path("domain_names").path(0).asText());
  }

  /** DNS records in the zone, by "TYPE name". */
  Map<String, Long> records() {
    return count(
        cloudflare.records(zoneId), r -> r.path("type").asText() + " " + r.path("name").asText());
  }

  /** Caddy routes of the operator's server, by the host they match. */
  Map<String, Long> caddyRoutes() {
    List<JsonNode> routes = new ArrayList<>();
    caddy
        .config()
        .path("apps")
        .path("http")
        .path("servers")
        .path("homelab")
        .path("routes")
        .forEach(routes::add);
    return count(
        routes,
        r -> {
          JsonNode host = r.findValue("host");
          return host == null ? "(no host) " + r.path("@id").asText() : host.path(0).asText();
        });
  }

  /** WireGuard peers on the edge's interface, by public key. */
  Map<String, Long> peers() {
    Path file = edge.dir().resolve("state").resolve(IFACE).resolve("peers");
    try {
      if (!Files.exists(file)) {
        return Map.of();
      }
      return count(
          Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList(),
          l -> l.split("\t")[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Guests in Proxmox (templates aside), by VMID. */
  Map<String, Long> guests() {
    return count(pve.cluster().guests(), (SimGuest g) -> String.valueOf(g.vmid()));
  }

  /** A one-line picture of the external systems. */
  String externalSummary() {
    return "NPM "
        + proxyHosts().size()
        + " hosts, Cloudflare "
        + records().size()
        + " records, Caddy "
        + caddyRoutes().size()
        + " routes, WireGuard "
        + peers().size()
        + " peers, Proxmox "
        + guests().size()
        + " guests";
  }

  static <T> Map<String, Long> count(Collection<T> items, Function<T, String> key) {
    return items.stream()
        .collect(Collectors.groupingBy(key, LinkedHashMap::new, Collectors.counting()));
  }

  private void secret(String name, Map<String, String> data) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(data)
                .build())
        .create();
  }

  private void create(HasMetadata object) {
    object.getMetadata().setNamespace(namespace);
    client.resource(object).create();
  }

  private <T> T sample(String file, Class<T> type) {
    JsonNode doc =
        Crds.readDocuments(Path.of("k8s-samples", file)).stream()
            .filter(d -> d.path("kind").asText().equals(type.getSimpleName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + file));
    ObjectNode copy = doc.deepCopy();
    return Serialization.unmarshal(copy.toString(), type);
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    for (AutoCloseable c : List.of(api, pve, cloudflare, npm, caddy, edge)) {
      try {
        c.close();
      } catch (Exception e) {
        // stopping anyway
      }
    }
  }
}
