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
 * credentials and the lab's SSH key, the Edge is the lab's edge, the Tunnel's NPM is the NPM
 * simulator, the Guest's address is the lab's application server. Everything else is as a person
 * would apply it.
 */
final class SandboxSamples {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** What the samples are pointed at. */
  record Targets(
      NetnsLab lab,
      Map<String, String> proxmoxSecret,
      String npmUrl,
      String npmIdentity,
      String npmSecret,
      String cloudflareToken) {}

  private SandboxSamples() {}

  /** Every document of the folder's YAML files, in file order. */
  static List<ObjectNode> read(Path folder) {
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
  static ObjectNode localize(ObjectNode doc, Targets to) {
    ObjectNode copy = doc.deepCopy();
    String kind = copy.path("kind").asText();
    String name = copy.path("metadata").path("name").asText();
    ObjectNode spec = copy.path("spec") instanceof ObjectNode s ? s : null;
    NetnsLab lab = to.lab();
    switch (kind) {
      case "Secret" -> {
        ObjectNode data = copy.putObject("stringData");
        copy.remove("data");
        switch (name) {
          case "vps-ssh" -> data.put("id_ed25519", lab.clientKey());
          case "cloudflare" -> data.put("apiToken", to.cloudflareToken());
          case "npm-login" -> data.put("identity", to.npmIdentity()).put("secret", to.npmSecret());
          case "proxmox" -> to.proxmoxSecret().forEach(data::put);
          default -> {}
        }
      }
      case "Edge" -> {
        ((ObjectNode) spec.path("publicAddress")).put("ipv4", lab.edgePublicAddress);
        ((ObjectNode) spec.path("ssh"))
            .put("host", lab.sshHost)
            .put("port", NetnsLab.SSH_PORT)
            .put("hostKey", lab.hostKey());
        ((ObjectNode) spec.path("wireguard")).put("interfaceName", lab.iface("wg0"));
        ObjectNode caddy = spec.putObject("caddy");
        caddy.put("issuer", "Internal");
        caddy.putArray("listen").add(":" + NetnsLab.CADDY_HTTPS_PORT);
      }
      case "Tunnel" -> {
        ObjectNode manager = (ObjectNode) spec.path("proxyManager");
        manager.put("url", to.npmUrl());
        // NPM's nginx listens at the home end of the tunnel, port 80: the default upstream.
        manager.remove("upstream");
        spec.putArray("allowedIPs").add(lab.lanNetwork);
      }
      case "Guest" -> {
        if (spec.path("type").asText().equals("vm")) {
          ObjectNode ipv4 = (ObjectNode) spec.path("network").path("ipv4");
          ipv4.put("address", lab.lanServer + "/24");
          ipv4.put("gateway", lab.lanNetwork.replace(".0/24", ".1"));
        }
      }
      default -> {}
    }
    return copy;
  }

  /** Creates the documents in order (the namespace first, as the file names sort). */
  static void apply(KubernetesClient client, List<ObjectNode> documents) {
    for (ObjectNode doc : documents) {
      GenericKubernetesResource resource =
          client.getKubernetesSerialization().convertValue(doc, GenericKubernetesResource.class);
      client.resource(resource).create();
    }
  }
}
