package io.homelab.operator.reconciler.edge;

import io.homelab.operator.api.DeletionPolicy;
import io.homelab.operator.api.SecretKeyRef;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeCaddy;
import io.homelab.operator.api.edge.EdgeDnsName;
import io.homelab.operator.api.edge.EdgeStatus;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.config.OperatorSettings;
import io.homelab.operator.driver.DriverException;
import io.homelab.operator.driver.HostAccess;
import io.homelab.operator.driver.caddy.CaddyConnections;
import io.homelab.operator.driver.caddy.CaddyDriver;
import io.homelab.operator.driver.cloudflare.CloudflareConnections;
import io.homelab.operator.driver.ssh.SshConnections;
import io.homelab.operator.driver.wireguard.InterfaceConfig;
import io.homelab.operator.driver.wireguard.WireGuardDriver;
import io.homelab.operator.driver.wireguard.WireGuardHost;
import io.homelab.operator.driver.wireguard.WireGuardScripts;
import io.homelab.operator.model.BasicAuthAccount;
import io.homelab.operator.model.CaddyRoute;
import io.homelab.operator.model.OwnerMarker;
import io.homelab.operator.model.References;
import io.homelab.operator.model.RouteDecision;
import io.homelab.operator.model.SecretUses;
import io.homelab.operator.model.TunnelAddresses;
import io.homelab.operator.model.Verdict;
import io.homelab.operator.model.WireGuardKeys;
import io.homelab.operator.reconciler.Deletions;
import io.homelab.operator.reconciler.EventRecorder;
import io.homelab.operator.reconciler.Failures;
import io.homelab.operator.reconciler.GeneratedSecrets;
import io.homelab.operator.reconciler.Reporting;
import io.homelab.operator.reconciler.SecretHolds;
import io.homelab.operator.reconciler.Sources;
import io.homelab.operator.reconciler.SshAccesses;
import io.homelab.operator.reconciler.StatusAssembly;
import io.homelab.operator.reconciler.Suspension;
import io.homelab.operator.reconciler.WireGuardStates;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.status.Reason;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Reconciles Edges: the Secrets they name, and the Tunnels and Routes that use them; then (with the
 * drivers) SSH, WireGuard and Caddy on the VPS. An Edge's deletion waits for its Tunnels.
 */
@ControllerConfiguration(name = "edge", generationAwareEventProcessing = false)
public class EdgeReconciler implements Reconciler<Edge>, Cleaner<Edge> {

  private static final Logger LOG = Logger.getLogger(EdgeReconciler.class);

  /** The hops that make the Edge Ready. */
  static final List<String> HOPS =
      List.of(ConditionType.REACHABLE, ConditionType.WIREGUARD_READY, ConditionType.CADDY_READY);

  static final String PENDING_HOPS = "waits until the Edge's references resolve";
  static final String KEY_SECRET_SUFFIX = "-wireguard";
  static final String PRIVATE_KEY = "privateKey";
  static final String PUBLIC_KEY = "publicKey";
  static final String TOOLS_MISSING = "ToolsMissing";
  static final String CONFLICT = "Conflict";

  /** spec.dns was removed while records were published: they stay, and an Event says so. */
  static final String DNS_RECORDS_LEFT = "DnsRecordsLeft";

  /** Another Edge of this installation, made earlier, drives the same Caddy. */
  static final String CADDY_SHARED = "CaddyShared";

  static final String CONFIGURED = "Configured";
  static final String CONNECTED = "Connected";
  static final String CHANGES_PENDING = "ChangesPending";
  static final String BY_EDGE = "byEdge";
  static final String BY_TUNNEL = "byTunnel";

  @Inject Clock clock;
  @Inject Reporting reporting;
  @Inject Suspension suspension;
  @Inject Failures failures;
  @Inject Deletions deletions;
  @Inject OperatorSettings settings;
  @Inject WireGuardDriver wireguard;
  @Inject WireGuardStates states;
  @Inject SshConnections ssh;
  @Inject CaddyConnections caddyConnections;
  @Inject EventRecorder events;
  @Inject CloudflareConnections cloudflare;
  @Inject DnsZones zones;

  /** While several Routes wait to be served, Caddy and the zone are written once per window. */
  static final Duration BURST_WINDOW = Duration.ofSeconds(2);

  /** When each Edge's served host names last changed; only ever in memory. */
  private final Map<String, Instant> servedChanged = new java.util.concurrent.ConcurrentHashMap<>();

  /** Hashed basic-auth accounts by (owner marker, user, password); only ever in memory. */
  private final Map<List<String>, CaddyRoute.Account> accounts =
      new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public List<EventSource<?, Edge>> prepareEventSources(EventSourceContext<Edge> context) {
    InformerEventSource<Tunnel, Edge> tunnels =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Tunnel.class, Edge.class)
                .withName("tunnels")
                .withSecondaryToPrimaryMapper(t -> Set.of(edgeId(t)))
                .build(),
            context);
    tunnels.addIndexer(
        BY_EDGE,
        t ->
            List.of(
                Sources.key(t.getMetadata().getNamespace(), t.getSpec().getEdgeRef().getName())));
    InformerEventSource<Route, Edge> routes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Route.class, Edge.class)
                .withName("routes")
                // A Route's own progress (EdgeReady, DnsReady) changes nothing the Edge reads.
                .withOnUpdateFilter(
                    (after, before) -> !asEdgeReads(after).equals(asEdgeReads(before)))
                .withSecondaryToPrimaryMapper(
                    r ->
                        tunnels
                            .get(Sources.tunnelId(r))
                            .map(t -> Set.of(edgeId(t)))
                            .orElse(Set.of()))
                .build(),
            context);
    routes.addIndexer(BY_TUNNEL, r -> List.of(RouteDecision.tunnelKey(r)));
    return List.of(tunnels, routes, Sources.secrets(context, SecretUses::names));
  }

  @Override
  public UpdateControl<Edge> reconcile(Edge edge, Context<Edge> context) {
    try {
      Optional<Duration> collecting = collecting(edge, context);
      if (collecting.isPresent()) {
        return UpdateControl.<Edge>noUpdate().rescheduleAfter(collecting.get());
      }
      Pass pass = pass(edge, context);
      SecretHolds.hold(edge, context);
      List<String> servedBefore =
          edge.getStatus() == null ? null : edge.getStatus().getServedHostnames();
      if (!java.util.Objects.equals(servedBefore, pass.status().getServedHostnames())) {
        servedChanged.put(Sources.key(edge), clock.instant());
      }
      return reporting.patchIfChanged(edge, pass.status()).rescheduleAfter(pass.next());
    } catch (RuntimeException e) {
      EdgeStatus status =
          StatusAssembly.failed(
              edge, carryOver(edge.getStatus()), clock, Reason.RECONCILE_ERROR, e.toString());
      return reporting.patchIfChanged(edge, status).rescheduleAfter(failures.failed(edge));
    }
  }

  /**
   * How long to wait before the next pass while a burst of Routes is collected: several Routes wait
   * to be served and Caddy's routes changed less than {@link #BURST_WINDOW} ago. One Route goes out
   * at once, and so does any removal; a thousand Routes applied at once take one write of Caddy and
   * one Cloudflare batch per window, not one per pass.
   */
  private Optional<Duration> collecting(Edge edge, Context<Edge> context) {
    Instant last = servedChanged.get(Sources.key(edge));
    if (last == null || edge.getMetadata().getDeletionTimestamp() != null) {
      return Optional.empty();
    }
    Duration left = BURST_WINDOW.minus(Duration.between(last, clock.instant()));
    if (left.isNegative() || left.isZero()) {
      return Optional.empty();
    }
    Set<String> served =
        edge.getStatus() == null || edge.getStatus().getServedHostnames() == null
            ? Set.of()
            : Set.copyOf(edge.getStatus().getServedHostnames());
    Set<String> exposable = new java.util.HashSet<>();
    routesOf(tunnelsOf(edge, context), context).stream()
        .filter(EdgeReconciler::exposable)
        .forEach(r -> exposable.add(r.getSpec().getHostname()));
    boolean removals = !exposable.containsAll(served);
    long waiting = exposable.stream().filter(h -> !served.contains(h)).count();
    return removals || waiting <= 1 ? Optional.empty() : Optional.of(left);
  }

  /** What one pass over the Edge found and did: its status, and when to come back. */
  record Pass(EdgeStatus status, Duration next) {}

  /**
   * One pass over the VPS and the zone for the Edge's Tunnels and Routes: WireGuard, then DNS
   * removals, Caddy, and the records of names Caddy now serves. It runs while the Edge is deleted
   * too, as long as it waits for its Tunnels: their peers, and their Routes' records and Caddy
   * routes, go through it.
   */
  private Pass pass(Edge edge, Context<Edge> context) {
    String namespace = edge.getMetadata().getNamespace();
    Verdict resolved =
        References.checkSecrets(
                namespace, SecretUses.of(edge), Sources.secretKeys(context, namespace))
            .or(() -> invalidSecretValue(edge, context))
            .orElse(References.resolved("The Secrets are there"));
    List<Verdict> verdicts = new ArrayList<>();
    verdicts.add(Verdict.isTrue(ConditionType.ACCEPTED, Reason.ACCEPTED, "The spec is valid"));
    verdicts.add(resolved);
    EdgeStatus status = carryOver(edge.getStatus());
    List<Tunnel> tunnels = tunnelsOf(edge, context);
    status.setTunnels(tunnels.size());
    status.setRoutes(
        tunnels.stream()
            .mapToInt(
                t ->
                    Sources.cache(context, Route.class, "routes")
                        .byIndex(BY_TUNNEL, Sources.key(t))
                        .size())
            .sum());
    // One poll serves WireGuard and Caddy: the shorter of their intervals.
    Duration next =
        settings.poll().wireguard().compareTo(settings.poll().caddy()) < 0
            ? settings.poll().wireguard()
            : settings.poll().caddy();
    List<String> hops = new ArrayList<>(HOPS);
    if (edge.getSpec().getDns() != null) {
      hops.add(ConditionType.DNS_READY);
    } else {
      dnsDropped(edge, status);
    }
    if (resolved.holds()) {
      List<Route> routes = routesOf(tunnels, context);
      Drive drive = drive(edge, context, tunnels, status);
      verdicts.addAll(drive.verdicts());
      // Outside-in first: records of Routes no longer exposed go before their Caddy routes.
      Set<String> servedBefore =
          edge.getStatus() == null || edge.getStatus().getServedHostnames() == null
              ? Set.of()
              : Set.copyOf(edge.getStatus().getServedHostnames());
      DnsStep.Outcome dns =
          edge.getSpec().getDns() == null
              ? null
              : dns(
                  edge,
                  context,
                  routes,
                  r -> publishable(r) && servedBefore.contains(r.getSpec().getHostname()));
      if (drive.verdicts().get(0).holds()) {
        DnsStep.Outcome firstPass = dns;
        List<Route> serve =
            routes.stream()
                .filter(
                    r ->
                        exposable(r)
                            || (firstPass != null
                                && firstPass.published(r.getSpec().getHostname())))
                .toList();
        drive = drive.and(caddy(edge, context, tunnels, status, serve));
        verdicts.add(drive.verdicts().get(drive.verdicts().size() - 1));
        // Inside-out for the rest: a name gets its records once Caddy serves it.
        Set<String> servedNow =
            status.getServedHostnames() == null
                ? Set.of()
                : Set.copyOf(status.getServedHostnames());
        if (dns != null
            && !dns.failed()
            && dns.retryAfter() == null
            && routes.stream()
                .anyMatch(
                    r ->
                        publishable(r)
                            && servedNow.contains(r.getSpec().getHostname())
                            && !servedBefore.contains(r.getSpec().getHostname()))) {
          dns =
              dns(
                  edge,
                  context,
                  routes,
                  r -> publishable(r) && servedNow.contains(r.getSpec().getHostname()));
        }
      } else if (edge.getStatus() != null) {
        // Caddy was not reached: what it serves is what it served.
        status.setServedHostnames(edge.getStatus().getServedHostnames());
      }
      if (dns != null) {
        verdicts.add(dns.verdict());
        status.setDnsNames(dns.names().isEmpty() ? null : dns.names());
        if (dns.zoneId() != null) {
          status.setDnsZoneId(dns.zoneId());
        }
        if (dns.retryAfter() != null && dns.retryAfter().compareTo(next) < 0) {
          next = dns.retryAfter();
        }
        drive = drive.and(new Drive(List.of(), dns.failed()));
      }
      if (drive.failed()) {
        next = failures.failed(edge);
      } else {
        failures.succeeded(edge);
      }
    }
    StatusAssembly.assemble(edge, status, clock, verdicts, hops, PENDING_HOPS, suspension.of(edge));
    return new Pass(status, next);
  }

  /**
   * {@code spec.dns} was removed while records were published: the operator no longer has the token
   * to delete them, so it says once, in a Warning, which records stay in which zone, and forgets
   * the zone.
   */
  private void dnsDropped(Edge edge, EdgeStatus status) {
    EdgeStatus old = edge.getStatus();
    status.setDnsZoneId(null);
    if (old == null || old.getDnsNames() == null) {
      return;
    }
    List<String> left =
        old.getDnsNames().stream()
            .filter(EdgeDnsName::published)
            .map(EdgeDnsName::getHostname)
            .sorted()
            .toList();
    if (!left.isEmpty()) {
      events.warning(
          edge,
          DNS_RECORDS_LEFT,
          "spec.dns was removed: the records of "
              + String.join(", ", left)
              + " stay in Cloudflare zone "
              + old.getDnsZoneId()
              + ". Put spec.dns back and the operator manages them again (and removes them"
              + " with their Routes), or delete them in Cloudflare");
    }
  }

  /** The hop verdicts of one pass over the VPS, and whether it failed. */
  record Drive(List<Verdict> verdicts, boolean failed) {
    Drive and(Drive next) {
      List<Verdict> all = new ArrayList<>(verdicts);
      all.addAll(next.verdicts());
      return new Drive(all, failed || next.failed());
    }
  }

  /**
   * Caddy on the VPS, through a port forward on the Edge's SSH connection: the operator's server,
   * the routes of the Edge's admitted Routes (one write for all of them), its TLS policy.
   */
  private Drive caddy(
      Edge edge,
      Context<Edge> context,
      List<Tunnel> tunnels,
      EdgeStatus status,
      List<Route> routes) {
    String key = Sources.key(edge);
    EdgeCaddy spec =
        edge.getSpec().getCaddy() == null ? new EdgeCaddy() : edge.getSpec().getCaddy();
    java.util.Optional<Edge> holder =
        io.homelab.operator.model.CaddyHolders.heldByAnother(
            edge, context.getPrimaryCache().list().toList());
    if (holder.isPresent()) {
      // Nothing is written, and nothing counts as served: the other Edge's routes stay its own.
      return new Drive(
          List.of(
              Verdict.isFalse(
                  ConditionType.CADDY_READY,
                  CADDY_SHARED,
                  "The Caddy at "
                      + edge.getSpec().getSsh().getHost()
                      + " (admin "
                      + spec.getAdminAddress()
                      + ") is driven by Edge "
                      + Sources.key(holder.get())
                      + ", made before this one; two Edges on one Caddy would remove each other's"
                      + " routes. Point this Edge at another VPS or admin address, or put its"
                      + " Routes on that Edge")),
          false);
    }
    Map<String, Tunnel> byKey = new java.util.HashMap<>();
    tunnels.forEach(t -> byKey.put(Sources.key(t), t));
    try {
      HostAccess access =
          SshAccesses.of(context, edge.getMetadata().getNamespace(), edge.getSpec().getSsh());
      CaddyDriver driver =
          caddyConnections.forEdge(
              key,
              settings.ownerId(),
              ssh.get(key, access),
              spec.getAdminAddress(),
              access.commandTimeout());
      CaddyStep.Outcome outcome =
          CaddyStep.apply(
              edge,
              driver,
              settings.ownerId(),
              routes,
              r -> upstream(byKey.get(RouteDecision.tunnelKey(r))),
              r -> account(r, context),
              suspension.mayWrite(edge));
      status.setRoutes(outcome.routes());
      // Caddy refused: what it serves is what it served, so no Route counts as taken down.
      status.setServedHostnames(
          outcome.verdict().holds()
              ? outcome.hostnames().stream().sorted().toList()
              : edge.getStatus() == null ? null : edge.getStatus().getServedHostnames());
      boolean configuredBefore =
          edge.getStatus() != null && edge.getStatus().getCaddyServer() != null;
      if (outcome.verdict().holds()) {
        status.setCaddyServer(
            spec.getServer() == null
                ? io.homelab.operator.model.CaddyPlan.OWN_SERVER
                : spec.getServer());
      }
      if (outcome.restored() && configuredBefore && outcome.verdict().holds()) {
        events.normal(
            edge,
            "CaddyRestored",
            "Caddy had lost the operator's server (restarted without --resume?); the server and "
                + outcome.routes()
                + " routes were put back");
      }
      return new Drive(List.of(outcome.verdict()), false);
    } catch (DriverException e) {
      caddyConnections.close(key);
      if (edge.getStatus() != null) {
        status.setServedHostnames(edge.getStatus().getServedHostnames());
      }
      return new Drive(
          List.of(Verdict.isFalse(ConditionType.CADDY_READY, e.reason(), e.getMessage())),
          e.isTransient());
    }
  }

  /**
   * The basic-auth account of a Route, from the Secret in the Route's own namespace; hashed once
   * per Secret content (bcrypt is slow on purpose), the hash kept only in memory and in Caddy.
   */
  private java.util.Optional<CaddyRoute.Account> account(Route route, Context<Edge> context) {
    String namespace = route.getMetadata().getNamespace();
    String secret = route.getSpec().getAccess().getBasicAuthSecretRef().getName();
    var username =
        SshAccesses.secretValue(context, namespace, new SecretKeyRef(secret, "username"));
    var password =
        SshAccesses.secretValue(context, namespace, new SecretKeyRef(secret, "password"));
    if (username.isEmpty() || password.isEmpty()) {
      return java.util.Optional.empty();
    }
    String owner =
        new OwnerMarker(settings.ownerId(), "Route", namespace, route.getMetadata().getName())
            .text();
    String user = username.get().trim();
    if (accounts.size() > 1000) {
      accounts.clear(); // old passwords are not kept around
    }
    try {
      return java.util.Optional.of(
          accounts.computeIfAbsent(
              List.of(owner, user, password.get()),
              k -> BasicAuthAccount.of(owner, user, password.get())));
    } catch (IllegalArgumentException e) {
      LOG.warnf("Route %s: %s", Sources.key(route), e.getMessage());
      return java.util.Optional.empty();
    }
  }

  /** Every Route of the Edge's Tunnels, being deleted or not, in a stable order. */
  private static List<Route> routesOf(List<Tunnel> tunnels, Context<Edge> context) {
    return tunnels.stream()
        .flatMap(
            t ->
                Sources.cache(context, Route.class, "routes")
                    .byIndex(BY_TUNNEL, Sources.key(t))
                    .stream())
        .sorted(java.util.Comparator.comparing(Sources::key))
        .toList();
  }

  /**
   * A Route Caddy should serve: admitted, and its NPM proxy host made (inside-out: the host at home
   * exists before the Edge sends traffic to it). A proxy host that once existed keeps the Route
   * served through an NPM outage.
   */
  static boolean exposable(Route route) {
    return admitted(route)
        && (route.getStatus().getProxyHostId() != null
            || route.getStatus().getConditions().stream()
                .anyMatch(
                    c ->
                        ConditionType.PROXY_HOST_READY.equals(c.getType())
                            && "True".equals(c.getStatus())));
  }

  /**
   * What the Edge reads of a Route: its generation (the spec), whether it is being deleted, and
   * whether it is admitted, exposable and publishable, with its proxy host.
   */
  static List<Object> asEdgeReads(Route route) {
    return java.util.Arrays.asList(
        route.getMetadata().getGeneration(),
        route.getMetadata().getDeletionTimestamp() != null,
        admitted(route),
        exposable(route),
        publishable(route),
        route.getStatus() == null ? null : route.getStatus().getProxyHostId());
  }

  /** A Route that should have DNS records: exposable, and asking for them. */
  static boolean publishable(Route route) {
    return exposable(route) && DnsStep.asksForRecord(route);
  }

  /**
   * A Secret value that cannot be what its field asks for, found before anything is sent: a
   * WireGuard key that is not one, an API token that would not fit in an HTTP header. The message
   * names the Secret and the key, never the value.
   */
  private static java.util.Optional<Verdict> invalidSecretValue(Edge edge, Context<Edge> context) {
    String namespace = edge.getMetadata().getNamespace();
    SecretKeyRef wg = edge.getSpec().getWireguard().getPrivateKeySecretRef();
    if (wg != null
        && SshAccesses.secretValue(context, namespace, wg)
            .map(String::trim)
            .filter(WireGuardKeys::isKey)
            .isEmpty()) {
      return java.util.Optional.of(
          References.unresolved(
              References.SECRET_VALUE_INVALID,
              secretKey(namespace, wg, "spec.wireguard.privateKeySecretRef")
                  + " holds no WireGuard private key: 32 bytes in base64, 44 characters, as wg"
                  + " genkey prints it"));
    }
    if (edge.getSpec().getDns() != null) {
      SecretKeyRef ref = edge.getSpec().getDns().getApiTokenSecretRef();
      boolean malformed =
          SshAccesses.secretValue(context, namespace, ref)
              .map(String::trim)
              .filter(t -> !t.isEmpty() && !t.matches("[\\x21-\\x7E]+"))
              .isPresent();
      if (malformed) {
        return java.util.Optional.of(
            References.unresolved(
                References.SECRET_VALUE_INVALID,
                secretKey(namespace, ref, "spec.dns.apiTokenSecretRef")
                    + " holds no Cloudflare API token: a token is one line of letters, digits, -"
                    + " and _, without spaces"));
      }
    }
    return java.util.Optional.empty();
  }

  /** A Secret's key as a message names it: Secret ns/name key k (field). */
  private static String secretKey(String namespace, SecretKeyRef ref, String field) {
    return "Secret "
        + namespace
        + "/"
        + ref.getName()
        + " key "
        + ref.getKey()
        + " ("
        + field
        + ")";
  }

  /** One pass over the Edge's zone. */
  private DnsStep.Outcome dns(
      Edge edge, Context<Edge> context, List<Route> routes, Predicate<Route> wanted) {
    var ref = edge.getSpec().getDns().getApiTokenSecretRef();
    String token =
        SshAccesses.secretValue(context, edge.getMetadata().getNamespace(), ref)
            .map(String::trim)
            .orElse(null);
    if (token == null || token.isEmpty()) {
      return DnsStep.failure(
          References.SECRET_KEY_MISSING,
          "Secret " + ref.getName() + " has no API token under key " + ref.getKey(),
          edge.getStatus() == null || edge.getStatus().getDnsNames() == null
              ? List.of()
              : edge.getStatus().getDnsNames(),
          null,
          false);
    }
    return DnsStep.apply(
        edge,
        cloudflare.forToken(token),
        zones,
        settings.ownerId(),
        routes,
        wanted,
        suspension.mayWrite(edge),
        settings.poll().cloudflare(),
        clock,
        edge.getStatus() == null ? null : edge.getStatus().getDnsNames());
  }

  /** A Route Caddy may serve: enabled, accepted and with its references resolved. */
  static boolean admitted(Route route) {
    if (route.getMetadata().getDeletionTimestamp() != null
        || Boolean.FALSE.equals(route.getSpec().getEnabled())
        || route.getStatus() == null
        || route.getStatus().getConditions() == null) {
      return false;
    }
    return route.getStatus().getConditions().stream()
            .filter(
                c ->
                    (ConditionType.ACCEPTED.equals(c.getType())
                            || ConditionType.RESOLVED_REFS.equals(c.getType()))
                        && "True".equals(c.getStatus()))
            .count()
        == 2;
  }

  /** Where Caddy sends a Tunnel's traffic: NPM's upstream, by default the home address, port 80. */
  static String upstream(Tunnel tunnel) {
    if (tunnel == null) {
      return null;
    }
    if (tunnel.getSpec().getProxyManager() != null
        && tunnel.getSpec().getProxyManager().getUpstream() != null) {
      return tunnel.getSpec().getProxyManager().getUpstream();
    }
    String address = tunnel.getStatus() == null ? null : tunnel.getStatus().getAddress();
    return address == null ? null : (address.contains(":") ? "[" + address + "]" : address) + ":80";
  }

  /**
   * Reads the interface (one command per poll: a pass in between, as a Route's change brings, uses
   * this poll's read), and writes it when it differs from the plan: the Edge's key, its address and
   * port, one peer per Tunnel. A write is always planned on a fresh read.
   */
  private Drive drive(Edge edge, Context<Edge> context, List<Tunnel> tunnels, EdgeStatus status) {
    String key = Sources.key(edge);
    String iface = edge.getSpec().getWireguard().getInterfaceName();
    String dir = settings.wireguard().configDir();
    HostAccess access;
    WireGuardHost host;
    boolean fresh;
    try {
      access = SshAccesses.of(context, edge.getMetadata().getNamespace(), edge.getSpec().getSsh());
      Optional<WireGuardHost> thisPoll = thisPollsRead(key);
      fresh = thisPoll.isEmpty();
      host = fresh ? wireguard.observe(key, access, dir, iface) : thisPoll.get();
    } catch (DriverException e) {
      return unreachable(e);
    }
    Verdict reachable =
        Verdict.isTrue(
            ConditionType.REACHABLE, CONNECTED, "Logged in to the VPS as " + access.toString());
    if (!host.missingTools().isEmpty()) {
      return new Drive(
          List.of(
              reachable,
              Verdict.isFalse(
                  ConditionType.WIREGUARD_READY,
                  TOOLS_MISSING,
                  "Missing on the VPS: "
                      + String.join(", ", host.missingTools())
                      + " (install wireguard-tools and iproute2)")),
          false);
    }
    if (fresh) {
      states.put(key, host, clock.instant());
    }
    if (host.config() != null && !InterfaceConfig.isOurs(host.config(), marker(edge).text())) {
      String owner = InterfaceConfig.ownerOf(host.config());
      return new Drive(
          List.of(
              reachable,
              Verdict.isFalse(
                  ConditionType.WIREGUARD_READY,
                  CONFLICT,
                  WireGuardScripts.file(dir, iface)
                      + " exists and was not written by the operator for this Edge"
                      + (owner == null ? "" : " (it is " + owner + "'s)")
                      + ": it is left alone. Remove it, or choose another"
                      + " spec.wireguard.interfaceName")),
          false);
    }
    String privateKey = privateKey(edge, context);
    String publicKey = WireGuardKeys.publicKeyOf(privateKey);
    status.setPublicKey(publicKey);
    status.setAddress(
        TunnelAddresses.edgeAddress(
            edge.getSpec().getWireguard().getNetwork(),
            edge.getSpec().getWireguard().getAddress()));
    EdgeWireGuardPlan plan =
        EdgeWireGuardPlan.of(edge, settings.ownerId(), privateKey, tunnels, host);
    if (!fresh && plan.differsFrom(host, publicKey)) {
      try {
        host = wireguard.observe(key, access, dir, iface);
      } catch (DriverException e) {
        return unreachable(e);
      }
      states.put(key, host, clock.instant());
      plan = EdgeWireGuardPlan.of(edge, settings.ownerId(), privateKey, tunnels, host);
    }
    if (plan.differsFrom(host, publicKey)) {
      if (!suspension.mayWrite(edge)) {
        return new Drive(
            List.of(
                reachable,
                Verdict.unknown(
                    ConditionType.WIREGUARD_READY,
                    CHANGES_PENDING,
                    "Interface " + iface + " differs from the spec; writes are paused")),
            false);
      }
      states.applying(key, plan.config().render());
      try {
        wireguard.apply(key, access, dir, iface, plan.config(), plan.routes(), plan.staleRoutes());
        status.setConfiguredInterface(iface);
        host = wireguard.observe(key, access, dir, iface);
        states.put(key, host, clock.instant());
      } catch (DriverException e) {
        return new Drive(
            List.of(
                reachable,
                Verdict.isFalse(ConditionType.WIREGUARD_READY, e.reason(), e.getMessage())),
            true);
      }
    }
    status.setConfiguredInterface(iface);
    return new Drive(
        List.of(
            reachable,
            Verdict.isTrue(
                ConditionType.WIREGUARD_READY,
                CONFIGURED,
                "Interface " + iface + " is up with " + plan.config().peers().size() + " peer(s)")),
        false);
  }

  /** The VPS did not answer: not Reachable, and WireGuard waits for it. */
  private static Drive unreachable(DriverException e) {
    return new Drive(
        List.of(
            Verdict.isFalse(ConditionType.REACHABLE, e.reason(), e.getMessage()),
            Verdict.unknown(
                ConditionType.WIREGUARD_READY, Reason.PENDING, "Waits until the VPS is reachable")),
        true);
  }

  /** The read of the Edge's interface made in this poll interval, if there is one. */
  private Optional<WireGuardHost> thisPollsRead(String key) {
    return states
        .of(key)
        .filter(o -> clock.instant().isBefore(o.at().plus(settings.poll().wireguard())))
        .map(WireGuardStates.Observed::host);
  }

  /**
   * The interface's private key: from the Secret the spec names, or generated once and kept in the
   * Secret {@code <edge>-wireguard}.
   */
  private String privateKey(Edge edge, Context<Edge> context) {
    String namespace = edge.getMetadata().getNamespace();
    SecretKeyRef ref = edge.getSpec().getWireguard().getPrivateKeySecretRef();
    if (ref != null) {
      return SshAccesses.secretValue(context, namespace, ref)
          .map(String::trim)
          .filter(WireGuardKeys::isKey)
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "Secret "
                          + ref.getName()
                          + " key "
                          + ref.getKey()
                          + " holds no WireGuard key"));
    }
    String name = edge.getMetadata().getName() + KEY_SECRET_SUFFIX;
    var existing =
        GeneratedSecrets.read(context.getClient(), namespace, name)
            .map(d -> d.get(PRIVATE_KEY))
            .filter(WireGuardKeys::isKey);
    if (existing.isPresent()) {
      return existing.get().trim();
    }
    WireGuardKeys.Pair pair = WireGuardKeys.generate();
    GeneratedSecrets.ensure(
        context.getClient(),
        edge,
        marker(edge),
        edge.getSpec().getDeletionPolicy() == DeletionPolicy.Delete,
        name,
        Map.of(PRIVATE_KEY, pair.privateKey(), PUBLIC_KEY, pair.publicKey()));
    return pair.privateKey();
  }

  private OwnerMarker marker(Edge edge) {
    return new OwnerMarker(
        settings.ownerId(),
        "Edge",
        edge.getMetadata().getNamespace(),
        edge.getMetadata().getName());
  }

  @Override
  public DeleteControl cleanup(Edge edge, Context<Edge> context) {
    return deletions
        .forced(edge, leftBehind(edge))
        .orElseGet(
            () -> {
              List<String> tunnels =
                  tunnelsOf(edge, context).stream().map(Sources::key).sorted().toList();
              if (!tunnels.isEmpty()) {
                String message =
                    "Deletion waits for Tunnels "
                        + String.join(", ", tunnels)
                        + " to be deleted first";
                try {
                  Pass pass = pass(edge, context);
                  return deletions.waitingWhileWorking(
                      edge, context, pass.status(), message, pass.next());
                } catch (RuntimeException e) {
                  LOG.warnf("Edge %s: %s", Sources.key(edge), e);
                  return deletions.waitFor(
                      edge, context, () -> carryOver(edge.getStatus()), "Tunnels", tunnels);
                }
              }
              if (edge.getSpec().getDeletionPolicy() == DeletionPolicy.Retain) {
                release(edge);
                return deletions.cleanedUp(
                    edge,
                    "Released (deletionPolicy Retain): WireGuard and Caddy stay configured on the"
                        + " VPS");
              }
              if (caddyConfigured(edge)) {
                if (!suspension.mayWrite(edge)) {
                  return DeleteControl.noFinalizerRemoval()
                      .rescheduleAfter(settings.poll().caddy());
                }
                try {
                  removeCaddy(edge, context);
                } catch (DriverException e) {
                  LOG.warnf(
                      "Edge %s: removing the Caddy server failed: %s",
                      Sources.key(edge), e.getMessage());
                  return DeleteControl.noFinalizerRemoval().rescheduleAfter(failures.failed(edge));
                }
              }
              if (edge.getStatus() != null && edge.getStatus().getConfiguredInterface() != null) {
                if (!suspension.mayWrite(edge)) {
                  return DeleteControl.noFinalizerRemoval()
                      .rescheduleAfter(settings.poll().wireguard());
                }
                try {
                  removeInterface(edge, context);
                } catch (DriverException e) {
                  LOG.warnf(
                      "Edge %s: removing the WireGuard interface failed: %s",
                      Sources.key(edge), e.getMessage());
                  return DeleteControl.noFinalizerRemoval().rescheduleAfter(failures.failed(edge));
                }
                GeneratedSecrets.delete(
                    context.getClient(),
                    edge.getMetadata().getNamespace(),
                    edge.getMetadata().getName() + KEY_SECRET_SUFFIX,
                    marker(edge));
                release(edge);
                return deletions.cleanedUp(
                    edge,
                    "Edge removed: WireGuard interface "
                        + edge.getStatus().getConfiguredInterface()
                        + " deleted from the VPS");
              }
              release(edge);
              return deletions.cleanedUp(
                  edge,
                  leftBehind(edge).isEmpty()
                      ? "Edge removed; nothing external was recorded for it"
                      : "Edge removed; left behind: " + String.join("; ", leftBehind(edge)));
            });
  }

  /** Whether the operator has put its server (or routes) into the Edge's Caddy. */
  private static boolean caddyConfigured(Edge edge) {
    return edge.getStatus() != null && edge.getStatus().getCaddyServer() != null;
  }

  /** Removes the operator's server (or its routes from the named server) and its TLS policy. */
  private void removeCaddy(Edge edge, Context<Edge> context) {
    String key = Sources.key(edge);
    HostAccess access =
        SshAccesses.of(context, edge.getMetadata().getNamespace(), edge.getSpec().getSsh());
    EdgeCaddy spec =
        edge.getSpec().getCaddy() == null ? new EdgeCaddy() : edge.getSpec().getCaddy();
    CaddyStep.remove(
        edge,
        caddyConnections.forEdge(
            key,
            settings.ownerId(),
            ssh.get(key, access),
            spec.getAdminAddress(),
            access.commandTimeout()),
        settings.ownerId());
  }

  /** Deletes our interface and its file; a config someone else wrote is left alone. */
  private void removeInterface(Edge edge, Context<Edge> context) {
    String key = Sources.key(edge);
    String iface = edge.getStatus().getConfiguredInterface();
    String dir = settings.wireguard().configDir();
    HostAccess access =
        SshAccesses.of(context, edge.getMetadata().getNamespace(), edge.getSpec().getSsh());
    WireGuardHost host = wireguard.observe(key, access, dir, iface);
    if (host.config() == null || InterfaceConfig.isOurs(host.config(), marker(edge).text())) {
      wireguard.remove(key, access, dir, iface);
    }
  }

  private void release(Edge edge) {
    caddyConnections.close(Sources.key(edge));
    wireguard.disconnect(Sources.key(edge));
    states.forget(Sources.key(edge));
  }

  private static List<Tunnel> tunnelsOf(Edge edge, Context<Edge> context) {
    return Sources.cache(context, Tunnel.class, "tunnels").byIndex(BY_EDGE, Sources.key(edge));
  }

  static List<String> leftBehind(Edge edge) {
    List<String> left = new ArrayList<>();
    if (edge.getStatus() != null && edge.getStatus().getPublicKey() != null) {
      left.add(
          "WireGuard interface "
              + edge.getSpec().getWireguard().getInterfaceName()
              + " on "
              + edge.getSpec().getSsh().getHost());
    }
    if (caddyConfigured(edge)) {
      EdgeCaddy caddy = edge.getSpec().getCaddy();
      left.add(
          "Caddy "
              + (caddy == null || caddy.getServer() == null
                  ? "server " + io.homelab.operator.model.CaddyPlan.OWN_SERVER
                  : "routes in server " + caddy.getServer())
              + " on "
              + edge.getSpec().getSsh().getHost());
    }
    return left;
  }

  private static ResourceID edgeId(Tunnel tunnel) {
    return new ResourceID(
        tunnel.getSpec().getEdgeRef().getName(), tunnel.getMetadata().getNamespace());
  }

  private static EdgeStatus carryOver(EdgeStatus old) {
    EdgeStatus status = new EdgeStatus();
    if (old != null) {
      status.setPublicKey(old.getPublicKey());
      status.setAddress(old.getAddress());
      status.setConfiguredInterface(old.getConfiguredInterface());
      status.setCaddyServer(old.getCaddyServer());
      status.setDnsZoneId(old.getDnsZoneId());
    }
    return status;
  }
}
