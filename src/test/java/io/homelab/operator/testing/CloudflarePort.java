package io.homelab.operator.testing;

import io.homelab.operator.sandbox.cloudflare.CloudflareSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/**
 * Points the operator of every Quarkus test at a loopback port of its own for Cloudflare's API, so
 * no test ever reaches the real one. Nothing listens there unless a test starts the simulator on it
 * with {@link #simulator(URI)}: then the Edges of that test publish into it.
 */
@QuarkusTestResource(CloudflarePort.class)
public class CloudflarePort implements QuarkusTestResourceLifecycleManager {

  private static CloudflareSimulator simulator;

  @Override
  public Map<String, String> start() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return Map.of(
          "homelab.cloudflare.api-url", "http://127.0.0.1:" + socket.getLocalPort() + "/client/v4");
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port for the Cloudflare simulator", e);
    }
  }

  @Override
  public void stop() {}

  /**
   * The simulator on the port the operator was given ({@code homelab.cloudflare.api-url}), started
   * by the first test that asks.
   */
  public static synchronized CloudflareSimulator simulator(URI apiUrl) {
    if (simulator == null) {
      simulator = new CloudflareSimulator(Clock.systemUTC(), apiUrl.getPort());
    }
    return simulator;
  }

  /** Stops the simulator (a test class that started it, when it is done). */
  public static synchronized void stopSimulator() {
    if (simulator != null) {
      simulator.close();
      simulator = null;
    }
  }
}
