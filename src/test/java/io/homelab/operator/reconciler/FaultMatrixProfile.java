package io.homelab.operator.reconciler;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The fault matrix's operator: one-second request timeouts, so a hanging system costs a cell one
 * second per attempt instead of ten, and a WireGuard poll of 5 s, since the matrix runs sixteen
 * Edges on one simulated VPS. Everything else is the test profile.
 */
public class FaultMatrixProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "homelab.npm.request-timeout", "1s",
        "homelab.cloudflare.request-timeout", "1s",
        "homelab.proxmox.request-timeout", "1s",
        "homelab.poll.wireguard", "5s");
  }
}
