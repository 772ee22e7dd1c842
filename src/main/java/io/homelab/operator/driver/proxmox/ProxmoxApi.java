package io.homelab.operator.driver.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.homelab.operator.driver.ExternalCalls;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Proxmox VE REST API, one method per call, nothing more: parameters go out as Proxmox takes
 * them (a query for GET and DELETE, a form for POST and PUT), the {@code data} of the reply comes
 * back. {@code type} is {@code qemu} or {@code lxc}. Every call is measured in {@link
 * ExternalCalls}.
 */
final class ProxmoxApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProxmoxEndpoint endpoint;
  private final HttpClient http;
  private final Duration timeout;

  ProxmoxApi(ProxmoxEndpoint endpoint, Duration timeout) {
    this.endpoint = endpoint;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .sslContext(ProxmoxTls.context(endpoint))
            .connectTimeout(timeout)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** {@code GET /nodes}: the cluster's nodes. */
  JsonNode nodes() {
    return call("GET", "/nodes", Map.of());
  }

  /** {@code GET /cluster/resources?type=vm}: every guest, with state, size and tags. */
  JsonNode clusterResources() {
    return call("GET", "/cluster/resources", Map.of("type", "vm"));
  }

  /** {@code GET /cluster/nextid}, with {@code vmid} to ask whether that one is free. */
  JsonNode nextId(Integer vmid) {
    return call("GET", "/cluster/nextid", vmid == null ? Map.of() : Map.of("vmid", "" + vmid));
  }

  /** {@code GET /nodes/{node}/{type}/{vmid}/config}. */
  JsonNode config(String node, String type, int vmid) {
    return call("GET", guest(node, type, vmid) + "/config", Map.of());
  }

  /** {@code PUT /nodes/{node}/{type}/{vmid}/config}: changes applied at once, no task. */
  JsonNode putConfig(String node, String type, int vmid, Map<String, String> params) {
    return call("PUT", guest(node, type, vmid) + "/config", params);
  }

  /** {@code GET /nodes/{node}/{type}/{vmid}/pending}: changes that wait for a restart. */
  JsonNode pending(String node, String type, int vmid) {
    return call("GET", guest(node, type, vmid) + "/pending", Map.of());
  }

  /** {@code POST /nodes/{node}/{type}/{vmid}/clone}: returns a UPID. */
  JsonNode clone(String node, String type, int vmid, Map<String, String> params) {
    return call("POST", guest(node, type, vmid) + "/clone", params);
  }

  /** {@code POST /nodes/{node}/lxc}: creates a container from an ostemplate; returns a UPID. */
  JsonNode createLxc(String node, Map<String, String> params) {
    return call("POST", "/nodes/" + node + "/lxc", params);
  }

  /** {@code PUT /nodes/{node}/{type}/{vmid}/resize}: grows a disk; returns a UPID. */
  JsonNode resize(String node, String type, int vmid, String disk, String size) {
    return call("PUT", guest(node, type, vmid) + "/resize", Map.of("disk", disk, "size", size));
  }

  /**
   * {@code POST /nodes/{node}/{type}/{vmid}/status/{action}} for start, stop and shutdown (with
   * {@code timeout} and {@code forceStop}); returns a UPID.
   */
  JsonNode status(String node, String type, int vmid, String action, Map<String, String> params) {
    return call("POST", guest(node, type, vmid) + "/status/" + action, params);
  }

  /**
   * {@code DELETE /nodes/{node}/{type}/{vmid}?purge=1&destroy-unreferenced-disks=1}: returns a
   * UPID.
   */
  JsonNode destroy(String node, String type, int vmid) {
    return call(
        "DELETE", guest(node, type, vmid), Map.of("purge", "1", "destroy-unreferenced-disks", "1"));
  }

  /** {@code GET /nodes/{node}/tasks/{upid}/status}. */
  JsonNode taskStatus(String node, String upid) {
    return call("GET", "/nodes/" + node + "/tasks/" + encode(upid) + "/status", Map.of());
  }

  /** {@code GET /nodes/{node}/tasks/{upid}/log?start=&limit=}. */
  JsonNode taskLog(String node, String upid, int start, int limit) {
    return call(
        "GET",
        "/nodes/" + node + "/tasks/" + encode(upid) + "/log",
        Map.of("start", "" + start, "limit", "" + limit));
  }

  /** {@code GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces}. */
  JsonNode agentInterfaces(String node, int vmid) {
    return call("GET", guest(node, "qemu", vmid) + "/agent/network-get-interfaces", Map.of());
  }

  /** {@code GET /nodes/{node}/lxc/{vmid}/interfaces}. */
  JsonNode lxcInterfaces(String node, int vmid) {
    return call("GET", guest(node, "lxc", vmid) + "/interfaces", Map.of());
  }

  private static String guest(String node, String type, int vmid) {
    return "/nodes/" + node + "/" + type + "/" + vmid;
  }

  private JsonNode call(String method, String path, Map<String, String> params) {
    String form = form(params);
    boolean inQuery = method.equals("GET") || method.equals("DELETE");
    URI uri =
        URI.create(endpoint.apiBase() + path + (inQuery && !form.isEmpty() ? "?" + form : ""));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header(
                "Authorization",
                "PVEAPIToken=" + endpoint.tokenId() + "=" + endpoint.tokenSecret());
    if (inQuery) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/x-www-form-urlencoded")
          .method(method, HttpRequest.BodyPublishers.ofString(form));
    }
    HttpResponse<String> response;
    long start = System.nanoTime();
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      ExternalCalls.http(
          ExternalCalls.PROXMOX, method, path, ExternalCalls.Outcome.UNREACHABLE, start);
      throw new ProxmoxException(method + " " + path + " timed out after " + timeout, e);
    } catch (IOException e) {
      ExternalCalls.http(
          ExternalCalls.PROXMOX, method, path, ExternalCalls.Outcome.UNREACHABLE, start);
      throw new ProxmoxException(method + " " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      ExternalCalls.http(
          ExternalCalls.PROXMOX, method, path, ExternalCalls.Outcome.UNREACHABLE, start);
      Thread.currentThread().interrupt();
      throw new ProxmoxException(method + " " + path + " was interrupted", e);
    }
    ExternalCalls.http(
        ExternalCalls.PROXMOX,
        method,
        path,
        ExternalCalls.Outcome.ofStatus(response.statusCode()),
        start);
    JsonNode body;
    try {
      body = JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
    } catch (IOException e) {
      throw new ProxmoxException(response.statusCode(), "a reply that is not JSON: " + e);
    }
    if (response.statusCode() / 100 != 2) {
      String message = body.path("message").asText("HTTP " + response.statusCode()).trim();
      if (body.has("errors")) {
        message += " " + body.get("errors");
      }
      throw new ProxmoxException(response.statusCode(), message);
    }
    return body.path("data");
  }

  private static String form(Map<String, String> params) {
    Map<String, String> ordered = new LinkedHashMap<>(params);
    return ordered.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
