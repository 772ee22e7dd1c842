package io.homelab.operator.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homelab.operator.sandbox.lab.NetnsLab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The objects of {@code k8s-samples/}, pointed at the sandbox: the Secrets hold the simulators'
 * credentials and the edge's SSH key, the Edge is the lab's edge (or the simulated one), the
 * Tunnel's NPM is the NPM simulator, the Guest's address is the lab's application server (the
 * sample's when the edge is simulated). Everything else is as a person would apply it.
 */
public final class SandboxSamples {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** What the samples are pointed at. */
  public record Targets(
      EdgeTargets edge,
      Map<String, String> proxmoxSecret,
      String npmUrl,
      String npmIdentity,
      String npmSecret,
      String cloudflareToken) {}

  /**
   * The edge the Edge sample names and the home LAN the Tunnel and Guest samples name: the lab's
   * network namespaces, or the simulated edge on loopback.
   *
   * @param publicAddress the Edge's public IPv4 address
   * @param sshHost where its SSH server listens
   * @param sshPort the SSH port
   * @param hostKey the host key line to pin
   * @param clientKey the private key that logs in, OpenSSH format
   * @param interfaceName the Edge's WireGuard interface
   * @param caddyAdminAddress Caddy's admin API as the edge sees it, or null for the default
   * @param caddyListen the address of the operator's Caddy server
   * @param lanNetwork the home LAN the Tunnel routes, or null to keep the sample's
   * @param lanServer the application server's address on it (the VM Guest), or null
   */
  public record EdgeTargets(
      String publicAddress,
      String sshHost,
      int sshPort,
      String hostKey,
      String clientKey,
      String interfaceName,
      String caddyAdminAddress,
      String caddyListen,
      String lanNetwork,
      String lanServer) {

    /** The lab's edge and home, in network namespaces. */
    static EdgeTargets of(NetnsLab lab) {
      return new EdgeTargets(
          lab.edgePublicAddress,
          lab.sshHost,
          NetnsLab.SSH_PORT,
          lab.hostKey(),
          lab.clientKey(),
          lab.iface("wg0"),
          null,
          ":" + NetnsLab.CADDY_HTTPS_PORT,
          lab.lanNetwork,
          lab.lanServer);
    }
  }

  private SandboxSamples() {}

  /** Every document of the folder's YAML files, in file order. */
  public static List<ObjectNode> read(Path folder) {
    List<ObjectNode> documents = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
          var values = YAML.readValues(parser, JsonNode.class);
          while (values.hasNext()) {
            JsonNode doc = values.next();
            if (doc instanceof ObjectNode object && object.has("kind")) {
              documents.add(object);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the samples in " + folder, e);
    }
    return documents;
  }

  /** The sample, pointed at the sandbox. */
  public static ObjectNode localize(ObjectNode doc, Targets to) {
    ObjectNode copy = doc.deepCopy();
    String kind = copy.path("kind").asText();
    String name = copy.path("metadata").path("name").asText();
    ObjectNode spec = copy.path("spec") instanceof ObjectNode s ? s : null;
    EdgeTargets edge = to.edge();
    switch (kind) {
      case "Secret" -> {
        ObjectNode data = copy.putObject("stringData");
        copy.remove("data");
        switch (name) {
          case "vps-ssh" -> data.put("id_ed25519", edge.clientKey());
          case "cloudflare" -> data.put("apiToken", to.cloudflareToken());
          case "npm-login" -> data.put("identity", to.npmIdentity()).put("secret", to.npmSecret());
          case "proxmox" -> to.proxmoxSecret().forEach(data::put);
          default -> {}
        }
      }
      case "Edge" -> {
        ((ObjectNode) spec.path("publicAddress")).put("ipv4", edge.publicAddress());
        ((ObjectNode) spec.path("ssh"))
            .put("host", edge.sshHost())
            .put("port", edge.sshPort())
            .put("hostKey", edge.hostKey());
        ((ObjectNode) spec.path("wireguard")).put("interfaceName", edge.interfaceName());
        ObjectNode caddy = spec.putObject("caddy");
        caddy.put("issuer", "Internal");
        if (edge.caddyAdminAddress() != null) {
          caddy.put("adminAddress", edge.caddyAdminAddress());
        }
        caddy.putArray("listen").add(edge.caddyListen());
      }
      case "Tunnel" -> {
        ObjectNode manager = (ObjectNode) spec.path("proxyManager");
        manager.put("url", to.npmUrl());
        // NPM's nginx listens at the home end of the tunnel, port 80: the default upstream.
        manager.remove("upstream");
        if (edge.lanNetwork() != null) {
          spec.putArray("allowedIPs").add(edge.lanNetwork());
        }
      }
      case "Guest" -> {
        if (spec.path("type").asText().equals("vm") && edge.lanServer() != null) {
          ObjectNode ipv4 = (ObjectNode) spec.path("network").path("ipv4");
          ipv4.put("address", edge.lanServer() + "/24");
          ipv4.put("gateway", edge.lanNetwork().replace(".0/24", ".1"));
        }
      }
      default -> {}
    }
    return copy;
  }

  /** Creates the documents in order (the namespace first, as the file names sort). */
  public static void apply(KubernetesClient client, List<ObjectNode> documents) {
    for (ObjectNode doc : documents) {
      GenericKubernetesResource resource =
          client.getKubernetesSerialization().convertValue(doc, GenericKubernetesResource.class);
      client.resource(resource).create();
    }
  }
}
