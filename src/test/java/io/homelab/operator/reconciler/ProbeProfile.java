package io.homelab.operator.reconciler;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The test profile with the route probe on: every three seconds, a two-second timeout, and the CA
 * file {@link #CA_FILE} trusted beside the JVM's (a test copies its Edge's Caddy root certificate
 * there). Only tests whose Edges are in the network-namespace lab use it: the others' addresses are
 * not to be dialled.
 */
public class ProbeProfile implements QuarkusTestProfile {

  /** Longer than the timeout, as the operator requires. */
  static final Duration INTERVAL = Duration.ofSeconds(3);

  static final Path CA_FILE =
      Path.of(
          System.getProperty("java.io.tmpdir"),
          "homelab-operator-test",
          "probe-ca-" + ProcessHandle.current().pid() + ".pem");

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "homelab.probe.enabled",
        "true",
        "homelab.probe.interval",
        INTERVAL.toMillis() + "ms",
        "homelab.probe.timeout",
        "2s",
        "homelab.probe.ca-file",
        CA_FILE.toString());
  }
}
