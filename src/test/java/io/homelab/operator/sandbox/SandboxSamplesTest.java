package io.homelab.operator.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The samples pointed at the simulated edge, as the sandbox does when it is not root. */
class SandboxSamplesTest {

  private static final SandboxSamples.Targets SIMULATED =
      new SandboxSamples.Targets(
          new SandboxSamples.EdgeTargets(
              "127.0.0.1",
              "127.0.0.1",
              40022,
              "ssh-ed25519 AAAAtest",
              "-----BEGIN OPENSSH PRIVATE KEY-----\ntest\n",
              "wg0",
              "127.0.0.1:40019",
              "127.0.0.1:40443",
              null,
              null),
          Map.of("tokenId", "id"),
          "http://127.0.0.1:40081/api",
          "admin@example.com",
          "secret",
          "token");

  private static ObjectNode sample(String kind, String name) {
    List<ObjectNode> docs = SandboxSamples.read(Path.of("k8s-samples"));
    return docs.stream()
        .filter(d -> d.path("kind").asText().equals(kind))
        .filter(d -> name == null || d.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .map(d -> SandboxSamples.localize(d, SIMULATED))
        .orElseThrow();
  }

  @Test
  void edgeIsTheSimulatedOne() {
    ObjectNode spec = (ObjectNode) sample("Edge", null).path("spec");
    assertThat(spec.path("publicAddress").path("ipv4").asText()).isEqualTo("127.0.0.1");
    assertThat(spec.path("ssh").path("host").asText()).isEqualTo("127.0.0.1");
    assertThat(spec.path("ssh").path("port").asInt()).isEqualTo(40022);
    assertThat(spec.path("ssh").path("hostKey").asText()).isEqualTo("ssh-ed25519 AAAAtest");
    assertThat(spec.path("wireguard").path("interfaceName").asText()).isEqualTo("wg0");
    assertThat(spec.path("caddy").path("adminAddress").asText()).isEqualTo("127.0.0.1:40019");
    assertThat(spec.path("caddy").path("issuer").asText()).isEqualTo("Internal");
    assertThat(spec.path("caddy").path("listen").toString()).isEqualTo("[\"127.0.0.1:40443\"]");
  }

  @Test
  void keySecretAndHomeLan() {
    assertThat(sample("Secret", "vps-ssh").path("stringData").path("id_ed25519").asText())
        .startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
    ObjectNode tunnel = (ObjectNode) sample("Tunnel", null).path("spec");
    assertThat(tunnel.path("proxyManager").path("url").asText())
        .isEqualTo("http://127.0.0.1:40081/api");
    // No lab: the home LAN stays the sample's.
    assertThat(tunnel.path("allowedIPs").toString()).isEqualTo("[\"192.168.1.0/24\"]");
  }
}
