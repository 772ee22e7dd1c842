package io.homelab.operator.reconciler.tunnel;

import io.homelab.operator.api.DeletionPolicy;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeWireGuard;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.HomeMode;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.api.tunnel.TunnelHome;
import io.homelab.operator.api.tunnel.TunnelStatus;
import io.homelab.operator.config.OperatorSettings;
import io.homelab.operator.driver.DriverException;
import io.homelab.operator.driver.HostAccess;
import io.homelab.operator.driver.wireguard.InterfaceConfig;
import io.homelab.operator.driver.wireguard.PeerConfig;
import io.homelab.operator.driver.wireguard.PeerState;
import io.homelab.operator.driver.wireguard.WireGuardDriver;
import io.homelab.operator.driver.wireguard.WireGuardHost;
import io.homelab.operator.driver.wireguard.WireGuardScripts;
import io.homelab.operator.model.OwnerMarker;
import io.homelab.operator.model.References;
import io.homelab.operator.model.RouteDecision;
import io.homelab.operator.model.SecretUses;
import io.homelab.operator.model.TunnelAddresses;
import io.homelab.operator.model.TunnelNetworks;
import io.homelab.operator.model.Verdict;
import io.homelab.operator.model.WireGuardKeys;
import io.homelab.operator.reconciler.Annotations;
import io.homelab.operator.reconciler.Deletions;
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
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Reconciles Tunnels: the Edge and the Secrets they name; then (with the drivers) the WireGuard
 * peer on the Edge and the home end's configuration. A Tunnel's deletion waits for the Routes that
 * use it, because their cleanup needs its NPM credentials.
 */
@ControllerConfiguration(name = "tunnel", generationAwareEventProcessing = false)
public class TunnelReconciler implements Reconciler<Tunnel>, Cleaner<Tunnel> {

  private static final Logger LOG = Logger.getLogger(TunnelReconciler.class);

  static final List<String> HOPS = List.of(ConditionType.PEER_READY);
  static final String PENDING_HOPS = "waits until the Tunnel's references resolve";
  static final String HOME_SECRET_SUFFIX = "-home";
  static final String PRIVATE_KEY = "privateKey";
  static final String PUBLIC_KEY = "publicKey";

  /** Stands in the home file when the user keeps the home private key. */
  static final String YOUR_PRIVATE_KEY = "<your home private key>";

  static final String EDGE_NOT_READY = "EdgeNotReady";
  static final String NETWORK_FULL = "NetworkFull";
  static final String NOT_OBSERVED = "NotObserved";
  static final String PEER_NOT_CONFIGURED = "PeerNotConfigured";
  static final String AWAITING_HOME = "AwaitingHomeConfig";
  static final String HANDSHAKE_TOO_OLD = "HandshakeTooOld";
  static final String HANDSHAKE_RECENT = "HandshakeRecent";
  static final String TOOLS_MISSING = "ToolsMissing";
  static final String CONFLICT = "Conflict";

  /** Addresses handed out but not yet in any status, per Edge: never twice, even in a race. */
  private final Map<String, Map<String, String>> claims = new HashMap<>();

  static final String BY_EDGE = "byEdge";
  static final String BY_TUNNEL = "byTunnel";

  @Inject Clock clock;
  @Inject Reporting reporting;
  @Inject Suspension suspension;
  @Inject Failures failures;
  @Inject Deletions deletions;
  @Inject OperatorSettings settings;
  @Inject WireGuardStates states;
  @Inject WireGuardDriver wireguard;

  @Override
  public List<EventSource<?, Tunnel>> prepareEventSources(EventSourceContext<Tunnel> context) {
    context.getPrimaryCache().addIndexer(BY_EDGE, t -> List.of(edgeKey(t)));
    InformerEventSource<Route, Tunnel> routes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Route.class, Tunnel.class)
                .withName("routes")
                .withSecondaryToPrimaryMapper(r -> Set.of(Sources.tunnelId(r)))
                .build(),
            context);
    routes.addIndexer(BY_TUNNEL, r -> List.of(RouteDecision.tunnelKey(r)));
    return List.of(
        Sources.indexed(context, Edge.class, "edges", BY_EDGE, Sources::key),
        routes,
        Sources.secrets(context, SecretUses::names));
  }

  @Override
  public UpdateControl<Tunnel> reconcile(Tunnel tunnel, Context<Tunnel> context) {
    try {
      Verdict resolved = resolvedRefs(tunnel, context);
      List<Verdict> verdicts = new ArrayList<>();
      verdicts.add(Verdict.isTrue(ConditionType.ACCEPTED, Reason.ACCEPTED, "The spec is valid"));
      verdicts.add(resolved);
      TunnelStatus status = carryOver(tunnel.getStatus());
      if (resolved.holds()) {
        Edge edge =
            Sources.get(
                    context,
                    Edge.class,
                    "edges",
                    tunnel.getMetadata().getNamespace(),
                    tunnel.getSpec().getEdgeRef().getName())
                .orElseThrow();
        Optional<Verdict> rejected =
            TunnelNetworks.check(
                tunnel, context.getPrimaryCache().byIndex(BY_EDGE, edgeKey(tunnel)), edge);
        if (rejected.isPresent()) {
          verdicts.set(0, rejected.get());
        } else {
          verdicts.add(peer(tunnel, edge, context, status));
        }
      }
      StatusAssembly.assemble(
          tunnel, status, clock, verdicts, HOPS, PENDING_HOPS, suspension.of(tunnel));
      SecretHolds.hold(tunnel, context);
      failures.succeeded(tunnel);
      return reporting.patchIfChanged(tunnel, status).rescheduleAfter(settings.poll().wireguard());
    } catch (RuntimeException e) {
      TunnelStatus status =
          StatusAssembly.failed(
              tunnel, carryOver(tunnel.getStatus()), clock, Reason.RECONCILE_ERROR, e.toString());
      return reporting.patchIfChanged(tunnel, status).rescheduleAfter(failures.failed(tunnel));
    }
  }

  /**
   * The address, the home key and the home config Secret; then PeerReady from the Edge's latest
   * read: the peer is there and its latest handshake is recent enough.
   */
  private Verdict peer(Tunnel tunnel, Edge edge, Context<Tunnel> context, TunnelStatus status) {
    if (edge.getStatus() == null || edge.getStatus().getPublicKey() == null) {
      return Verdict.unknown(
          ConditionType.PEER_READY,
          EDGE_NOT_READY,
          "Waits for the WireGuard interface of Edge " + Sources.key(edge));
    }
    String edgeKey = Sources.key(edge);
    Optional<WireGuardStates.Observed> observed = states.of(edgeKey);
    Optional<String> address = address(tunnel, edge, context, observed);
    if (address.isEmpty()) {
      return Verdict.isFalse(
          ConditionType.PEER_READY,
          NETWORK_FULL,
          "No free address left in " + edge.getSpec().getWireguard().getNetwork());
    }
    status.setAddress(address.get());
    String publicKey;
    try {
      publicKey = homeConfig(tunnel, edge, context, address.get(), status);
    } catch (DriverException e) {
      // SSH mode: the home host could not be configured.
      return Verdict.isFalse(ConditionType.PEER_READY, e.reason(), "Home: " + e.getMessage());
    }
    status.setPublicKey(publicKey);
    status.setEdgePublicKey(edge.getStatus().getPublicKey());
    status.setHomeConfigSecret(homeSecretName(tunnel));
    Optional<io.homelab.operator.api.Condition> failing = edgeFailure(edge);
    if (failing.isPresent()) {
      // What the Edge read last is stale: the peer can be neither confirmed nor changed now.
      return Verdict.isFalse(
          ConditionType.PEER_READY,
          failing.get().getReason(),
          "Edge "
              + edgeKey
              + " cannot confirm the peer ("
              + failing.get().getReason()
              + "): "
              + failing.get().getMessage());
    }
    if (observed.isEmpty()) {
      return Verdict.unknown(
          ConditionType.PEER_READY, NOT_OBSERVED, "The Edge's interface has not been read yet");
    }
    Optional<PeerState> peer = observed.get().host().dump().flatMap(d -> d.peer(publicKey));
    if (peer.isEmpty()) {
      return Verdict.isFalse(
          ConditionType.PEER_READY,
          PEER_NOT_CONFIGURED,
          "Edge " + edgeKey + " has no peer with this Tunnel's key yet");
    }
    status.setReceivedBytes(peer.get().receivedBytes());
    status.setSentBytes(peer.get().sentBytes());
    Instant handshake = peer.get().latestHandshake();
    if (handshake == null) {
      status.setLastHandshake(null);
      return Verdict.isFalse(
          ConditionType.PEER_READY,
          AWAITING_HOME,
          "No handshake yet: bring the home end up with the wg-quick file in Secret "
              + homeSecretName(tunnel));
    }
    status.setLastHandshake(handshake.toString());
    Duration maxAge = settings.wireguard().handshakeMaxAge();
    if (Duration.between(handshake, observed.get().at()).compareTo(maxAge) > 0) {
      return Verdict.isFalse(
          ConditionType.PEER_READY,
          HANDSHAKE_TOO_OLD,
          "The latest handshake is older than " + maxAge.toSeconds() + "s: is home up?");
    }
    return Verdict.isTrue(
        ConditionType.PEER_READY,
        HANDSHAKE_RECENT,
        "Home has shaken hands within the last " + maxAge.toSeconds() + "s");
  }

  /**
   * The spec's address; else the one in status; else the one in the Edge's config next to this
   * Tunnel's marker (a re-created Tunnel gets its address back); else the lowest free one.
   */
  private Optional<String> address(
      Tunnel tunnel,
      Edge edge,
      Context<Tunnel> context,
      Optional<WireGuardStates.Observed> observed) {
    if (tunnel.getSpec().getAddress() != null) {
      return Optional.of(tunnel.getSpec().getAddress());
    }
    if (tunnel.getStatus() != null && tunnel.getStatus().getAddress() != null) {
      return Optional.of(tunnel.getStatus().getAddress());
    }
    String marker = marker(tunnel).text();
    List<PeerConfig> configured =
        observed.map(o -> InterfaceConfig.peersOf(o.host().config())).orElse(List.of());
    for (PeerConfig peer : configured) {
      if (marker.equals(peer.marker()) && !peer.allowedIPs().isEmpty()) {
        return Optional.of(TunnelAddresses.hostOf(peer.allowedIPs().get(0)));
      }
    }
    String edgeKey = Sources.key(edge);
    String self = Sources.key(tunnel);
    synchronized (claims) {
      Map<String, String> claimed = claims.computeIfAbsent(edgeKey, k -> new HashMap<>());
      Set<String> taken = new HashSet<>();
      claimed.forEach(
          (owner, a) -> {
            if (!owner.equals(self)) {
              taken.add(a);
            }
          });
      for (Tunnel other : context.getPrimaryCache().byIndex(BY_EDGE, edgeKey)) {
        if (Sources.key(other).equals(self)) {
          continue;
        }
        if (other.getSpec().getAddress() != null) {
          taken.add(other.getSpec().getAddress());
        }
        if (other.getStatus() != null && other.getStatus().getAddress() != null) {
          taken.add(other.getStatus().getAddress());
        }
      }
      for (PeerConfig peer : configured) {
        if (!marker.equals(peer.marker()) && !peer.allowedIPs().isEmpty()) {
          taken.add(TunnelAddresses.hostOf(peer.allowedIPs().get(0)));
        }
      }
      String network = edge.getSpec().getWireguard().getNetwork();
      Optional<String> address =
          TunnelAddresses.allocate(
              network,
              TunnelAddresses.edgeAddress(network, edge.getSpec().getWireguard().getAddress()),
              taken);
      address.ifPresent(a -> claimed.put(self, a));
      return address;
    }
  }

  /**
   * Writes the home end's wg-quick file (and the generated key pair, when the spec names no home
   * public key) into the home Secret; returns the home public key.
   */
  private String homeConfig(
      Tunnel tunnel, Edge edge, Context<Tunnel> context, String address, TunnelStatus status) {
    String namespace = tunnel.getMetadata().getNamespace();
    String secretName = homeSecretName(tunnel);
    TunnelHome home = tunnel.getSpec().getHome();
    String givenPublicKey = home == null ? null : home.getPublicKey();
    String iface =
        home == null || home.getInterfaceName() == null ? "wg0" : home.getInterfaceName();
    Map<String, String> data = new LinkedHashMap<>();
    String privateKey;
    String publicKey;
    if (givenPublicKey != null) {
      privateKey = YOUR_PRIVATE_KEY;
      publicKey = givenPublicKey;
    } else {
      Map<String, String> current =
          GeneratedSecrets.read(context.getClient(), namespace, secretName).orElse(Map.of());
      String kept = current.get(PRIVATE_KEY);
      String rotation = rotationRequested(tunnel);
      WireGuardKeys.Pair pair =
          WireGuardKeys.isKey(kept) && rotation == null
              ? new WireGuardKeys.Pair(kept.trim(), WireGuardKeys.publicKeyOf(kept))
              : WireGuardKeys.generate();
      if (rotation != null) {
        // The Edge switches its peer to the new key at once: one public key per allowed IP.
        status.setRotation(rotation);
        LOG.infof("Tunnel %s: home key rotated (%s)", Sources.key(tunnel), rotation);
      }
      privateKey = pair.privateKey();
      publicKey = pair.publicKey();
      data.put(PRIVATE_KEY, privateKey);
    }
    data.put(PUBLIC_KEY, publicKey);
    EdgeWireGuard wg = edge.getSpec().getWireguard();
    InterfaceConfig config =
        new InterfaceConfig(
            marker(tunnel).text(),
            address + "/32",
            null,
            privateKey,
            wg.getMtu(),
            List.of(
                new PeerConfig(
                    null,
                    edge.getStatus().getPublicKey(),
                    List.of(wg.getNetwork()),
                    edge.getSpec().getPublicAddress().getIpv4() + ":" + wg.getListenPort(),
                    tunnel.getSpec().getPersistentKeepalive() == null
                        ? 25
                        : tunnel.getSpec().getPersistentKeepalive())));
    data.put(iface + ".conf", config.render());
    if (home != null && home.getMode() == HomeMode.SSH) {
      pushHome(tunnel, context, home, iface, config, wg.getNetwork());
    }
    GeneratedSecrets.ensure(
        context.getClient(),
        tunnel,
        marker(tunnel),
        tunnel.getSpec().getDeletionPolicy() == DeletionPolicy.Delete,
        secretName,
        data);
    return publicKey;
  }

  /**
   * SSH mode: the home host gets the same configuration, applied the way the Edge's is (file, then
   * {@code wg syncconf}), with a route to the Edge's network; nothing is written when the host
   * already has it. A config there without the operator's header is left alone.
   */
  private void pushHome(
      Tunnel tunnel,
      Context<Tunnel> context,
      TunnelHome home,
      String iface,
      InterfaceConfig config,
      String edgeNetwork) {
    HostAccess access = SshAccesses.of(context, tunnel.getMetadata().getNamespace(), home.getSsh());
    String owner = homeOwner(tunnel);
    String dir = settings.wireguard().configDir();
    WireGuardHost host = wireguard.observe(owner, access, dir, iface);
    if (!host.missingTools().isEmpty()) {
      throw new DriverException(
          TOOLS_MISSING,
          "Missing on the home host: " + String.join(", ", host.missingTools()),
          false);
    }
    if (host.config() != null && !InterfaceConfig.isOurs(host.config(), marker(tunnel).text())) {
      throw new DriverException(
          CONFLICT,
          WireGuardScripts.file(dir, iface)
              + " on the home host was not written by the operator: it is left alone",
          false);
    }
    boolean current =
        config.render().equals(host.config())
            && host.linkUp()
            && host.routes().contains(edgeNetwork);
    if (!current && suspension.mayWrite(tunnel)) {
      wireguard.apply(owner, access, dir, iface, config, List.of(edgeNetwork), List.of());
    }
  }

  /** Removes the home end's interface (SSH mode), when it is the operator's. */
  private void removeHome(Tunnel tunnel, Context<Tunnel> context) {
    TunnelHome home = tunnel.getSpec().getHome();
    String iface = home.getInterfaceName() == null ? "wg0" : home.getInterfaceName();
    HostAccess access = SshAccesses.of(context, tunnel.getMetadata().getNamespace(), home.getSsh());
    String dir = settings.wireguard().configDir();
    WireGuardHost host = wireguard.observe(homeOwner(tunnel), access, dir, iface);
    if (host.config() == null || InterfaceConfig.isOurs(host.config(), marker(tunnel).text())) {
      wireguard.remove(homeOwner(tunnel), access, dir, iface);
    }
    wireguard.disconnect(homeOwner(tunnel));
  }

  private static String homeOwner(Tunnel tunnel) {
    return "home " + Sources.key(tunnel);
  }

  private static boolean sshMode(Tunnel tunnel) {
    return tunnel.getSpec().getHome() != null
        && tunnel.getSpec().getHome().getMode() == HomeMode.SSH;
  }

  /** The rotate-keys annotation's value when it has not been carried out yet, else null. */
  static String rotationRequested(Tunnel tunnel) {
    Map<String, String> annotations = tunnel.getMetadata().getAnnotations();
    String requested = annotations == null ? null : annotations.get(Annotations.ROTATE_KEYS);
    String done = tunnel.getStatus() == null ? null : tunnel.getStatus().getRotation();
    return requested == null || requested.equals(done) ? null : requested;
  }

  static String homeSecretName(Tunnel tunnel) {
    TunnelHome home = tunnel.getSpec().getHome();
    return home != null && home.getSecretName() != null
        ? home.getSecretName()
        : tunnel.getMetadata().getName() + HOME_SECRET_SUFFIX;
  }

  private OwnerMarker marker(Tunnel tunnel) {
    return new OwnerMarker(
        settings.ownerId(),
        "Tunnel",
        tunnel.getMetadata().getNamespace(),
        tunnel.getMetadata().getName());
  }

  private Verdict resolvedRefs(Tunnel tunnel, Context<Tunnel> context) {
    String namespace = tunnel.getMetadata().getNamespace();
    String edgeName = tunnel.getSpec().getEdgeRef().getName();
    if (Sources.get(context, Edge.class, "edges", namespace, edgeName).isEmpty()) {
      return References.unresolved(
          References.EDGE_NOT_FOUND, "Edge " + namespace + "/" + edgeName + " does not exist");
    }
    return References.checkSecrets(
            namespace, SecretUses.of(tunnel), Sources.secretKeys(context, namespace))
        .orElse(References.resolved("The Edge and the Secrets are there"));
  }

  @Override
  public DeleteControl cleanup(Tunnel tunnel, Context<Tunnel> context) {
    return deletions
        .forced(tunnel, leftBehind(tunnel))
        .orElseGet(
            () -> {
              List<String> routes =
                  Sources.cache(context, Route.class, "routes")
                      .byIndex(BY_TUNNEL, Sources.key(tunnel))
                      .stream()
                      .map(Sources::key)
                      .sorted()
                      .toList();
              if (!routes.isEmpty()) {
                // The status keeps the key and address: a later pass (after a restart, before
                // the Edge is read) goes by them to wait for the peer's removal.
                return deletions.waitFor(
                    tunnel, context, () -> carryOver(tunnel.getStatus()), "Routes", routes);
              }
              if (tunnel.getSpec().getDeletionPolicy() == DeletionPolicy.Retain) {
                forgetClaim(tunnel);
                return deletions.cleanedUp(
                    tunnel,
                    "Released (deletionPolicy Retain): the WireGuard peer stays on the Edge");
              }
              // The Edge drops the peer of a Tunnel being deleted (this deletion wakes it);
              // the finalizer stays until its latest read shows the peer gone.
              Optional<Edge> edge =
                  Sources.get(
                      context,
                      Edge.class,
                      "edges",
                      tunnel.getMetadata().getNamespace(),
                      tunnel.getSpec().getEdgeRef().getName());
              // Not read since this process started (a restart): the peer may well be there still.
              boolean unread =
                  edge.isPresent()
                      && states.of(edgeKey(tunnel)).isEmpty()
                      && tunnel.getStatus() != null
                      && tunnel.getStatus().getPublicKey() != null;
              if (unread || peerStillOnEdge(tunnel)) {
                Optional<io.homelab.operator.api.Condition> failing =
                    edgeFailure(edge.orElse(null));
                if (failing.isPresent()) {
                  return deletions.failing(
                      tunnel,
                      context,
                      () -> carryOver(tunnel.getStatus()),
                      failing.get().getReason(),
                      "Deletion waits for Edge "
                          + edgeKey(tunnel)
                          + " to remove the peer ("
                          + failing.get().getReason()
                          + "): "
                          + failing.get().getMessage(),
                      failures.failed(tunnel));
                }
                return DeleteControl.noFinalizerRemoval().rescheduleAfter(PEER_REMOVAL_RECHECK);
              }
              // A home end that was never configured (its key is recorded only once the push
              // worked: a wrong host key, say) has nothing to remove.
              if (sshMode(tunnel)
                  && suspension.mayWrite(tunnel)
                  && tunnel.getStatus() != null
                  && tunnel.getStatus().getPublicKey() != null) {
                try {
                  removeHome(tunnel, context);
                } catch (DriverException e) {
                  LOG.warnf(
                      "Tunnel %s: removing the home interface failed: %s",
                      Sources.key(tunnel), e.getMessage());
                  return DeleteControl.noFinalizerRemoval()
                      .rescheduleAfter(failures.failed(tunnel));
                }
              }
              forgetClaim(tunnel);
              if (tunnel.getStatus() != null && tunnel.getStatus().getHomeConfigSecret() != null) {
                GeneratedSecrets.delete(
                    context.getClient(),
                    tunnel.getMetadata().getNamespace(),
                    tunnel.getStatus().getHomeConfigSecret(),
                    marker(tunnel));
              }
              return deletions.cleanedUp(
                  tunnel,
                  leftBehind(tunnel).isEmpty()
                      ? "Tunnel removed; nothing external was recorded for it"
                      : "Tunnel removed; left behind: " + String.join("; ", leftBehind(tunnel)));
            });
  }

  static final Duration PEER_REMOVAL_RECHECK = Duration.ofSeconds(1);

  private boolean peerStillOnEdge(Tunnel tunnel) {
    String marker = marker(tunnel).text();
    return states.configs(edgeKey(tunnel)).stream()
        .flatMap(config -> InterfaceConfig.peersOf(config).stream())
        .anyMatch(p -> marker.equals(p.marker()));
  }

  /** The Edge's Reachable or WireGuardReady when False: its VPS cannot be read or written. */
  private static Optional<io.homelab.operator.api.Condition> edgeFailure(Edge edge) {
    if (edge == null || edge.getStatus() == null || edge.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return edge.getStatus().getConditions().stream()
        .filter(
            c ->
                (ConditionType.REACHABLE.equals(c.getType())
                        || ConditionType.WIREGUARD_READY.equals(c.getType()))
                    && "False".equals(c.getStatus()))
        .findFirst();
  }

  private void forgetClaim(Tunnel tunnel) {
    synchronized (claims) {
      Map<String, String> claimed = claims.get(edgeKey(tunnel));
      if (claimed != null) {
        claimed.remove(Sources.key(tunnel));
      }
    }
  }

  static List<String> leftBehind(Tunnel tunnel) {
    List<String> left = new ArrayList<>();
    TunnelStatus status = tunnel.getStatus();
    if (status != null && status.getPublicKey() != null) {
      left.add(
          "WireGuard peer "
              + status.getPublicKey()
              + (status.getAddress() == null ? "" : " (" + status.getAddress() + ")")
              + " on Edge "
              + edgeKey(tunnel));
    }
    if (status != null && status.getHomeConfigSecret() != null) {
      left.add(
          "Secret " + tunnel.getMetadata().getNamespace() + "/" + status.getHomeConfigSecret());
    }
    return left;
  }

  private static String edgeKey(Tunnel tunnel) {
    return Sources.key(
        tunnel.getMetadata().getNamespace(), tunnel.getSpec().getEdgeRef().getName());
  }

  private static TunnelStatus carryOver(TunnelStatus old) {
    TunnelStatus status = new TunnelStatus();
    if (old != null) {
      status.setAddress(old.getAddress());
      status.setPublicKey(old.getPublicKey());
      status.setEdgePublicKey(old.getEdgePublicKey());
      status.setHomeConfigSecret(old.getHomeConfigSecret());
      status.setLastHandshake(old.getLastHandshake());
      status.setReceivedBytes(old.getReceivedBytes());
      status.setSentBytes(old.getSentBytes());
      status.setRotation(old.getRotation());
    }
    return status;
  }
}
