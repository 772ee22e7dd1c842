package io.homelab.operator.reconciler.guest;

import io.fabric8.kubernetes.api.model.Secret;
import io.homelab.operator.config.OperatorSettings;
import io.homelab.operator.driver.proxmox.ClusterGuest;
import io.homelab.operator.driver.proxmox.HttpProxmoxDriver;
import io.homelab.operator.driver.proxmox.ProxmoxDriver;
import io.homelab.operator.driver.proxmox.ProxmoxEndpoint;
import io.homelab.operator.observability.Reachability;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One driver per Proxmox endpoint, and the bulk read all Guests of an endpoint share: one {@code
 * /cluster/resources} per poll interval, whatever the number of Guests. Each endpoint is a wellness
 * check ({@link Reachability}), as its last bulk read found it.
 */
@ApplicationScoped
public class ProxmoxConnections {

  /** The guest list of one endpoint at one moment. */
  private record Snapshot(Instant at, List<ClusterGuest> guests) {}

  @Inject OperatorSettings settings;
  @Inject Clock clock;
  @Inject Reachability reachability;

  private final Map<ProxmoxEndpoint, ProxmoxDriver> drivers = new ConcurrentHashMap<>();
  private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  /** The endpoint a connection Secret describes; IllegalArgumentException when it cannot work. */
  public static ProxmoxEndpoint endpoint(Secret secret, boolean insecure) {
    Map<String, String> values = new HashMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  values.put(
                      k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8).trim()));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> values.put(k, v.trim()));
    }
    return new ProxmoxEndpoint(
        values.get("url"),
        values.get("tokenId"),
        values.get("tokenSecret"),
        values.get("caBundle"),
        values.get("fingerprint"),
        insecure);
  }

  public ProxmoxDriver driver(ProxmoxEndpoint endpoint) {
    return drivers.computeIfAbsent(
        endpoint, e -> new HttpProxmoxDriver(e, settings.proxmox().requestTimeout()));
  }

  /**
   * Every guest of the endpoint, read at most once per poll interval and shared by all Guests of
   * the endpoint.
   */
  public List<ClusterGuest> guests(ProxmoxEndpoint endpoint) {
    String key = endpoint.name();
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      Snapshot snapshot = snapshots.get(key);
      Instant now = clock.instant();
      Duration poll = settings.poll().proxmox();
      if (snapshot == null || !snapshot.at().plus(poll).isAfter(now)) {
        try {
          snapshot = new Snapshot(now, driver(endpoint).guests());
        } catch (RuntimeException e) {
          reachability.failed(Reachability.proxmox(key), e.getMessage());
          throw e;
        }
        reachability.reached(Reachability.proxmox(key));
        snapshots.put(key, snapshot);
      }
      return snapshot.guests();
    }
  }

  /** After a write: the next look reads the list again. */
  public void invalidate(ProxmoxEndpoint endpoint) {
    snapshots.remove(endpoint.name());
  }
}
