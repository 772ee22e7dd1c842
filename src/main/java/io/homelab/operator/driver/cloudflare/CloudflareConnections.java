package io.homelab.operator.driver.cloudflare;

import io.homelab.operator.config.OperatorSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Cloudflare driver per API token, kept across reconciles: Cloudflare's rate limit counts per
 * user, so the request budget and a 429's deferral must outlive one reconcile. Drivers are keyed by
 * a hash of the token, never the token itself.
 */
@ApplicationScoped
public class CloudflareConnections {

  private final Map<String, CloudflareDriver> drivers = new ConcurrentHashMap<>();
  private final OperatorSettings settings;
  private final Clock clock;
  private final MeterRegistry meters;

  @Inject
  public CloudflareConnections(OperatorSettings settings, Clock clock, MeterRegistry meters) {
    this.settings = settings;
    this.clock = clock;
    this.meters = meters;
  }

  /** The driver for an API token. */
  public CloudflareDriver forToken(String token) {
    return drivers.computeIfAbsent(
        fingerprint(token),
        key -> {
          CloudflareDriver driver =
              new HttpCloudflareDriver(
                  settings.cloudflare().apiUrl(),
                  token,
                  clock,
                  settings.cloudflare().requestTimeout());
          // The token is never a label: the first hex digits of its hash tell tokens apart.
          Gauge.builder("homelab.cloudflare.requests.used", driver, d -> d.budget().used())
              .description("Cloudflare requests spent in the current rate-limit window")
              .tag("token", key)
              .register(meters);
          Gauge.builder("homelab.cloudflare.requests.limit", driver, d -> d.budget().limit())
              .description("Cloudflare requests one rate-limit window allows")
              .tag("token", key)
              .register(meters);
          return driver;
        });
  }

  private static String fingerprint(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
