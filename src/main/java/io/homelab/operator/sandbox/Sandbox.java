package io.homelab.operator.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.homelab.operator.sandbox.caddy.CaddyAdminSimulator;
import io.homelab.operator.sandbox.cloudflare.CloudflareSimulator;
import io.homelab.operator.sandbox.edge.LoopbackCaddy;
import io.homelab.operator.sandbox.edge.SimulatedEdge;
import io.homelab.operator.sandbox.kube.SandboxApiServer;
import io.homelab.operator.sandbox.lab.NetnsLab;
import io.homelab.operator.sandbox.lab.Sh;
import io.homelab.operator.sandbox.npm.NginxDataPlane;
import io.homelab.operator.sandbox.npm.NpmSimulator;
import io.homelab.operator.sandbox.proxmox.ProxmoxSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * The sandbox: homelab-operator on one machine with no homelab. An embedded Kubernetes API that
 * {@code kubectl} can talk to, the Proxmox, NPM and Cloudflare simulators, and the edge and home
 * for real in network namespaces (sshd, WireGuard, Caddy at the edge; WireGuard, NPM's nginx and an
 * application at home), with the CRDs and {@code k8s-samples/} applied and the packaged operator
 * running against all of it. Started from the project root by {@code mvn -Psandbox package}; Ctrl-C
 * stops everything it started.
 *
 * <p>Not as root there are no network namespaces: the edge is simulated in-process ({@link
 * SimulatedEdge}: an SSH server on loopback with simulated {@code wg} and {@code ip}, and the real
 * Caddy on loopback when it is installed), and home is not run.
 */
public final class Sandbox implements AutoCloseable {

  static final String OWNER_ID = "sandbox";
  static final String NPM_IDENTITY = "admin@example.com";
  static final String NPM_SECRET = "sandbox-npm-password";
  static final String CLOUDFLARE_TOKEN = "sandbox-cloudflare-token";
  static final String PVE_TOKEN = "homelab@pve!operator";
  static final String PVE_SECRET = "sandbox-proxmox-token-secret";
  static final String ZONE = "example.com";
  static final String NAMESPACE = "homelab";

  static final String SIMULATED_EDGE_NOTICE =
      "not root: the edge is simulated in-process (SSH server with simulated wg and ip), home is"
          + " not run; requests will not reach an application";

  private final Path dir;
  private final PrintStream out;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final boolean simulatedEdge;
  private NetnsLab lab;
  private SimulatedEdge edge;
  private LoopbackCaddy caddy;
  private CaddyAdminSimulator caddyAdmin;
  private SandboxApiServer api;
  private NpmSimulator npm;
  private CloudflareSimulator cloudflare;
  private ProxmoxSimulator pve;
  private String zoneId;
  private OperatorChild operator;
  private NginxDataPlane nginx;
  private Path kubeconfig;
  private volatile boolean closed;

  private Sandbox(Path dir, PrintStream out, boolean simulatedEdge) {
    this.dir = dir.toAbsolutePath();
    this.out = out;
    this.simulatedEdge = simulatedEdge;
  }

  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/sandbox");
    PrintStream out = System.out;
    boolean root = "0".equals(Sh.bash("id -u").out().trim());
    if (!root) {
      out.println("sandbox | " + SIMULATED_EDGE_NOTICE);
    }
    Sandbox sandbox = new Sandbox(dir, out, !root);
    Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "sandbox-stop"));
    try {
      sandbox.start();
    } catch (RuntimeException e) {
      out.println("The sandbox could not start: " + e);
      sandbox.close();
      System.exit(1);
    }
    sandbox.banner();
    sandbox.awaitStop();
  }

  /** Starts everything; on failure the caller closes what was started. */
  void start() {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SandboxSamples.EdgeTargets edgeTargets;
    if (simulatedEdge) {
      edgeTargets = startSimulatedEdge();
    } else {
      step("network namespaces: edge (sshd, Caddy), home, lan (the application), client");
      lab = NetnsLab.start();
      started.push(lab);
      edgeTargets = SandboxSamples.EdgeTargets.of(lab);
    }

    step("Proxmox VE simulator (node pve1, template 9000)");
    pve = ProxmoxSimulator.start(PVE_TOKEN, PVE_SECRET, Duration.ofSeconds(2), "pve1");
    pve.cluster().addTemplate("pve1", 9000, "qemu", "debian-12-cloud");
    started.push(pve);

    step(
        simulatedEdge
            ? "Nginx Proxy Manager simulator (no nginx: home is not run)"
            : "Nginx Proxy Manager simulator, with a real nginx at home");
    npm = new NpmSimulator(Clock.systemUTC());
    npm.addUser(NPM_IDENTITY, NPM_SECRET, false);
    started.push(npm);
    if (!simulatedEdge) {
      nginx =
          new NginxDataPlane(
              dir.resolve("npm-nginx"), "0.0.0.0:80", List.of("ip", "netns", "exec", lab.homeNs));
      nginx.start();
      started.push(nginx);
      npm.dataPlane(nginx);
    }

    step("Cloudflare simulator (zone " + ZONE + ")");
    cloudflare = new CloudflareSimulator(Clock.systemUTC());
    cloudflare.addToken(CLOUDFLARE_TOKEN);
    zoneId = cloudflare.addZone(ZONE);
    started.push(cloudflare);

    step("Kubernetes API with the CRDs of crds/");
    api = SandboxApiServer.start(SandboxApiServer.readCrds(crdFiles()));
    started.push(api);
    kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"), NAMESPACE);

    step("k8s-samples/, pointed at the sandbox");
    SandboxSamples.apply(
        api.client(),
        SandboxSamples.read(Path.of("k8s-samples")).stream()
            .map(
                d ->
                    SandboxSamples.localize(
                        d,
                        new SandboxSamples.Targets(
                            edgeTargets,
                            pve.connectionSecretData(),
                            npm.apiUrl().toString(),
                            NPM_IDENTITY,
                            NPM_SECRET,
                            CLOUDFLARE_TOKEN)))
            .toList());

    step("the operator (target/quarkus-app/quarkus-run.jar)");
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", api.url());
    settings.put("QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
    settings.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", NAMESPACE);
    settings.put("HOMELAB_OWNER_ID", OWNER_ID);
    settings.put("HOMELAB_CLOUDFLARE_API_URL", cloudflare.apiUrl().toString());
    settings.put("HOMELAB_POLL_NPM", "10s");
    settings.put("HOMELAB_POLL_CLOUDFLARE", "30s");
    settings.put("HOMELAB_POLL_CADDY", "10s");
    settings.put("HOMELAB_POLL_WIREGUARD", "5s");
    settings.put("HOMELAB_POLL_PROXMOX", "5s");
    settings.put("HOMELAB_WIREGUARD_CONFIG_DIR", dir.resolve("wireguard").toString());
    settings.put("HOSTNAME", "sandbox-operator");
    // The probe trusts the Edge's Caddy's local CA (issuer Internal), as a browser told to would.
    if (!simulatedEdge) {
      settings.put("HOMELAB_PROBE_CA_FILE", caddyRoot().toString());
    } else if (caddy != null) {
      settings.put("HOMELAB_PROBE_CA_FILE", caddy.rootCertificate().toString());
    }
    operator = OperatorChild.start(settings, dir.resolve("operator"), out);
    started.push(operator);

    if (!simulatedEdge) {
      step("home's end of the tunnel, from the Secret the operator writes");
      homeUp(Duration.ofMinutes(2));
    }
    writeEndpoints();
  }

  /** The edge in-process, and Caddy on loopback when it is installed. */
  private SandboxSamples.EdgeTargets startSimulatedEdge() {
    step("simulated edge: SSH server on loopback with simulated wg, wg-quick and ip");
    edge = SimulatedEdge.start(dir.resolve("edge"));
    started.push(edge);
    Optional<Path> caddyBinary = LoopbackCaddy.find();
    String adminAddress;
    String listen;
    if (caddyBinary.isPresent()) {
      step("caddy (" + caddyBinary.get() + ") with its admin API on loopback");
      caddy = LoopbackCaddy.start(caddyBinary.get(), dir.resolve("edge-caddy"));
      started.push(caddy);
      adminAddress = caddy.adminAddress();
      listen = SimulatedEdge.HOST + ":" + caddy.httpsPort();
    } else {
      out.println(
          "sandbox | caddy is not on the PATH: its admin API is simulated (the operator programs"
              + " it; nothing serves HTTPS). Install Caddy to see the real one");
      caddyAdmin = new CaddyAdminSimulator();
      started.push(caddyAdmin);
      adminAddress = caddyAdmin.adminAddress();
      listen = SimulatedEdge.HOST + ":" + freePort();
    }
    return new SandboxSamples.EdgeTargets(
        SimulatedEdge.HOST,
        SimulatedEdge.HOST,
        edge.port(),
        edge.hostKey(),
        edge.clientKey(),
        "wg0",
        adminAddress,
        listen,
        null,
        null);
  }

  /** The banner: what runs, and the commands to try. */
  void banner() {
    String kubectl = "kubectl --kubeconfig " + kubeconfig;
    if (simulatedEdge) {
      simulatedBanner(kubectl);
      return;
    }
    String curl =
        "ip netns exec "
            + lab.clientNs
            + " curl --cacert "
            + caddyRoot()
            + " --resolve app."
            + ZONE
            + ":"
            + NetnsLab.CADDY_HTTPS_PORT
            + ":"
            + lab.edgePublicAddress
            + " https://app."
            + ZONE
            + ":"
            + NetnsLab.CADDY_HTTPS_PORT
            + "/";
    out.println();
    out.println("==================== homelab-operator sandbox ====================");
    out.println("Kubernetes API   " + api.url() + "   kubeconfig " + kubeconfig);
    out.println("Proxmox VE       " + pve.url());
    out.println("NPM              " + npm.apiUrl() + "   (nginx in " + lab.homeNs + ")");
    out.println("Cloudflare       " + cloudflare.apiUrl() + "   zone " + ZONE);
    out.println(
        "Edge (VPS)       ssh " + lab.sshHost + ":" + NetnsLab.SSH_PORT + " in " + lab.edgeNs);
    out.println("Endpoints        " + dir.resolve("endpoints.json"));
    out.println();
    out.println("Try:");
    out.println("  " + kubectl + " get homelab");
    out.println("  " + kubectl + " get rt");
    out.println("  " + kubectl + " describe rt app");
    out.println("  " + kubectl + " explain route.spec.backend");
    out.println("  " + curl);
    out.println("  " + kubectl + " apply -f <your-route.yaml>   (and delete -f)");
    out.println("Ctrl-C stops everything the sandbox started.");
    out.println("===================================================================");
  }

  private void simulatedBanner(String kubectl) {
    out.println();
    out.println("==================== homelab-operator sandbox ====================");
    out.println(SIMULATED_EDGE_NOTICE);
    out.println("Kubernetes API   " + api.url() + "   kubeconfig " + kubeconfig);
    out.println("Proxmox VE       " + pve.url());
    out.println("NPM              " + npm.apiUrl() + "   (no nginx: home is not run)");
    out.println("Cloudflare       " + cloudflare.apiUrl() + "   zone " + ZONE);
    out.println(
        "Edge (VPS)       ssh "
            + SimulatedEdge.HOST
            + ":"
            + edge.port()
            + "   (simulated in-process, files in "
            + edge.dir()
            + ")");
    out.println(
        "Caddy            "
            + (caddy != null
                ? "admin " + caddy.adminAddress() + ", HTTPS " + caddy.httpsPort()
                : "not installed: admin API simulated at " + caddyAdmin.adminAddress()));
    out.println("Endpoints        " + dir.resolve("endpoints.json"));
    out.println();
    out.println("Try:");
    out.println("  " + kubectl + " get homelab");
    out.println("  " + kubectl + " get rt");
    out.println("  " + kubectl + " describe edge vps");
    out.println("  " + kubectl + " explain route.spec.backend");
    out.println("  " + kubectl + " apply -f <your-route.yaml>   (and delete -f)");
    out.println("Ctrl-C stops everything the sandbox started.");
    out.println("===================================================================");
  }

  /** Blocks until the sandbox is stopped (Ctrl-C). */
  void awaitStop() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops everything in the reverse order it started. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    out.println("Stopping the sandbox...");
    while (!started.isEmpty()) {
      AutoCloseable next = started.pop();
      try {
        next.close();
      } catch (Exception e) {
        out.println("  stopping " + next.getClass().getSimpleName() + " failed: " + e);
      }
    }
    out.println("The sandbox is stopped.");
    stopped.countDown();
  }

  /** Waits for the Tunnel's wg-quick Secret and brings the home end up from it. */
  private void homeUp(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Secret secret = api.client().secrets().inNamespace(NAMESPACE).withName("home-home").get();
      if (secret != null && secret.getData() != null && secret.getData().containsKey("wg0.conf")) {
        lab.homeUp(
            new String(
                Base64.getDecoder().decode(secret.getData().get("wg0.conf")),
                StandardCharsets.UTF_8));
        return;
      }
      sleep(Duration.ofMillis(500));
    }
    throw new IllegalStateException(
        "the Tunnel home wrote no wg-quick Secret within " + timeout.toSeconds() + " s");
  }

  /** Where everything listens and the credentials of the simulators, for scripts and tests. */
  private void writeEndpoints() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("kubeconfig", kubeconfig.toString()).put("apiServer", api.url());
    root.put("operatorPid", operator.pid())
        .put("nginxPid", nginx == null ? -1 : nginx.pid().orElse(-1));
    root.putObject("npm")
        .put("url", npm.apiUrl().toString())
        .put("identity", NPM_IDENTITY)
        .put("secret", NPM_SECRET);
    root.putObject("cloudflare")
        .put("url", cloudflare.apiUrl().toString())
        .put("token", CLOUDFLARE_TOKEN)
        .put("zoneId", zoneId);
    root.putObject("proxmox").put("url", pve.url());
    if (simulatedEdge) {
      ObjectNode simulated =
          root.putObject("simulatedEdge")
              .put("sshHost", SimulatedEdge.HOST)
              .put("sshPort", edge.port())
              .put("hostKey", edge.hostKey())
              .put("dir", edge.dir().toString());
      if (caddyAdmin != null) {
        simulated.put("caddyAdmin", caddyAdmin.adminAddress()).put("caddySimulated", true);
      }
      if (caddy != null) {
        simulated
            .put("caddyAdmin", caddy.adminAddress())
            .put("httpsPort", caddy.httpsPort())
            .put("caddyRoot", caddy.rootCertificate().toString());
      }
      write(json, root);
      return;
    }
    root.putObject("lab")
        .put("clientNamespace", lab.clientNs)
        .put("edgeNamespace", lab.edgeNs)
        .put("homeNamespace", lab.homeNs)
        .put("lanNamespace", lab.lanNs)
        .put("edgePublicAddress", lab.edgePublicAddress)
        .put("httpsPort", NetnsLab.CADDY_HTTPS_PORT)
        .put("caddyRoot", caddyRoot().toString());
    write(json, root);
  }

  private void write(ObjectMapper json, ObjectNode root) {
    try {
      Files.writeString(
          dir.resolve("endpoints.json"),
          json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path caddyRoot() {
    return lab.dir().resolve("caddy/data/caddy/pki/authorities/local/root.crt");
  }

  private void step(String what) {
    out.println("sandbox | starting " + what);
  }

  /** The CRD files of {@code crds/}, relative to the project root. */
  public static List<Path> crdFiles() {
    try (Stream<Path> files = Files.list(Path.of("crds"))) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read crds/ (start the sandbox in the project root)", e);
    }
  }

  private static int freePort() {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
