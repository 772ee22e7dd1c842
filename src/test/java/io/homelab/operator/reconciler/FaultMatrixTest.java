package io.homelab.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homelab.operator.api.Condition;
import io.homelab.operator.api.HomelabStatus;
import io.homelab.operator.api.SecretKeyRef;
import io.homelab.operator.api.edge.CaddyIssuer;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeCaddy;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.route.RouteAccess;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.sandbox.HttpFaults;
import io.homelab.operator.sandbox.caddy.CaddyAdminSimulator;
import io.homelab.operator.sandbox.cloudflare.CloudflareSimulator;
import io.homelab.operator.sandbox.edge.SimulatedEdge;
import io.homelab.operator.sandbox.npm.NpmSimulator;
import io.homelab.operator.sandbox.proxmox.ProxmoxSimulator;
import io.homelab.operator.sandbox.proxmox.SimulatedCluster.SimGuest;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.testing.CloudflarePort;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The fault matrix: every external system (Proxmox, NPM, Cloudflare, Caddy, SSH to the VPS) times
 * every fault (a 5xx, a timeout, a connection reset, 429 with Retry-After, revoked credentials)
 * times every operation (create, update, delete), 75 cells, each with the same four assertions:
 *
 * <ol>
 *   <li>while the fault lasts, the cell's object shows {@code Ready=False} with a reason that names
 *       the system;
 *   <li>the attempts the faulted system sees stay few (backoff, no hot loop): at most {@value
 *       #MAX_ATTEMPTS_PER_SECOND} a second per group of three cells, over a window of at least
 *       {@value #WINDOW_SECONDS} s;
 *   <li>while every group is faulted, new objects on healthy systems (a Route and a Guest) still
 *       converge;
 *   <li>after the fault clears, the cell converges (its object Ready, or gone) and the system holds
 *       exactly what is desired: nothing twice, nothing of a deleted object.
 * </ol>
 *
 * <p>So that the matrix runs in about two minutes, the cells run at once against one operator, each
 * group of three (one system, one fault) against a target of its own: an NPM simulator per group, a
 * Proxmox simulator per group, a Caddy admin simulator per Edge, and, where one simulator serves
 * everybody, a fault scoped to the group's credentials (Cloudflare: the group's API token; the VPS:
 * the group's SSH login on the one simulated edge). The SSH column maps the HTTP faults onto SSH:
 * the command fails on the server (5xx), the command never ends (timeout), the connection drops
 * while the command runs (reset), sessions are refused (429: sshd's MaxSessions), the login key is
 * revoked and live connections closed (credentials).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(FaultMatrixProfile.class)
class FaultMatrixTest {

  static final String NAMESPACE = "faults";
  static final String NPM_IDENTITY = "admin@example.com";
  static final String NPM_SECRET = "fault-matrix-password";
  static final String PVE_TOKEN = "homelab@pve!operator";
  static final String PVE_SECRET = "fault-matrix-token-secret";
  static final int MAX_ATTEMPTS_PER_SECOND = 2;
  static final long WINDOW_SECONDS = 10;
  static final Duration SETUP_DEADLINE = Duration.ofSeconds(150);
  static final Duration FAULT_DEADLINE = Duration.ofSeconds(60);

  /**
   * Longer than the capped backoff (5 min): an object whose retries spread out while its system was
   * down converges at its next retry after the fault cleared.
   */
  static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(330);

  enum Sys {
    PROXMOX("Proxmox", "pve", "Proxmox"),
    NPM("NPM", "npm", "Npm"),
    CLOUDFLARE("Cloudflare", "cf", "Cloudflare"),
    CADDY("Caddy", "caddy", "Caddy"),
    /** The VPS: SSH, and WireGuard as the commands run there report it. */
    SSH("SSH to the VPS", "ssh", "Ssh|WireGuard");

    final String label;
    final String prefix;
    final String reasonNames;

    Sys(String label, String prefix, String reasonNames) {
      this.label = label;
      this.prefix = prefix;
      this.reasonNames = reasonNames;
    }
  }

  enum Op {
    CREATE,
    UPDATE,
    DELETE;

    String slug() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  record Cell(Group group, Op op) {
    String name() {
      return group.sys.label + " × " + group.faultLabel() + " × " + op.slug();
    }

    String objectName() {
      return group.id() + "-" + op.slug();
    }
  }

  private static SimulatedEdge edge;
  private static final List<AutoCloseable> started = new ArrayList<>();

  @Inject KubernetesClient client;

  @ConfigProperty(name = "homelab.cloudflare.api-url")
  URI cloudflareUrl;

  private Homelab lab;
  private CloudflareSimulator cloudflare;
  private NpmSimulator baseNpm;
  private ProxmoxSimulator basePve;
  private final Map<Cell, List<String>> problems = new LinkedHashMap<>();
  private final List<String> report = new ArrayList<>();
  private final Map<String, Instant> doneAt = new LinkedHashMap<>();

  @AfterAll
  static void stop() {
    CloudflarePort.stopSimulator();
    Homelab.closeAll(started);
    if (edge != null) {
      edge.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> everySystemTimesEveryFaultTimesEveryOperation() {
    List<Group> groups = new ArrayList<>();
    int index = 1;
    for (Sys sys : Sys.values()) {
      for (HttpFaults.Kind kind : HttpFaults.Kind.values()) {
        groups.add(new Group(sys, kind, index++));
      }
    }
    List<Cell> cells =
        groups.stream().flatMap(g -> Stream.of(Op.values()).map(op -> new Cell(g, op))).toList();
    cells.forEach(c -> problems.put(c, new ArrayList<>()));
    RuntimeException aborted = null;
    try {
      run(groups, cells);
    } catch (RuntimeException | AssertionError e) {
      aborted = new IllegalStateException("the fault matrix could not run: " + e, e);
    }
    System.out.println(String.join("\n", report));
    RuntimeException scenario = aborted;
    return cells.stream()
        .map(
            cell ->
                dynamicTest(
                    cell.name(),
                    () -> {
                      if (scenario != null) {
                        throw scenario;
                      }
                      assertThat(problems.get(cell)).as(cell.name()).isEmpty();
                    }));
  }

  private void run(List<Group> groups, List<Cell> cells) {
    startShared();
    groups.forEach(Group::prepare);
    for (Cell cell : cells) {
      if (cell.op() != Op.CREATE) {
        cell.group().createObject(cell);
      }
    }
    awaitAll(
        "before the faults: every Edge, Tunnel and the objects to update and delete Ready",
        SETUP_DEADLINE,
        groups.stream()
            .flatMap(
                g ->
                    Stream.concat(
                        g.infrastructure().stream(),
                        Stream.of(Op.UPDATE, Op.DELETE)
                            .map(op -> g.readyCheck(new Cell(g, op).objectName()))))
            .collect(
                Collectors.toMap(
                    Check::what,
                    Check::check,
                    (a, b) -> a,
                    LinkedHashMap<String, Supplier<String>>::new)));

    // The faults, all at once; then the operations.
    groups.forEach(Group::inject);
    Instant faulted = Instant.now();
    for (Cell cell : cells) {
      switch (cell.op()) {
        case CREATE -> cell.group().createObject(cell);
        case UPDATE -> cell.group().update(cell);
        case DELETE -> lab.delete(cell.group().kind(), cell.objectName());
      }
    }
    Map<Cell, Supplier<String>> faultShows = new LinkedHashMap<>();
    cells.forEach(c -> faultShows.put(c, () -> c.group().faultShows(c)));
    awaitCells("while the fault lasts", FAULT_DEADLINE, faultShows);

    // Other objects on other systems converge while every group is faulted.
    Map<Group, Integer> hitsBefore = new LinkedHashMap<>();
    groups.forEach(g -> hitsBefore.put(g, g.hits()));
    Instant windowStart = Instant.now();
    lab.route("sentinel", "sentinel.base.test", r -> r.getSpec().getTunnelRef().setName("base"));
    lab.guest(
        g -> {
          g.getMetadata().setName("sentinel");
          guestSpec(g, "pve-base", 250);
        });
    String sentinels =
        awaitUntil(
            FAULT_DEADLINE,
            () ->
                Stream.of(
                        readyProblem(Route.class, "sentinel"),
                        readyProblem(Guest.class, "sentinel"))
                    .filter(Objects::nonNull)
                    .findFirst()
                    .orElse(null));
    if (sentinels != null) {
      cells.forEach(
          c ->
              problems
                  .get(c)
                  .add("other systems did not converge during the faults: " + sentinels));
    }
    awaitUntil(
        Duration.ofSeconds(WINDOW_SECONDS + 5),
        () ->
            Duration.between(windowStart, Instant.now()).toSeconds() >= WINDOW_SECONDS
                ? null
                : "the window is not over");
    double seconds = Duration.between(windowStart, Instant.now()).toMillis() / 1000.0;
    report.add(
        String.format(
            Locale.ROOT,
            "fault matrix: faults on at %s; attempts per group over a %.1f s window (max %d/s):",
            faulted,
            seconds,
            MAX_ATTEMPTS_PER_SECOND));
    for (Group g : groups) {
      int attempts = g.hits() - hitsBefore.get(g);
      report.add(
          String.format(
              Locale.ROOT,
              "  %-14s x %-20s %3d attempts in the window, %4d while the fault lasted",
              g.sys.label,
              g.faultLabel(),
              attempts,
              g.hits()));
      if (attempts > MAX_ATTEMPTS_PER_SECOND * seconds) {
        for (Op op : Op.values()) {
          problems
              .get(new Cell(g, op))
              .add(
                  String.format(
                      Locale.ROOT,
                      "hot loop: %d attempts in %.1f s while the fault lasted",
                      attempts,
                      seconds));
        }
      }
      if (g.hits() == 0) {
        for (Op op : Op.values()) {
          problems.get(new Cell(g, op)).add("the fault was never hit: the cell tested nothing");
        }
      }
    }
    // Deletions wait for the system: nothing is forgotten while it is down.
    for (Cell cell : cells) {
      if (cell.op() == Op.DELETE && lab.get(cell.group().kind(), cell.objectName()) == null) {
        problems
            .get(cell)
            .add("the object was gone while its system was faulted: its cleanup could not run");
      }
    }

    groups.forEach(Group::clear);
    Instant cleared = Instant.now();
    Map<Cell, Supplier<String>> converged = new LinkedHashMap<>();
    cells.forEach(c -> converged.put(c, () -> c.group().converged(c)));
    doneAt.clear();
    awaitCells("after the fault cleared", RECOVERY_DEADLINE, converged);
    report.add(
        "fault matrix: every cell converged or timed out "
            + Duration.between(cleared, Instant.now()).toSeconds()
            + " s after the faults cleared; per group, the slowest cell:");
    for (Group g : groups) {
      long slowest =
          Stream.of(Op.values())
              .map(op -> doneAt.get(new Cell(g, op).name()))
              .mapToLong(t -> t == null ? -1 : Duration.between(cleared, t).toSeconds())
              .max()
              .orElse(-1);
      report.add(
          String.format(
              Locale.ROOT,
              "  %-14s x %-20s %s",
              g.sys.label,
              g.faultLabel(),
              slowest < 0 ? "did not converge" : slowest + " s"));
    }
    for (Group g : groups) {
      List<String> external = g.exactlyDesired();
      for (Op op : Op.values()) {
        problems.get(new Cell(g, op)).addAll(external);
      }
    }
    List<String> base = baseExactlyDesired();
    cells.forEach(c -> problems.get(c).addAll(base));
  }

  private void startShared() {
    Path dir;
    try {
      dir = Files.createTempDirectory("homelab-fault-matrix-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    edge = SimulatedEdge.start(dir.resolve("edge"));
    cloudflare = CloudflarePort.simulator(cloudflareUrl);
    baseNpm = npm();
    basePve = pve();
    lab = new Homelab(client, NAMESPACE).npmAt(baseNpm.apiUrl());
    lab.secret("vps-ssh", Map.of("id_ed25519", edge.clientKey()));
    lab.secret("npm-login", Map.of("identity", NPM_IDENTITY, "secret", NPM_SECRET));
    lab.create(basePve.connectionSecret(NAMESPACE, "pve-base"));
    cloudflare.addZone("base.test");
    cloudflare.addToken("token-base");
    lab.secret("cf-base", Map.of("apiToken", "token-base"));
    CaddyAdminSimulator caddy = track(new CaddyAdminSimulator());
    edge("base", 0, caddy, "base.test", "cf-base");
    tunnel("base", "base", baseNpm, 0);
  }

  /** One system and one fault: the target of three cells, and its own slice of the systems. */
  final class Group {
    final Sys sys;
    final HttpFaults.Kind kind;
    final int index;
    NpmSimulator npm;
    ProxmoxSimulator pve;
    CaddyAdminSimulator caddy;
    String zoneId;
    HttpFaults.Active httpFault;
    SimulatedEdge.Injected sshFault;

    Group(Sys sys, HttpFaults.Kind kind, int index) {
      this.sys = sys;
      this.kind = kind;
      this.index = index;
    }

    String id() {
      return sys.prefix + "-" + kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    String faultLabel() {
      return switch (kind) {
        case UNAVAILABLE -> sys == Sys.SSH ? "command fails" : "5xx";
        case TIMEOUT -> "timeout";
        case CONNECTION_RESET -> "connection reset";
        case RATE_LIMITED -> sys == Sys.SSH ? "sessions refused" : "429 Retry-After";
        case CREDENTIALS_REVOKED -> "credentials revoked";
      };
    }

    String hostname(Op op) {
      return switch (sys) {
        case NPM -> id() + "-" + op.slug() + ".base.test";
        default -> op.slug() + "." + id() + ".test";
      };
    }

    Class<? extends CustomResource<?, ? extends HomelabStatus>> kind() {
      return switch (sys) {
        case PROXMOX -> Guest.class;
        case SSH -> Tunnel.class;
        default -> Route.class;
      };
    }

    /** The group's Edge, Tunnel and simulators, before any cell object. */
    void prepare() {
      switch (sys) {
        case PROXMOX -> {
          pve = pve();
          lab.create(pve.connectionSecret(NAMESPACE, id()));
        }
        case NPM -> {
          npm = npm();
          tunnel(id(), "base", npm, index);
        }
        case CLOUDFLARE -> {
          zoneId = cloudflare.addZone(id() + ".test");
          cloudflare.addToken("token-" + id());
          lab.secret(id(), Map.of("apiToken", "token-" + id()));
          edge(id(), index, track(new CaddyAdminSimulator()), id() + ".test", id());
          tunnel(id(), id(), baseNpm, index);
        }
        case CADDY -> {
          caddy = track(new CaddyAdminSimulator());
          edge(id(), index, caddy, null, null);
          tunnel(id(), id(), baseNpm, index);
        }
        case SSH -> edge(id(), index, track(new CaddyAdminSimulator()), null, null);
      }
    }

    /** What must be Ready before the faults, besides the cells' objects. */
    List<Check> infrastructure() {
      return switch (sys) {
        case PROXMOX -> List.of();
        case NPM -> List.of(check(Tunnel.class, id()));
        case SSH -> List.of(check(Edge.class, id()));
        default -> List.of(check(Edge.class, id()), check(Tunnel.class, id()));
      };
    }

    Check readyCheck(String name) {
      return check(kind(), name);
    }

    void createObject(Cell cell) {
      String name = cell.objectName();
      switch (sys) {
        case PROXMOX ->
            lab.guest(
                g -> {
                  g.getMetadata().setName(name);
                  guestSpec(g, id(), 10 + cell.op().ordinal());
                  if (cell.op() == Op.DELETE) {
                    g.getSpec().setDeletionPolicy(io.homelab.operator.api.DeletionPolicy.Delete);
                  }
                });
        case SSH ->
            lab.tunnel(
                name,
                t -> {
                  t.getSpec().getEdgeRef().setName(id());
                  t.getSpec().setAllowedIPs(List.of(lan(index, cell.op().ordinal())));
                });
        default ->
            lab.route(name, hostname(cell.op()), r -> r.getSpec().getTunnelRef().setName(id()));
      }
    }

    /** The update cell's change, as a person would make it. */
    void update(Cell cell) {
      String name = cell.objectName();
      switch (sys) {
        case PROXMOX -> lab.edit(Guest.class, name, g -> g.getSpec().setCores(3));
        case NPM ->
            lab.edit(Route.class, name, r -> r.getSpec().getBackend().setAddress(UPDATED_BACKEND));
        case CLOUDFLARE -> lab.edit(Route.class, name, r -> r.getSpec().getDns().setProxied(true));
        case CADDY ->
            lab.edit(
                Route.class,
                name,
                r -> {
                  RouteAccess access = new RouteAccess();
                  access.setAllowedCidrs(List.of(UPDATED_CIDR));
                  r.getSpec().setAccess(access);
                });
        case SSH ->
            lab.edit(
                Tunnel.class,
                name,
                t ->
                    t.getSpec()
                        .setAllowedIPs(List.of(lan(index, Op.UPDATE.ordinal()), UPDATED_LAN)));
      }
    }

    void inject() {
      switch (sys) {
        case PROXMOX -> httpFault = pve.faults().inject(kind);
        case NPM -> httpFault = npm.server().faults().inject(kind);
        case CADDY -> httpFault = caddy.server().faults().inject(kind);
        case CLOUDFLARE -> {
          String bearer = "Bearer token-" + id();
          httpFault =
              cloudflare
                  .server()
                  .faults()
                  .inject(
                      kind,
                      exchange ->
                          bearer.equals(exchange.getRequestHeaders().getFirst("Authorization")));
        }
        case SSH -> sshFault = edge.inject(sshFault(kind), id());
      }
    }

    void clear() {
      if (httpFault != null) {
        httpFault.clear();
      }
      if (sshFault != null) {
        sshFault.clear();
      }
    }

    int hits() {
      return httpFault != null ? httpFault.hits() : sshFault != null ? sshFault.hits() : 0;
    }

    /** Null when the cell's object shows the fault as it should; else what it shows. */
    String faultShows(Cell cell) {
      CustomResource<?, ? extends HomelabStatus> object = lab.get(kind(), cell.objectName());
      if (object == null) {
        return "the object is gone";
      }
      Condition ready = Homelab.condition(object, ConditionType.READY).orElse(null);
      if (ready == null) {
        return "no Ready condition";
      }
      if (cell.op() != Op.DELETE
          && !Objects.equals(ready.getObservedGeneration(), object.getMetadata().getGeneration())) {
        return "Ready is for generation "
            + ready.getObservedGeneration()
            + ", not "
            + object.getMetadata().getGeneration()
            + " ("
            + describe(ready)
            + ")";
      }
      if (!"False".equals(ready.getStatus())
          || !java.util.regex.Pattern.compile(sys.reasonNames).matcher(ready.getReason()).find()) {
        return "Ready is " + describe(ready) + ", expected False with a reason naming " + sys.label;
      }
      return null;
    }

    /** Null when the cell's object converged after the fault: Ready for its generation, or gone. */
    String converged(Cell cell) {
      if (cell.op() == Op.DELETE) {
        return lab.get(kind(), cell.objectName()) == null ? null : "the object is still there";
      }
      return readyProblem(kind(), cell.objectName());
    }

    /** The system holds exactly the group's live objects: nothing twice, nothing deleted. */
    List<String> exactlyDesired() {
      List<String> found = new ArrayList<>();
      switch (sys) {
        case NPM -> {
          Map<String, Long> domains = domains(npm);
          expect(found, "NPM proxy hosts", domains, hostname(Op.CREATE), hostname(Op.UPDATE));
          boolean updated =
              npm.hosts(NpmSimulator.HostKind.PROXY).values().stream()
                  .anyMatch(
                      h ->
                          h.path("domain_names").path(0).asText().equals(hostname(Op.UPDATE))
                              && UPDATED_BACKEND.startsWith(h.path("forward_host").asText() + ":"));
          if (!updated) {
            found.add("NPM: the updated proxy host does not forward to " + UPDATED_BACKEND);
          }
        }
        case CLOUDFLARE -> {
          List<ObjectNode> records = cloudflare.records(zoneId);
          expect(
              found,
              "Cloudflare records",
              count(records, r -> r.path("name").asText()),
              hostname(Op.CREATE),
              hostname(Op.UPDATE));
          if (records.stream()
              .noneMatch(
                  r ->
                      r.path("name").asText().equals(hostname(Op.UPDATE))
                          && r.path("proxied").asBoolean())) {
            found.add("Cloudflare: the updated record is not proxied");
          }
        }
        case CADDY -> {
          List<JsonNode> routes = caddyRoutes(caddy);
          expect(
              found,
              "Caddy routes",
              count(routes, FaultMatrixTest::caddyHost),
              hostname(Op.CREATE),
              hostname(Op.UPDATE));
          if (routes.stream()
              .noneMatch(
                  r ->
                      caddyHost(r).equals(hostname(Op.UPDATE))
                          && r.toString().contains(UPDATED_CIDR))) {
            found.add("Caddy: the updated route does not allow only " + UPDATED_CIDR);
          }
        }
        case SSH -> {
          List<String[]> peers = peers(edge, "wg" + index);
          Map<String, String> keys = new LinkedHashMap<>();
          for (Op op : List.of(Op.CREATE, Op.UPDATE)) {
            Tunnel t = lab.get(Tunnel.class, new Cell(this, op).objectName());
            keys.put(
                t == null || t.getStatus() == null ? "(no key)" : t.getStatus().getPublicKey(),
                op.slug());
          }
          Map<String, Long> byTunnel =
              peers.stream()
                  .collect(
                      Collectors.groupingBy(
                          p -> keys.getOrDefault(p[0], "unknown peer " + p[0]),
                          LinkedHashMap::new,
                          Collectors.counting()));
          expect(found, "WireGuard peers", byTunnel, "create", "update");
          if (peers.stream().noneMatch(p -> p.length > 3 && p[3].contains(UPDATED_LAN))) {
            found.add("WireGuard: no peer allows " + UPDATED_LAN);
          }
        }
        case PROXMOX -> {
          Map<String, Long> guests = new LinkedHashMap<>();
          Map<Integer, String> vmids = new LinkedHashMap<>();
          for (Op op : List.of(Op.CREATE, Op.UPDATE)) {
            Guest g = lab.get(Guest.class, new Cell(this, op).objectName());
            if (g != null && g.getStatus() != null && g.getStatus().getVmid() != null) {
              vmids.put(g.getStatus().getVmid(), op.slug());
            }
          }
          for (SimGuest g : pve.cluster().guests()) {
            guests.merge(vmids.getOrDefault(g.vmid(), "unknown VM " + g.vmid()), 1L, Long::sum);
          }
          expect(found, "Proxmox guests", guests, "create", "update");
          pve.cluster().guests().stream()
              .filter(g -> "update".equals(vmids.get(g.vmid())))
              .filter(g -> !"3".equals(g.config().get("cores")))
              .forEach(
                  g -> found.add("Proxmox: the updated VM has cores " + g.config().get("cores")));
        }
      }
      return found;
    }
  }

  /** A check of one object: null when it holds, else what is wrong. */
  record Check(String what, Supplier<String> check) {}

  private Check check(
      Class<? extends CustomResource<?, ? extends HomelabStatus>> kind, String name) {
    return new Check(kind.getSimpleName() + " " + name, () -> readyProblem(kind, name));
  }

  static final String UPDATED_BACKEND = "192.168.1.21:5000";
  static final String UPDATED_CIDR = "10.0.0.0/8";
  static final String UPDATED_LAN = "172.16.99.0/24";

  private static String lan(int group, int op) {
    return "192.168." + (group * 4 + op) + ".0/24";
  }

  private static SimulatedEdge.Fault sshFault(HttpFaults.Kind kind) {
    return switch (kind) {
      case UNAVAILABLE -> SimulatedEdge.Fault.COMMAND_FAILS;
      case TIMEOUT -> SimulatedEdge.Fault.HANGS;
      case CONNECTION_RESET -> SimulatedEdge.Fault.DROPS_CONNECTION;
      case RATE_LIMITED -> SimulatedEdge.Fault.REFUSES_SESSIONS;
      case CREDENTIALS_REVOKED -> SimulatedEdge.Fault.KEY_REVOKED;
    };
  }

  private void edge(String name, int index, CaddyAdminSimulator caddy, String zone, String token) {
    lab.edge(
        e -> {
          e.getMetadata().setName(name);
          e.getSpec().getPublicAddress().setIpv4("203.0.113." + (10 + index));
          e.getSpec().getSsh().setHost(SimulatedEdge.HOST);
          e.getSpec().getSsh().setPort(edge.port());
          e.getSpec().getSsh().setHostKey(edge.hostKey());
          e.getSpec().getSsh().setUser(name);
          e.getSpec().getSsh().setConnectTimeoutSeconds(2);
          e.getSpec().getSsh().setCommandTimeoutSeconds(2);
          e.getSpec().getWireguard().setInterfaceName("wg" + index);
          e.getSpec().getWireguard().setListenPort(51820 + index);
          e.getSpec().getWireguard().setNetwork("10.90." + index + ".0/24");
          EdgeCaddy spec = new EdgeCaddy();
          spec.setIssuer(CaddyIssuer.Internal);
          spec.setAdminAddress(caddy.adminAddress());
          spec.setListen(List.of(SimulatedEdge.HOST + ":" + freePort()));
          e.getSpec().setCaddy(spec);
          if (zone == null) {
            e.getSpec().setDns(null);
          } else {
            e.getSpec().getDns().setZone(zone);
            e.getSpec().getDns().setApiTokenSecretRef(new SecretKeyRef(token, "apiToken"));
          }
          e.getSpec()
              .getAllowedRoutes()
              .setHostnames(List.of(zone == null ? name + ".test" : zone));
        });
  }

  private void tunnel(String name, String edgeName, NpmSimulator npm, int index) {
    lab.tunnel(
        name,
        t -> {
          t.getSpec().getEdgeRef().setName(edgeName);
          t.getSpec().getProxyManager().setUrl(npm.apiUrl().toString());
          t.getSpec().setAllowedIPs(List.of(lan(index, 3)));
        });
  }

  private static void guestSpec(Guest g, String secret, int host) {
    g.getSpec().getProxmox().getConnectionSecretRef().setName(secret);
    g.getSpec().setDisks(null);
    g.getSpec().getNetwork().getIpv4().setAddress("10.50.0." + host + "/24");
    g.getSpec().getNetwork().getIpv4().setGateway("10.50.0.1");
  }

  private NpmSimulator npm() {
    NpmSimulator npm = track(new NpmSimulator(Clock.systemUTC()));
    npm.addUser(NPM_IDENTITY, NPM_SECRET, false);
    return npm;
  }

  private ProxmoxSimulator pve() {
    ProxmoxSimulator pve =
        track(ProxmoxSimulator.start(PVE_TOKEN, PVE_SECRET, Duration.ofMillis(50), "pve1"));
    pve.cluster().addTemplate("pve1", 9000, "qemu", "debian-12-cloud");
    return pve;
  }

  private static <T extends AutoCloseable> T track(T resource) {
    started.add(resource);
    return resource;
  }

  /** Null when the object is Ready=True for its generation, else what it shows. */
  private String readyProblem(
      Class<? extends CustomResource<?, ? extends HomelabStatus>> kind, String name) {
    CustomResource<?, ? extends HomelabStatus> object = lab.get(kind, name);
    if (object == null) {
      return kind.getSimpleName() + " " + name + " does not exist";
    }
    Condition ready = Homelab.condition(object, ConditionType.READY).orElse(null);
    if (ready == null) {
      return kind.getSimpleName() + " " + name + " has no Ready condition";
    }
    if (!"True".equals(ready.getStatus())
        || !Objects.equals(ready.getObservedGeneration(), object.getMetadata().getGeneration())) {
      return kind.getSimpleName()
          + " "
          + name
          + " generation "
          + object.getMetadata().getGeneration()
          + ": Ready "
          + describe(ready);
    }
    return null;
  }

  private static String describe(Condition c) {
    return c.getStatus()
        + "/"
        + c.getReason()
        + " (generation "
        + c.getObservedGeneration()
        + "): "
        + c.getMessage();
  }

  /** What the whole base shows: the base NPM holds each live Route once, no deleted one. */
  private List<String> baseExactlyDesired() {
    List<String> found = new ArrayList<>();
    Map<String, Long> domains = domains(baseNpm);
    domains.forEach(
        (domain, n) -> {
          if (n > 1) {
            found.add("base NPM: " + n + " proxy hosts for " + domain);
          }
          if (domain.startsWith("delete.")) {
            found.add("base NPM: the proxy host of the deleted " + domain + " is left");
          }
        });
    return found;
  }

  private static void expect(
      List<String> found, String what, Map<String, Long> counts, String... wanted) {
    for (String w : wanted) {
      long n = counts.getOrDefault(w, 0L);
      if (n != 1) {
        found.add(what + ": " + n + " for " + w + " (all: " + counts + ")");
      }
    }
    counts.keySet().stream()
        .filter(k -> !List.of(wanted).contains(k))
        .forEach(k -> found.add(what + ": left over " + k + " (all: " + counts + ")"));
  }

  private static Map<String, Long> domains(NpmSimulator npm) {
    return count(
        npm.hosts(NpmSimulator.HostKind.PROXY).values(),
        h -> h.path("domain_names").path(0).asText());
  }

  private static <T> Map<String, Long> count(Collection<T> items, Function<T, String> key) {
    return items.stream()
        .collect(Collectors.groupingBy(key, LinkedHashMap::new, Collectors.counting()));
  }

  private static List<JsonNode> caddyRoutes(CaddyAdminSimulator caddy) {
    List<JsonNode> routes = new ArrayList<>();
    caddy
        .config()
        .path("apps")
        .path("http")
        .path("servers")
        .path("homelab")
        .path("routes")
        .forEach(routes::add);
    return routes;
  }

  /** The first host a Caddy route matches, anywhere in its matchers. */
  private static String caddyHost(JsonNode route) {
    JsonNode host = route.findValue("host");
    return host == null ? "(no host) " + route.path("@id").asText() : host.path(0).asText();
  }

  private static List<String[]> peers(SimulatedEdge edge, String iface) {
    Path file = edge.dir().resolve("state").resolve(iface).resolve("peers");
    try {
      return Files.readAllLines(file).stream()
          .filter(l -> !l.isBlank())
          .map(l -> l.split("\t"))
          .toList();
    } catch (IOException e) {
      return java.util.Collections.singletonList(
          new String[] {"(cannot read " + file + ": " + e + ")"});
    }
  }

  private void awaitAll(String phase, Duration deadline, Map<String, Supplier<String>> checks) {
    Map<String, String> left = awaitChecks(deadline, checks);
    if (!left.isEmpty()) {
      throw new AssertionError(phase + ": not reached within " + deadline + ": " + left);
    }
  }

  private void awaitCells(String phase, Duration deadline, Map<Cell, Supplier<String>> checks) {
    Map<String, Supplier<String>> byName = new LinkedHashMap<>();
    Map<String, Cell> cells = new LinkedHashMap<>();
    checks.forEach(
        (cell, check) -> {
          byName.put(cell.name(), check);
          cells.put(cell.name(), cell);
        });
    awaitChecks(deadline, byName, doneAt)
        .forEach((name, last) -> problems.get(cells.get(name)).add(phase + ": " + last));
  }

  /** Polls every check until all hold or the deadline passes; returns the last problem of each. */
  private static Map<String, String> awaitChecks(
      Duration deadline, Map<String, Supplier<String>> checks) {
    return awaitChecks(deadline, checks, new LinkedHashMap<>());
  }

  /** As above, and records when each check first held. */
  private static Map<String, String> awaitChecks(
      Duration deadline, Map<String, Supplier<String>> checks, Map<String, Instant> doneAt) {
    Map<String, Supplier<String>> pending = new LinkedHashMap<>(checks);
    Map<String, String> last = new LinkedHashMap<>();
    Instant end = Instant.now().plus(deadline);
    while (!pending.isEmpty()) {
      for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
        var entry = it.next();
        String problem;
        try {
          problem = entry.getValue().get();
        } catch (RuntimeException e) {
          problem = e.toString();
        }
        if (problem == null) {
          it.remove();
          last.remove(entry.getKey());
          doneAt.put(entry.getKey(), Instant.now());
        } else {
          last.put(entry.getKey(), problem);
        }
      }
      if (pending.isEmpty() || Instant.now().isAfter(end)) {
        break;
      }
      pause();
    }
    return last;
  }

  private static String awaitUntil(Duration deadline, Supplier<String> check) {
    return awaitChecks(deadline, Map.of("check", check)).get("check");
  }

  private static void pause() {
    // Polling the API server and the simulators, as Awaitility would, at a fixed interval.
    org.awaitility.Awaitility.await()
        .pollDelay(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> true);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
