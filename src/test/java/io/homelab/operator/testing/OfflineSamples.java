package io.homelab.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The samples as tests apply them. The samples name a VPS, a Proxmox host and an NPM that exist
 * only in a reader's homelab; tests that apply them point every address the operator would connect
 * to at a loopback port where nothing listens, so no test ever sends a packet beyond this machine
 * (the operator sees a refused connection, as with a host that is down).
 */
public final class OfflineSamples {

  /** A loopback address and port where nothing listens. */
  public static final String NOWHERE = "127.0.0.1";

  public static final int NOWHERE_PORT = 9;

  private OfflineSamples() {}

  /** A copy of the document with every address the operator connects to made local. */
  public static JsonNode localize(JsonNode document) {
    ObjectNode copy = document.deepCopy();
    String kind = copy.path("kind").asText();
    JsonNode spec = copy.path("spec");
    switch (kind) {
      case "Edge" -> {
        ((ObjectNode) spec.path("ssh")).put("host", NOWHERE).put("port", NOWHERE_PORT);
      }
      case "Tunnel" -> {
        if (spec.path("proxyManager").isObject()) {
          ((ObjectNode) spec.get("proxyManager"))
              .put("url", "http://" + NOWHERE + ":" + NOWHERE_PORT + "/api");
        }
        if (spec.path("home").path("ssh").isObject()) {
          ((ObjectNode) spec.get("home").get("ssh")).put("host", NOWHERE).put("port", NOWHERE_PORT);
        }
      }
      case "Secret" -> {
        if (copy.path("stringData").has("url")) {
          ((ObjectNode) copy.get("stringData"))
              .put("url", "https://" + NOWHERE + ":" + NOWHERE_PORT);
        }
      }
      default -> {
        // Routes and Guests connect to nothing themselves.
      }
    }
    return copy;
  }
}
