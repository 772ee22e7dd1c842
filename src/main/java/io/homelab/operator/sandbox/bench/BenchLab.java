package io.homelab.operator.sandbox.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homelab.operator.api.Condition;
import io.homelab.operator.api.HomelabStatus;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.sandbox.OperatorChild;
import io.homelab.operator.sandbox.Sandbox;
import io.homelab.operator.sandbox.SandboxSamples;
import io.homelab.operator.sandbox.caddy.CaddyAdminSimulator;
import io.homelab.operator.sandbox.cloudflare.CloudflareSimulator;
import io.homelab.operator.sandbox.edge.SimulatedEdge;
import io.homelab.operator.sandbox.kube.SandboxApiServer;
import io.homelab.operator.sandbox.npm.NpmSimulator;
import io.homelab.operator.sandbox.proxmox.ProxmoxSimulator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything a benchmark run needs, on loopback and without root: the sandbox's Kubernetes API
 * server, the Proxmox VE (three nodes, two templates), NPM and Cloudflare simulators, the simulated
 * edge (SSH with simulated WireGuard tools) with Caddy's admin API simulated, each answering after
 * a set latency, and the packaged operator as a child process. The Secrets, the Edge and the Tunnel
 * of {@code k8s-samples/} are applied at start; Routes and Guests are made from the samples by
 * number. Requests are counted by the simulators.
 */
public final class BenchLab implements AutoCloseable {

  static final String NAMESPACE = "homelab";
  static final String OWNER_ID = "benchmark";
  static final String NPM_IDENTITY = "admin@example.com";
  static final String NPM_SECRET = "benchmark-npm-password";
  static final String CLOUDFLARE_TOKEN = "benchmark-cloudflare-token";
  static final String PVE_TOKEN = "homelab@pve!operator";
  static final String PVE_SECRET = "benchmark-proxmox-token-secret";
  static final String ZONE = "example.com";
  static final List<String> NODES = List.of("pve1", "pve2", "pve3");

  /** The templates Guests are cloned from: VMID and the node it lives on. */
  static final Map<Integer, String> TEMPLATES = Map.of(9000, "pve1", 9001, "pve2");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern STARTED = Pattern.compile("started in (\\d+\\.\\d+)s");

  /**
   * How the systems behave and how often the operator looks at them.
   *
   * @param latency added to every HTTP request of a simulated system
   * @param proxmoxTask how long a Proxmox task runs
   * @param poll every poll interval of the operator (Proxmox, NPM, Cloudflare, Caddy, WireGuard)
   * @param dir where the run keeps its files (the operator's log among them)
   * @param jvm the {@code java} the operator runs on, and its options
   */
  public record Settings(
      Duration latency, Duration proxmoxTask, Duration poll, Path dir, OperatorChild.Jvm jvm) {}

  private final Settings settings;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private SimulatedEdge edge;
  private CaddyAdminSimulator caddy;
  private ProxmoxSimulator pve;
  private NpmSimulator npm;
  private CloudflareSimulator cloudflare;
  private SandboxApiServer api;
  private OperatorChild operator;
  private Duration operatorStart;
  private ObjectNode routeSample;
  private ObjectNode guestSample;

  private BenchLab(Settings settings) {
    this.settings = settings;
  }

  /** Starts everything and applies the Secrets, the Edge and the Tunnel; closes all on failure. */
  public static BenchLab start(Settings settings) {
    BenchLab lab = new BenchLab(settings);
    try {
      lab.startAll();
      return lab;
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  private void startAll() {
    Path dir = settings.dir().toAbsolutePath();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    edge = SimulatedEdge.start(dir.resolve("edge"));
    started.push(edge);
    caddy = new CaddyAdminSimulator();
    started.push(caddy);
    caddy.server().latency(settings.latency());

    pve =
        ProxmoxSimulator.start(
            PVE_TOKEN, PVE_SECRET, settings.proxmoxTask(), NODES.toArray(String[]::new));
    started.push(pve);
    TEMPLATES.forEach(
        (vmid, node) -> pve.cluster().addTemplate(node, vmid, "qemu", "template-" + vmid));
    pve.latency(settings.latency());

    npm = new NpmSimulator(Clock.systemUTC());
    started.push(npm);
    npm.addUser(NPM_IDENTITY, NPM_SECRET, false);
    npm.server().latency(settings.latency());

    cloudflare = new CloudflareSimulator(Clock.systemUTC());
    started.push(cloudflare);
    cloudflare.addToken(CLOUDFLARE_TOKEN);
    cloudflare.addZone(ZONE);
    cloudflare.server().latency(settings.latency());

    api = SandboxApiServer.start(SandboxApiServer.readCrds(Sandbox.crdFiles()));
    started.push(api);
    applySamples();

    Map<String, String> env = new LinkedHashMap<>();
    env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", api.url());
    env.put("QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
    env.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", NAMESPACE);
    env.put("HOMELAB_OWNER_ID", OWNER_ID);
    env.put("HOMELAB_CLOUDFLARE_API_URL", cloudflare.apiUrl().toString());
    String poll = settings.poll().toMillis() + "ms";
    for (String system : List.of("NPM", "CLOUDFLARE", "CADDY", "WIREGUARD", "PROXMOX")) {
      env.put("HOMELAB_POLL_" + system, poll);
    }
    env.put("HOMELAB_WIREGUARD_CONFIG_DIR", dir.resolve("wireguard").toString());
    env.put("HOSTNAME", "benchmark-operator");
    // Nothing serves HTTPS in the benchmark (Caddy's admin API is simulated): every probe would
    // fail, and the figures count the systems the operator drives. BENCHMARKS.md says so.
    env.put("HOMELAB_PROBE_ENABLED", "false");
    long before = System.nanoTime();
    operator =
        OperatorChild.start(
            settings.jvm(),
            env,
            dir.resolve("operator"),
            new PrintStream(OutputStream.nullOutputStream()));
    operatorStart = Duration.ofNanos(System.nanoTime() - before);
    started.push(operator);
  }

  /** Namespace, Secrets, Edge and Tunnel as the samples have them, pointed at this lab. */
  private void applySamples() {
    SandboxSamples.EdgeTargets edgeTargets =
        new SandboxSamples.EdgeTargets(
            SimulatedEdge.HOST,
            SimulatedEdge.HOST,
            edge.port(),
            edge.hostKey(),
            edge.clientKey(),
            "wg0",
            caddy.adminAddress(),
            // Caddy's admin API is simulated: nothing listens on this address.
            SimulatedEdge.HOST + ":8443",
            null,
            null);
    SandboxSamples.Targets targets =
        new SandboxSamples.Targets(
            edgeTargets,
            pve.connectionSecretData(),
            npm.apiUrl().toString(),
            NPM_IDENTITY,
            NPM_SECRET,
            CLOUDFLARE_TOKEN);
    List<ObjectNode> samples =
        SandboxSamples.read(Path.of("k8s-samples")).stream()
            .map(d -> SandboxSamples.localize(d, targets))
            .toList();
    SandboxSamples.apply(
        api.client(),
        samples.stream()
            .filter(
                d -> List.of("Namespace", "Secret", "Edge", "Tunnel").contains(kind(d).orElse("")))
            .toList());
    routeSample =
        sample(
            samples,
            d -> "Route".equals(kind(d).orElse("")) && d.at("/spec/backend").has("address"));
    routeSample.withObject("/spec").remove("access");
    guestSample =
        sample(
            samples,
            d -> "Guest".equals(kind(d).orElse("")) && "vm".equals(d.at("/spec/type").asText()));
  }

  private static ObjectNode sample(List<ObjectNode> samples, Predicate<ObjectNode> which) {
    return samples.stream()
        .filter(which)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("k8s-samples/ lacks a sample the run needs"))
        .deepCopy();
  }

  private static Optional<String> kind(ObjectNode doc) {
    return Optional.ofNullable(doc.path("kind").textValue());
  }

  /** The name of Route number {@code i}. */
  static String routeName(int i) {
    return String.format("r%04d", i);
  }

  /** The name of Guest number {@code i}. */
  static String guestName(int i) {
    return String.format("g%03d", i);
  }

  /** Creates Route number {@code i}: {@code rNNNN.example.com} to a plain address at home. */
  public void createRoute(int i) {
    ObjectNode doc = routeSample.deepCopy();
    doc.withObject("/metadata").put("name", routeName(i));
    doc.withObject("/spec").put("hostname", routeName(i) + "." + ZONE);
    api.client().resource(JSON.convertValue(doc, Route.class)).create();
  }

  /**
   * Creates Guest number {@code i}: a VM on node {@code pve1..3} in turn, cloned from one of the
   * two templates in turn.
   */
  public void createGuest(int i) {
    ObjectNode doc = guestSample.deepCopy();
    doc.withObject("/metadata").put("name", guestName(i));
    ObjectNode spec = doc.withObject("/spec");
    spec.put("node", NODES.get(i % NODES.size()));
    int template = TEMPLATES.keySet().stream().sorted().toList().get(i % TEMPLATES.size());
    spec.withObject("/source/clone")
        .put("templateVmid", template)
        .put("templateNode", TEMPLATES.get(template));
    api.client().resource(JSON.convertValue(doc, Guest.class)).create();
  }

  /** Edits Route number {@code i} as {@code kubectl edit} would. */
  public void editRoute(int i, Consumer<Route> change) {
    api.client()
        .resources(Route.class)
        .inNamespace(NAMESPACE)
        .withName(routeName(i))
        .edit(
            r -> {
              change.accept(r);
              return r;
            });
  }

  /** How many Routes are Ready for their current generation. */
  public long readyRoutes() {
    return api.client().resources(Route.class).inNamespace(NAMESPACE).list().getItems().stream()
        .filter(BenchLab::ready)
        .count();
  }

  /** How many Guests are Ready for their current generation. */
  public long readyGuests() {
    return api.client().resources(Guest.class).inNamespace(NAMESPACE).list().getItems().stream()
        .filter(BenchLab::ready)
        .count();
  }

  /** Whether Route number {@code i} is Ready for its current generation. */
  public boolean routeReady(int i) {
    Route route =
        api.client().resources(Route.class).inNamespace(NAMESPACE).withName(routeName(i)).get();
    return route != null && ready(route);
  }

  /** Whether the Edge and the Tunnel of the samples are Ready. */
  public boolean edgeAndTunnelReady() {
    return api.client().resources(Edge.class).inNamespace(NAMESPACE).list().getItems().stream()
            .allMatch(BenchLab::ready)
        && api.client().resources(Tunnel.class).inNamespace(NAMESPACE).list().getItems().stream()
            .allMatch(BenchLab::ready);
  }

  static boolean ready(CustomResource<?, ? extends HomelabStatus> object) {
    HomelabStatus status = object.getStatus();
    if (status == null || status.getConditions() == null) {
      return false;
    }
    Long generation = object.getMetadata().getGeneration();
    return status.getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .anyMatch(c -> "True".equals(c.getStatus()) && generationMatches(c, generation));
  }

  private static boolean generationMatches(Condition c, Long generation) {
    return generation == null || generation.equals(c.getObservedGeneration());
  }

  /** What every simulated system has answered so far. */
  public Counts counts() {
    Map<String, Long> reads = new LinkedHashMap<>();
    Map<String, Long> writes = new LinkedHashMap<>();
    reads.put(Counts.PROXMOX, (long) pve.reads());
    writes.put(Counts.PROXMOX, (long) pve.writes());
    reads.put(Counts.NPM, npm.server().reads());
    writes.put(Counts.NPM, npm.server().writes());
    reads.put(Counts.CLOUDFLARE, cloudflare.server().reads());
    writes.put(Counts.CLOUDFLARE, cloudflare.server().writes());
    reads.put(Counts.CADDY, caddy.server().reads());
    writes.put(Counts.CADDY, caddy.server().writes());
    List<String> commands = edge.commands();
    long sshWrites = commands.stream().filter(BenchLab::changesTheEdge).count();
    reads.put(Counts.SSH, commands.size() - sshWrites);
    writes.put(Counts.SSH, sshWrites);
    return new Counts(reads, writes, cloudflare.server().answered(429));
  }

  /**
   * Whether a command run on the edge changes it: one that writes a file, loads a WireGuard config
   * or deletes something. The others only look ({@code wg show dump}, {@code ip link show}). The
   * shell functions every script starts with (one line each: {@code conf_write() { ... }}) define
   * and do nothing, so they do not count.
   */
  static boolean changesTheEdge(String command) {
    String body =
        java.util.Arrays.stream(command.split("\n"))
            .map(line -> line.startsWith("bash -c '") ? line.substring("bash -c '".length()) : line)
            .filter(line -> !FUNCTION_DEFINITION.matcher(line).matches())
            .collect(java.util.stream.Collectors.joining("\n"));
    return body.contains("conf_write ")
        || body.contains("conf_remove ")
        || body.contains("cat > ")
        || body.contains("syncconf")
        || body.contains("rm -f")
        || body.contains(" del ");
  }

  private static final java.util.regex.Pattern FUNCTION_DEFINITION =
      java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*\\(\\) \\{.*\\}");

  /** Requests Proxmox refused because a guest or a clone's template was locked. */
  public int proxmoxLockRefusals() {
    return pve.cluster().lockRefusals();
  }

  /** Every Proxmox request so far, as {@code METHOD path}. */
  public List<String> proxmoxRequests() {
    return pve.requests();
  }

  /** From the start of the operator's JVM until its readiness endpoint answered 200. */
  public Duration operatorStart() {
    return operatorStart;
  }

  /** What Quarkus logged as its own start time ("started in 1.234s"), if it did. */
  public Optional<Duration> quarkusStartedIn() {
    try {
      for (String line :
          Files.readAllLines(
              settings.dir().toAbsolutePath().resolve("operator/operator.log"),
              StandardCharsets.UTF_8)) {
        Matcher m = STARTED.matcher(line);
        if (m.find()) {
          return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(m.group(1)) * 1000)));
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * Heap used by the operator, in bytes, as its own metric {@code
   * jvm_memory_used_bytes{area="heap"}} reports it; after a full GC ({@code jcmd <pid> GC.run})
   * when {@code afterGc}.
   */
  public long heapUsed(boolean afterGc) {
    if (afterGc) {
      try {
        Process jcmd =
            new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(operator.pid()),
                    "GC.run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        jcmd.waitFor();
      } catch (IOException e) {
        throw new UncheckedIOException("jcmd could not run a GC in the operator", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    long sum = 0;
    for (String line : metrics().split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** The operator process's resident set size, in bytes ({@code VmRSS} of /proc). */
  public long rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", operator.pid() + "", "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the operator's /proc status", e);
    }
    throw new IllegalStateException("no VmRSS in the operator's /proc status");
  }

  private String metrics() {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + operator.httpPort() + "/q/metrics"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the operator's metrics", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Stops the operator as Ctrl-C would, giving its shutdown {@code grace}; the rest of the lab runs
   * on until {@link #close()}.
   *
   * @return whether it ended within {@code grace}
   */
  public boolean stopOperator(Duration grace) {
    return operator.stop(grace);
  }

  /** How the operator's process ended, or -1 while it runs. */
  public int operatorExitValue() {
    return operator.exitValue();
  }

  public KubernetesClient client() {
    return api.client();
  }

  @Override
  public void close() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        // the rest is stopped all the same
      }
    }
  }
}
