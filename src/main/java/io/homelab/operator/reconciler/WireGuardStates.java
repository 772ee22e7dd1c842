package io.homelab.operator.reconciler;

import io.homelab.operator.driver.wireguard.WireGuardHost;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest read of each Edge's WireGuard interface, shared with its Tunnels: one {@code wg show}
 * per Edge per poll serves them all.
 */
@ApplicationScoped
public class WireGuardStates {

  /** One read and when it was made. */
  public record Observed(WireGuardHost host, Instant at) {}

  private final Map<String, Observed> byEdge = new ConcurrentHashMap<>();
  private final Map<String, String> applying = new ConcurrentHashMap<>();

  public void put(String edgeKey, WireGuardHost host, Instant at) {
    byEdge.put(edgeKey, new Observed(host, at));
    applying.remove(edgeKey);
  }

  /**
   * A config is being written to the Edge: until the next read, its peers count as present too, so
   * a Tunnel deleted meanwhile waits for the Edge to take its peer out again.
   */
  public void applying(String edgeKey, String config) {
    applying.put(edgeKey, config);
  }

  /** The configs that may be on the Edge now: the last one read, and one being written. */
  public List<String> configs(String edgeKey) {
    List<String> configs = new ArrayList<>();
    Observed observed = byEdge.get(edgeKey);
    if (observed != null && observed.host().config() != null) {
      configs.add(observed.host().config());
    }
    String pending = applying.get(edgeKey);
    if (pending != null) {
      configs.add(pending);
    }
    return configs;
  }

  public Optional<Observed> of(String edgeKey) {
    return Optional.ofNullable(byEdge.get(edgeKey));
  }

  public void forget(String edgeKey) {
    byEdge.remove(edgeKey);
    applying.remove(edgeKey);
  }
}
