package io.homelab.operator.driver.npm;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One NPM driver per NPM URL and login, built when a Tunnel first names them and kept, so its token
 * lives across reconciles; a changed URL or Secret gets a new driver.
 */
@ApplicationScoped
public class NpmConnections {

  private record Key(URI url, NpmCredentials credentials) {}

  private final Map<Key, NpmDriver> drivers = new ConcurrentHashMap<>();
  private final Clock clock;

  @Inject
  public NpmConnections(Clock clock) {
    this.clock = clock;
  }

  /** The driver for the NPM API at {@code url} (a Tunnel's {@code spec.proxyManager.url}). */
  public NpmDriver forUrl(URI url, NpmCredentials credentials, Duration timeout) {
    return drivers.computeIfAbsent(
        new Key(url, credentials), key -> new HttpNpmDriver(url, credentials, clock, timeout));
  }

  /** Forgets the drivers of an NPM URL (its Tunnel is gone or names another). */
  public void forget(URI url) {
    drivers.keySet().removeIf(key -> key.url().equals(url));
  }
}
