package io.homelab.operator.reconciler;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The test profile, with every log line also written as JSON to {@value #LOG_FILE}, the format
 * {@code quarkus.log.console.json.enabled=true} gives the console, a WireGuard poll of a second,
 * and the route probe on every second (its Edge's public address is loopback, where nothing answers
 * on Caddy's port: the probe fails fast and its gauges still show).
 */
public class ObservabilityProfile implements QuarkusTestProfile {

  /** Relative to the project directory, where Surefire runs the tests. */
  static final String LOG_FILE = "target/observability-test/operator.json.log";

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "quarkus.log.file.enabled", "true",
        "quarkus.log.file.path", LOG_FILE,
        "quarkus.log.file.json.enabled", "true",
        "homelab.poll.wireguard", "1s",
        "homelab.probe.enabled", "true",
        "homelab.probe.interval", "1s",
        "homelab.probe.timeout", "500ms");
  }
}
