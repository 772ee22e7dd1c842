package io.homelab.operator.driver.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link ProxmoxDriver} over the REST API. */
public final class HttpProxmoxDriver implements ProxmoxDriver {

  private static final String SSH_KEYS = "sshkeys";

  private final ProxmoxApi api;

  public HttpProxmoxDriver(ProxmoxEndpoint endpoint, Duration timeout) {
    this.api = new ProxmoxApi(endpoint, timeout);
  }

  @Override
  public List<ClusterGuest> guests() {
    List<ClusterGuest> guests = new ArrayList<>();
    for (JsonNode r : api.clusterResources()) {
      String type = r.path("type").asText();
      if (!type.equals("qemu") && !type.equals("lxc")) {
        continue;
      }
      String tags = r.path("tags").asText("");
      guests.add(
          new ClusterGuest(
              new GuestId(r.path("node").asText(), type, r.path("vmid").asInt()),
              r.path("name").asText(null),
              r.path("status").asText(),
              tags.isBlank()
                  ? java.util.Set.of()
                  : new LinkedHashSet<>(Arrays.asList(tags.trim().split("[;,\\s]+"))),
              r.path("maxcpu").asInt(),
              r.path("maxmem").asLong() / (1024 * 1024),
              r.path("maxdisk").asLong(),
              r.path("template").asInt() == 1,
              r.hasNonNull("lock") ? r.get("lock").asText() : null));
    }
    return guests;
  }

  @Override
  public List<String> nodes() {
    List<String> nodes = new java.util.ArrayList<>();
    api.nodes().forEach(n -> nodes.add(n.path("node").asText()));
    return nodes;
  }

  @Override
  public int nextFreeVmid() {
    return api.nextId(null).asInt();
  }

  @Override
  public boolean isFree(int vmid) {
    try {
      api.nextId(vmid);
      return true;
    } catch (ProxmoxException e) {
      if (e.status() == 400) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public Optional<Map<String, String>> config(GuestId guest) {
    JsonNode data;
    try {
      data = api.config(guest.node(), guest.type(), guest.vmid());
    } catch (ProxmoxException e) {
      if (e.notFound()) {
        return Optional.empty();
      }
      throw e;
    }
    Map<String, String> config = new TreeMap<>();
    data.fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
    config.computeIfPresent(SSH_KEYS, (k, v) -> URLDecoder.decode(v, StandardCharsets.UTF_8));
    return Optional.of(config);
  }

  @Override
  public Map<String, String> pending(GuestId guest) {
    Map<String, String> pending = new TreeMap<>();
    for (JsonNode e : api.pending(guest.node(), guest.type(), guest.vmid())) {
      if (e.has("pending")) {
        pending.put(e.path("key").asText(), e.get("pending").asText());
      } else if (e.path("delete").asInt() > 0) {
        pending.put(e.path("key").asText(), null);
      }
    }
    return pending;
  }

  @Override
  public String cloneGuest(GuestId template, int newid, Map<String, String> settings) {
    Map<String, String> params = new LinkedHashMap<>(settings);
    params.put("newid", String.valueOf(newid));
    return api.clone(template.node(), template.type(), template.vmid(), params).asText();
  }

  @Override
  public String createContainer(String node, int vmid, Map<String, String> settings) {
    Map<String, String> params = new LinkedHashMap<>(settings);
    params.put("vmid", String.valueOf(vmid));
    return api.createLxc(node, params).asText();
  }

  @Override
  public void updateConfig(GuestId guest, Map<String, String> set, List<String> delete) {
    Map<String, String> params = new LinkedHashMap<>(set);
    params.computeIfPresent(SSH_KEYS, (k, v) -> ProxmoxApi.encode(v));
    if (!delete.isEmpty()) {
      params.put("delete", String.join(",", delete));
    }
    api.putConfig(guest.node(), guest.type(), guest.vmid(), params);
  }

  @Override
  public String resize(GuestId guest, String disk, String size) {
    return api.resize(guest.node(), guest.type(), guest.vmid(), disk, size).asText();
  }

  @Override
  public String start(GuestId guest) {
    return api.status(guest.node(), guest.type(), guest.vmid(), "start", Map.of()).asText();
  }

  @Override
  public String shutdown(GuestId guest, int timeoutSeconds) {
    return api.status(
            guest.node(),
            guest.type(),
            guest.vmid(),
            "shutdown",
            Map.of("timeout", String.valueOf(timeoutSeconds), "forceStop", "1"))
        .asText();
  }

  @Override
  public String stop(GuestId guest) {
    return api.status(guest.node(), guest.type(), guest.vmid(), "stop", Map.of()).asText();
  }

  @Override
  public String destroy(GuestId guest) {
    return api.destroy(guest.node(), guest.type(), guest.vmid()).asText();
  }

  @Override
  public TaskStatus task(String node, String upid) {
    JsonNode t = api.taskStatus(node, upid);
    boolean running = "running".equals(t.path("status").asText());
    return new TaskStatus(upid, running, running ? null : t.path("exitstatus").asText(null));
  }

  @Override
  public List<String> taskLog(String node, String upid, int lines) {
    List<String> all = new ArrayList<>();
    for (JsonNode line : api.taskLog(node, upid, 0, 500)) {
      all.add(line.path("t").asText());
    }
    return all.subList(Math.max(0, all.size() - lines), all.size());
  }

  @Override
  public List<String> addresses(GuestId guest) {
    List<String> addresses = new ArrayList<>();
    if (guest.type().equals("lxc")) {
      for (JsonNode i : api.lxcInterfaces(guest.node(), guest.vmid())) {
        for (String key : List.of("inet", "inet6")) {
          if (i.hasNonNull(key)) {
            Arrays.stream(i.get(key).asText().split("\\s+"))
                .map(a -> a.replaceAll("/\\d+$", ""))
                .filter(a -> !a.isBlank())
                .forEach(addresses::add);
          }
        }
      }
      return addresses;
    }
    JsonNode interfaces;
    try {
      interfaces = api.agentInterfaces(guest.node(), guest.vmid()).path("result");
    } catch (ProxmoxException e) {
      // The agent answers only once the guest has booted and runs it: no addresses yet.
      if (e.status() == 500 && !e.notFound()) {
        return List.of();
      }
      throw e;
    }
    for (JsonNode i : interfaces) {
      for (JsonNode a : i.path("ip-addresses")) {
        addresses.add(a.path("ip-address").asText());
      }
    }
    return addresses;
  }
}
