package io.homelab.operator.reconciler;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The test profile, with every log line also written as JSON to {@value #LOG_FILE}, the format
 * {@code quarkus.log.console.json.enabled=true} gives the console, and a WireGuard poll of a
 * second.
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
        "homelab.poll.wireguard", "1s");
  }
}
