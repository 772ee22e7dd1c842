package io.homelab.operator.reconciler.route;

import io.fabric8.kubernetes.api.model.Namespace;
import io.homelab.operator.api.SecretKeyRef;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeDnsName;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.route.RouteStatus;
import io.homelab.operator.api.tunnel.ProxyManager;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.config.OperatorSettings;
import io.homelab.operator.driver.npm.NpmConnections;
import io.homelab.operator.driver.npm.NpmCredentials;
import io.homelab.operator.driver.npm.NpmDriver;
import io.homelab.operator.driver.npm.NpmException;
import io.homelab.operator.model.HostnameClaim;
import io.homelab.operator.model.OwnerMarker;
import io.homelab.operator.model.ProbeTarget;
import io.homelab.operator.model.References;
import io.homelab.operator.model.RouteDecision;
import io.homelab.operator.model.SecretUses;
import io.homelab.operator.model.Verdict;
import io.homelab.operator.reconciler.Deletions;
import io.homelab.operator.reconciler.Failures;
import io.homelab.operator.reconciler.Reporting;
import io.homelab.operator.reconciler.SecretHolds;
import io.homelab.operator.reconciler.Sources;
import io.homelab.operator.reconciler.SshAccesses;
import io.homelab.operator.reconciler.StatusAssembly;
import io.homelab.operator.reconciler.Suspension;
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
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Reconciles Routes: the host-name claim, the Tunnel and its Edge, the Edge's admission policy, the
 * backend and the Secrets; then (with the drivers) DNS, the Edge's Caddy route and the NPM proxy
 * host.
 */
@ControllerConfiguration(name = "route", generationAwareEventProcessing = false)
public class RouteReconciler implements Reconciler<Route>, Cleaner<Route> {

  private static final Logger LOG = Logger.getLogger(RouteReconciler.class);

  static final List<String> HOPS =
      List.of(ConditionType.DNS_READY, ConditionType.EDGE_READY, ConditionType.PROXY_HOST_READY);
  static final String PENDING_HOPS = "waits until the Route is accepted and its references resolve";

  static final String BY_TUNNEL = "byTunnel";
  static final String BY_EDGE = "byEdge";
  static final String BY_GUEST = "byGuest";
  static final String BY_HOSTNAME = "byHostname";

  @Inject Clock clock;
  @Inject Reporting reporting;
  @Inject Suspension suspension;
  @Inject Failures failures;
  @Inject Deletions deletions;
  @Inject OperatorSettings settings;
  @Inject NpmConnections npmConnections;
  @Inject NpmInventories inventories;
  @Inject RouteProbes probes;

  private final EdgeUpdates edgeUpdates = new EdgeUpdates();

  @Override
  public List<EventSource<?, Route>> prepareEventSources(EventSourceContext<Route> context) {
    IndexerResourceCache<Route> routes = context.getPrimaryCache();
    routes.addIndexer(BY_TUNNEL, r -> List.of(RouteDecision.tunnelKey(r)));
    routes.addIndexer(BY_HOSTNAME, r -> List.of(r.getSpec().getHostname()));
    routes.addIndexer(
        BY_GUEST,
        r ->
            r.getSpec().getBackend().getGuestRef() == null
                ? List.of()
                : List.of(
                    Sources.key(
                        r.getMetadata().getNamespace(),
                        r.getSpec().getBackend().getGuestRef().getName())));

    InformerEventSource<Tunnel, Route> tunnels =
        Sources.indexed(context, Tunnel.class, "tunnels", BY_TUNNEL, Sources::key);
    tunnels.addIndexer(
        BY_EDGE,
        t ->
            List.of(
                Sources.key(t.getMetadata().getNamespace(), t.getSpec().getEdgeRef().getName())));
    InformerEventSource<Edge, Route> edges =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Edge.class, Route.class)
                .withName("edges")
                // An Edge's report on one host name wakes that name's Routes, not all of them.
                .withOnUpdateFilter(edgeUpdates::accept)
                .withSecondaryToPrimaryMapper(
                    e -> {
                      Optional<Set<String>> hostnames = edgeUpdates.hostnames(e);
                      return tunnels.byIndex(BY_EDGE, Sources.key(e)).stream()
                          .flatMap(t -> routes.byIndex(BY_TUNNEL, Sources.key(t)).stream())
                          .filter(
                              r ->
                                  hostnames.isEmpty()
                                      || hostnames
                                          .get()
                                          .contains(
                                              r.getSpec()
                                                  .getHostname()
                                                  .toLowerCase(java.util.Locale.ROOT)))
                          .map(ResourceID::fromResource)
                          .collect(Collectors.toSet());
                    })
                .build(),
            context);
    InformerEventSource<Namespace, Route> namespaces =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Namespace.class, Route.class)
                .withName("namespaces")
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(
                    ns ->
                        routes
                            .list(ns.getMetadata().getName())
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    // Routes claiming the same host name wake each other: when the holder is gone (its
    // finalizer removed), the next in line takes over without waiting for a poll.
    InformerEventSource<Route, Route> sameHostname =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Route.class, Route.class)
                .withName("routes-by-hostname")
                .withSecondaryToPrimaryMapper(
                    r -> {
                      Set<ResourceID> others =
                          new HashSet<>(
                              Sources.ids(routes.byIndex(BY_HOSTNAME, r.getSpec().getHostname())));
                      others.remove(ResourceID.fromResource(r));
                      return others;
                    })
                .build(),
            context);
    return List.of(
        tunnels,
        edges,
        namespaces,
        sameHostname,
        Sources.indexed(context, Guest.class, "guests", BY_GUEST, Sources::key),
        Sources.secrets(context, SecretUses::names),
        probes.events());
  }

  @Override
  public UpdateControl<Route> reconcile(Route route, Context<Route> context) {
    Optional<Duration> backingOff = failures.backingOff(route);
    if (backingOff.isPresent()) {
      // NPM failed this spec and its retry is not due: an event is no reason to ask again.
      return UpdateControl.<Route>noUpdate().rescheduleAfter(backingOff.get());
    }
    try {
      RouteDecision.Inputs inputs = observe(route, context);
      List<Verdict> verdicts = new ArrayList<>(RouteDecision.decide(inputs));
      RouteStatus status = carryOver(route.getStatus());
      if (verdicts.get(0).holds()) {
        status.setUrl("https://" + route.getSpec().getHostname());
      }
      boolean failed = false;
      if (verdicts.stream().allMatch(Verdict::holds) && inputs.edge() != null) {
        failed = drive(route, inputs, context, status, verdicts);
      }
      List<Verdict> informing = new ArrayList<>();
      Optional.ofNullable(suspension.of(route)).ifPresent(informing::add);
      probe(route, inputs.edge(), verdicts).ifPresent(informing::add);
      StatusAssembly.assembleInforming(
          route, status, clock, verdicts, HOPS, PENDING_HOPS, informing);
      SecretHolds.hold(route, context);
      Duration next;
      if (failed) {
        next = failures.failed(route);
      } else {
        failures.succeeded(route);
        next = settings.poll().npm();
      }
      Optional<Duration> probeDue = probes.dueIn(route);
      if (probeDue.isPresent() && probeDue.get().compareTo(next) < 0) {
        next = probeDue.get();
      }
      return reporting.patchIfChanged(route, status).rescheduleAfter(next);
    } catch (RuntimeException e) {
      RouteStatus status =
          StatusAssembly.failed(
              route, carryOver(route.getStatus()), clock, Reason.RECONCILE_ERROR, e.toString());
      return reporting.patchIfChanged(route, status).rescheduleAfter(failures.failed(route));
    }
  }

  /**
   * The hops of an accepted Route with resolved references: its NPM proxy host here; its Caddy
   * route and DNS records as its Edge reports them (the Edge writes those for all its Routes at
   * once). Exposing goes inside-out (NPM, then Caddy, then DNS); {@code enabled: false} outside-in,
   * the proxy host disabled only once DNS and the Caddy route are gone. Returns whether a transient
   * failure asks for a backoff.
   */
  private boolean drive(
      Route route,
      RouteDecision.Inputs inputs,
      Context<Route> context,
      RouteStatus status,
      List<Verdict> verdicts) {
    Edge edge = inputs.edge();
    String hostname = route.getSpec().getHostname();
    OwnerMarker owner = marker(route);
    boolean served = RouteDecision.served(edge, hostname);
    EdgeDnsName dns = RouteDecision.dnsName(edge, hostname);
    boolean published = dns != null && dns.published();
    ProxyHostStep.Outcome npm;
    Npm target = npm(inputs.tunnel(), context);
    if (!Boolean.FALSE.equals(route.getSpec().getEnabled())) {
      npm =
          target.driver() == null
              ? new ProxyHostStep.Outcome(target.problem(), null, false)
              : ProxyHostStep.ensure(
                  inventories,
                  target.driver(),
                  settings.poll().npm(),
                  ProxyHostStep.spec(route, inputs.guest()),
                  owner,
                  suspension.mayWrite(route));
      verdicts.add(RouteDecision.dnsReady(route, edge));
      verdicts.add(RouteDecision.edgeReady(route, edge));
      verdicts.add(npm.verdict());
    } else {
      verdicts.add(
          published
              ? Verdict.unknown(
                  ConditionType.DNS_READY,
                  Reason.UNEXPOSING,
                  "The Route is disabled; waits for Edge "
                      + Sources.key(edge)
                      + " to delete the records of "
                      + hostname)
              : Verdict.isFalse(
                  ConditionType.DNS_READY,
                  Reason.DISABLED,
                  "The Route is disabled: " + hostname + " has no DNS record"));
      verdicts.add(
          served
              ? Verdict.unknown(
                  ConditionType.EDGE_READY,
                  Reason.UNEXPOSING,
                  "The Route is disabled; waits for Edge "
                      + Sources.key(edge)
                      + " to take its Caddy route away")
              : Verdict.isFalse(
                  ConditionType.EDGE_READY,
                  Reason.DISABLED,
                  "The Route is disabled: the Edge does not serve " + hostname));
      if (served || published) {
        npm =
            new ProxyHostStep.Outcome(
                Verdict.unknown(
                    ConditionType.PROXY_HOST_READY,
                    Reason.UNEXPOSING,
                    "The Route is disabled; the proxy host is disabled once DNS and the Edge's"
                        + " route are gone"),
                status.getProxyHostId(),
                false,
                false);
      } else if (target.driver() == null) {
        npm =
            new ProxyHostStep.Outcome(
                Verdict.isFalse(
                    ConditionType.PROXY_HOST_READY, Reason.DISABLED, "The Route is disabled"),
                null,
                false,
                target.problem().reason().equals(Reason.NOT_MANAGED));
      } else {
        npm =
            ProxyHostStep.disable(
                inventories,
                target.driver(),
                settings.poll().npm(),
                hostname,
                owner,
                suspension.mayWrite(route));
      }
      verdicts.add(npm.verdict());
    }
    if (npm.answered()) {
      status.setProxyHostId(npm.hostId());
    }
    status.setCaddyRouteId(served ? owner.compactId() : null);
    status.setDnsRecordIds(published ? dns.getRecordIds() : null);
    return npm.failed();
  }

  /**
   * The ProbeSucceeded condition: shown for a Ready Route whose probe is on, absent otherwise (its
   * gauges go with it). It informs and never gates Ready.
   */
  private Optional<Verdict> probe(Route route, Edge edge, List<Verdict> verdicts) {
    boolean ready =
        edge != null
            && verdicts.stream().allMatch(Verdict::holds)
            && verdicts.stream().map(Verdict::type).toList().containsAll(HOPS);
    if (!ready || !probes.enabled() || !ProbeTarget.wanted(route)) {
      probes.forget(ResourceID.fromResource(route));
      return Optional.empty();
    }
    return probes.observe(route, ProbeTarget.of(route, edge, settings.probe().expectedStatus()));
  }

  /** The NPM of a Tunnel, or the verdict that says why there is none to drive. */
  record Npm(NpmDriver driver, Verdict problem) {}

  private Npm npm(Tunnel tunnel, Context<?> context) {
    ProxyManager manager = tunnel.getSpec().getProxyManager();
    if (manager == null) {
      return new Npm(
          null,
          Verdict.isTrue(
              ConditionType.PROXY_HOST_READY,
              Reason.NOT_MANAGED,
              "Tunnel "
                  + Sources.key(tunnel)
                  + " names no proxyManager: the Edge forwards straight to its upstream"));
    }
    String namespace = tunnel.getMetadata().getNamespace();
    String secret = manager.getCredentialsSecretRef().getName();
    String what =
        "The NPM credentials Secret "
            + namespace
            + "/"
            + secret
            + " of Tunnel "
            + Sources.key(tunnel);
    if (Sources.get(
            context, io.fabric8.kubernetes.api.model.Secret.class, "secrets", namespace, secret)
        .isEmpty()) {
      return new Npm(
          null,
          Verdict.isFalse(
              ConditionType.PROXY_HOST_READY,
              References.SECRET_NOT_FOUND,
              what + " does not exist"));
    }
    Map<String, String> values = new java.util.HashMap<>();
    for (String key : SecretUses.NPM_KEYS) {
      var value = SshAccesses.secretValue(context, namespace, new SecretKeyRef(secret, key));
      if (value.isEmpty() || value.get().isBlank()) {
        return new Npm(
            null,
            Verdict.isFalse(
                ConditionType.PROXY_HOST_READY,
                References.SECRET_KEY_MISSING,
                what + " has no key " + key));
      }
      values.put(key, value.get().trim());
    }
    return new Npm(
        npmConnections.forUrl(
            URI.create(manager.getUrl()),
            new NpmCredentials(values.get("identity"), values.get("secret")),
            settings.npm().requestTimeout()),
        null);
  }

  private OwnerMarker marker(Route route) {
    return new OwnerMarker(
        settings.ownerId(),
        "Route",
        route.getMetadata().getNamespace(),
        route.getMetadata().getName());
  }

  /** Everything the decision needs, from the informer caches. */
  private RouteDecision.Inputs observe(Route route, Context<Route> context) {
    String namespace = route.getMetadata().getNamespace();
    String tunnelNamespace =
        route.getSpec().getTunnelRef().getNamespace() == null
            ? namespace
            : route.getSpec().getTunnelRef().getNamespace();
    Tunnel tunnel =
        Sources.get(
                context,
                Tunnel.class,
                "tunnels",
                tunnelNamespace,
                route.getSpec().getTunnelRef().getName())
            .orElse(null);
    Edge edge =
        tunnel == null
            ? null
            : Sources.get(
                    context,
                    Edge.class,
                    "edges",
                    tunnelNamespace,
                    tunnel.getSpec().getEdgeRef().getName())
                .orElse(null);
    Map<String, String> labels =
        Sources.get(context, Namespace.class, "namespaces", null, namespace)
            .map(ns -> ns.getMetadata().getLabels())
            .orElse(Map.of());
    Guest guest =
        route.getSpec().getBackend().getGuestRef() == null
            ? null
            : Sources.get(
                    context,
                    Guest.class,
                    "guests",
                    namespace,
                    route.getSpec().getBackend().getGuestRef().getName())
                .orElse(null);
    List<HostnameClaim> claims = new ArrayList<>();
    claims.add(claim(route));
    context.getPrimaryCache().byIndex(BY_HOSTNAME, route.getSpec().getHostname()).stream()
        .filter(r -> !ResourceID.fromResource(r).equals(ResourceID.fromResource(route)))
        .forEach(r -> claims.add(claim(r)));
    return new RouteDecision.Inputs(
        route,
        HostnameClaim.holder(claims),
        tunnel,
        edge,
        labels,
        guest,
        Sources.secretKeys(context, namespace));
  }

  @Override
  public DeleteControl cleanup(Route route, Context<Route> context) {
    probes.forget(ResourceID.fromResource(route));
    return deletions.forced(route, leftBehind(route)).orElseGet(() -> unexpose(route, context));
  }

  /**
   * Takes the Route off the internet outside-in: its Edge deletes the DNS records, then the Caddy
   * route (it does both once the Route is being deleted; this waits until the Edge reports them
   * gone), then the NPM proxy host goes here. The finalizer stays until all are confirmed.
   */
  private DeleteControl unexpose(Route route, Context<Route> context) {
    RouteDecision.Inputs inputs = observe(route, context);
    String hostname = route.getSpec().getHostname();
    Edge edge = inputs.edge();
    if (edge != null
        && wasAccepted(route)
        && (RouteDecision.served(edge, hostname)
            || Optional.ofNullable(RouteDecision.dnsName(edge, hostname))
                .map(EdgeDnsName::published)
                .orElse(false))) {
      String waiting =
          "Deletion waits for Edge "
              + Sources.key(edge)
              + " to take "
              + hostname
              + " off the internet: its DNS records first, then its Caddy route";
      // A hop held up by a failing system says which one; the ids stay for the next pass.
      Optional<Verdict> blocked =
          Stream.of(RouteDecision.dnsReady(route, edge), RouteDecision.edgeReady(route, edge))
              .filter(v -> v.status() == io.homelab.operator.status.ConditionStatus.False)
              .findFirst();
      if (blocked.isPresent()) {
        return deletions.failing(
            route,
            context,
            () -> carryOver(route.getStatus()),
            blocked.get().reason(),
            waiting + " (" + blocked.get().message() + ")",
            Deletions.RECHECK);
      }
      return deletions.waiting(route, context, () -> carryOver(route.getStatus()), waiting);
    }
    if (inputs.tunnel() == null) {
      return deletions.cleanedUp(
          route,
          leftBehind(route).isEmpty()
              ? "Route removed"
              : "Route removed; its Tunnel is gone, so left behind: "
                  + String.join("; ", leftBehind(route)));
    }
    Npm target = npm(inputs.tunnel(), context);
    if (target.driver() == null) {
      return deletions.cleanedUp(
          route,
          route.getStatus() == null || route.getStatus().getProxyHostId() == null
              ? "Route removed"
              : "Route removed; NPM could not be reached ("
                  + target.problem().message()
                  + "), left behind: NPM proxy host #"
                  + route.getStatus().getProxyHostId());
    }
    if (!suspension.mayWrite(route)) {
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(settings.poll().npm());
    }
    try {
      boolean deleted =
          ProxyHostStep.delete(
              inventories, target.driver(), settings.poll().npm(), hostname, marker(route));
      return deletions.cleanedUp(
          route,
          deleted
              ? "Route removed: DNS records, Caddy route and NPM proxy host deleted"
              : "Route removed: DNS records and Caddy route deleted; NPM had no proxy host for it");
    } catch (NpmException e) {
      if (route.getStatus() == null || route.getStatus().getProxyHostId() == null) {
        // NPM never answered with a host for this Route, so it never made one there.
        return deletions.cleanedUp(
            route,
            "Route removed; NPM could not be asked ("
                + e.getMessage()
                + "), and no proxy host was ever recorded for it");
      }
      if (e instanceof NpmException.Unavailable) {
        LOG.warnf(
            "Route %s: deleting the NPM proxy host failed: %s", Sources.key(route), e.getMessage());
        return deletions.failing(
            route,
            context,
            () -> carryOver(route.getStatus()),
            Reason.NPM_UNAVAILABLE,
            "Deletion waits: NPM could not delete proxy host #"
                + route.getStatus().getProxyHostId()
                + " of "
                + hostname
                + " ("
                + e.getMessage()
                + ")",
            failures.failed(route));
      }
      return deletions.failing(
          route,
          context,
          () -> carryOver(route.getStatus()),
          Reason.NPM_REJECTED,
          "Deletion waits: NPM refused to delete proxy host #"
              + route.getStatus().getProxyHostId()
              + " of "
              + hostname
              + " ("
              + e.getMessage()
              + "); fix the Tunnel's NPM access, or force the deletion",
          failures.failed(route));
    }
  }

  /** Whether the Route was ever let through by its Edge (only then can it be exposed). */
  private static boolean wasAccepted(Route route) {
    return route.getStatus() != null
        && route.getStatus().getConditions() != null
        && route.getStatus().getConditions().stream()
            .anyMatch(
                c -> ConditionType.ACCEPTED.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The external objects the status records for the Route. */
  static List<String> leftBehind(Route route) {
    List<String> left = new ArrayList<>();
    RouteStatus status = route.getStatus();
    if (status != null) {
      if (status.getDnsRecordIds() != null && !status.getDnsRecordIds().isEmpty()) {
        left.add("Cloudflare DNS records " + String.join(", ", status.getDnsRecordIds()));
      }
      if (status.getCaddyRouteId() != null) {
        left.add("Caddy route @id " + status.getCaddyRouteId());
      }
      if (status.getProxyHostId() != null) {
        left.add("NPM proxy host #" + status.getProxyHostId());
      }
    }
    return left;
  }

  private static HostnameClaim claim(Route route) {
    String created = route.getMetadata().getCreationTimestamp();
    return new HostnameClaim(
        route.getMetadata().getNamespace(),
        route.getMetadata().getName(),
        created == null ? null : java.time.Instant.parse(created));
  }

  /** A new status that keeps the external ids the operator recorded before. */
  private static RouteStatus carryOver(RouteStatus old) {
    RouteStatus status = new RouteStatus();
    if (old != null) {
      status.setProxyHostId(old.getProxyHostId());
      status.setCaddyRouteId(old.getCaddyRouteId());
      status.setDnsRecordIds(old.getDnsRecordIds());
    }
    return status;
  }
}
