package io.homelab.operator.observability;

import io.smallrye.health.api.HealthRegistry;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * One named wellness check per remote end the operator keeps a connection to (each Edge's SSH, each
 * Proxmox VE endpoint), in {@code /q/health/well}: UP while the last attempt reached it, DOWN with
 * the error while it failed. Wellness checks never take the pod out of service: the readiness and
 * liveness probes do not see them. They tell what the operator last saw and never make a call of
 * their own.
 */
@ApplicationScoped
public class Reachability {

  /** The last result per check name: empty when reached, else the error. */
  private final Map<String, Optional<String>> states = new ConcurrentHashMap<>();

  @Inject @Wellness HealthRegistry wellness;

  /** The check of an SSH connection's owner (an Edge's namespace/name, a home host). */
  public static String ssh(String owner) {
    return "ssh " + owner;
  }

  /** The check of a Proxmox VE endpoint (its URL and token ID, never the secret). */
  public static String proxmox(String endpoint) {
    return "proxmox " + endpoint;
  }

  /** The last attempt reached the remote end. */
  public void reached(String check) {
    update(check, Optional.empty());
  }

  /** The last attempt failed with {@code error} (a message with no credential). */
  public void failed(String check, String error) {
    update(check, Optional.of(error == null ? "failed" : error));
  }

  /** The remote end is no longer used: its check goes. */
  public void forget(String check) {
    if (states.remove(check) != null) {
      wellness.remove(check);
    }
  }

  private void update(String check, Optional<String> state) {
    if (states.put(check, state) == null) {
      wellness.register(check, () -> response(check));
    }
  }

  private HealthCheckResponse response(String check) {
    Optional<String> state = states.getOrDefault(check, Optional.of("no longer used"));
    return state
        .map(error -> HealthCheckResponse.named(check).down().withData("error", error).build())
        .orElseGet(() -> HealthCheckResponse.named(check).up().build());
  }
}
