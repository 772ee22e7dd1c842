package io.homelab.operator.sandbox.proxmox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The state behind the simulator: nodes, guests (templates among them) with their config, pending
 * changes, power state and locks, and tasks. A task runs for the configured delay; its effect lands
 * when it ends, which is noticed on the next request (no thread of its own).
 */
public final class SimulatedCluster {

  /** What the HTTP layer sends back: data with 200, or a status and message. */
  record Reply(int status, Object data, String message) {
    static Reply ok(Object data) {
      return new Reply(200, data, null);
    }

    static Reply error(int status, String message) {
      return new Reply(status, null, message);
    }
  }

  /** One guest, as a test sees it. */
  public static final class SimGuest {
    final String node;
    final int vmid;
    final String type;
    String status = "stopped";
    String lock;
    final Map<String, String> config = new TreeMap<>();
    final Map<String, String> pending = new TreeMap<>();

    SimGuest(String node, int vmid, String type) {
      this.node = node;
      this.vmid = vmid;
      this.type = type;
    }

    public String node() {
      return node;
    }

    public int vmid() {
      return vmid;
    }

    public String status() {
      return status;
    }

    public Map<String, String> config() {
      return Map.copyOf(config);
    }

    public Map<String, String> pending() {
      return Map.copyOf(pending);
    }

    boolean agentOn() {
      String agent = config.getOrDefault("agent", "0");
      return agent.equals("1") || agent.startsWith("1,") || agent.contains("enabled=1");
    }

    String address() {
      return "10.10." + (vmid / 250) % 250 + "." + (vmid % 250 + 2);
    }
  }

  private static final class Task {
    final String upid;
    final String node;
    final long endsAt;
    Consumer<Task> effect;
    final List<String> log = new ArrayList<>();
    String exitstatus;

    Task(String upid, String node, long endsAt, Consumer<Task> effect) {
      this.upid = upid;
      this.node = node;
      this.endsAt = endsAt;
      this.effect = effect;
    }
  }

  /** Keys a running VM takes only at its next start; others change at once. */
  static final Set<String> COLD_KEYS = Set.of("agent", "machine", "bios", "cpu", "scsihw");

  private static final Pattern DISK = Pattern.compile("(scsi|virtio|sata|ide)\\d+|rootfs|mp\\d+");
  private static final Pattern SIZE = Pattern.compile("size=(\\d+(?:\\.\\d+)?)([KMGT]?)");

  private final List<String> nodes;
  private final Duration taskDelay;
  private final String user;
  private final Map<Integer, SimGuest> guests = new TreeMap<>();
  private final Map<String, Task> tasks = new LinkedHashMap<>();
  private final Map<String, String> failingTasks = new LinkedHashMap<>();
  private boolean listHidden;
  private String[] nextIdRace;
  private boolean tasksHeld;
  private int taskCounter;
  private int lockRefusals;

  SimulatedCluster(List<String> nodes, Duration taskDelay, String user) {
    this.nodes = new java.util.ArrayList<>(nodes);
    this.taskDelay = taskDelay;
    this.user = user;
  }

  /** Adds a VM template with one 8G disk, or an LXC template with an 8G rootfs. */
  public synchronized void addTemplate(String node, int vmid, String type, String name) {
    SimGuest t = addGuest(node, vmid, type, name, false);
    t.config.put("template", "1");
  }

  /** Adds a guest the operator did not make: no tag, no marker. */
  public synchronized SimGuest addGuest(
      String node, int vmid, String type, String name, boolean running) {
    SimGuest g = new SimGuest(node, vmid, type);
    g.config.put(type.equals("lxc") ? "hostname" : "name", name);
    g.config.put("cores", "1");
    g.config.put("memory", "512");
    if (type.equals("lxc")) {
      g.config.put("rootfs", "local-lvm:vm-" + vmid + "-disk-0,size=8G");
    } else {
      g.config.put("scsi0", "local-lvm:vm-" + vmid + "-disk-0,size=8G");
    }
    g.status = running ? "running" : "stopped";
    guests.put(vmid, g);
    return g;
  }

  public synchronized Optional<SimGuest> guest(int vmid) {
    settle();
    return Optional.ofNullable(guests.get(vmid));
  }

  /** Guests that are not templates. */
  public synchronized List<SimGuest> guests() {
    settle();
    return guests.values().stream().filter(g -> !"1".equals(g.config.get("template"))).toList();
  }

  /** Changes a guest's power state behind the operator's back, as in the Proxmox UI. */
  public synchronized void setStatus(int vmid, String status) {
    guests.get(vmid).status = status;
  }

  /** Changes a guest's config behind the operator's back, as in the Proxmox UI. */
  public synchronized void setConfig(int vmid, String key, String value) {
    guests.get(vmid).config.put(key, value);
  }

  public synchronized void remove(int vmid) {
    guests.remove(vmid);
  }

  /** Requests refused so far because the guest (or a clone's source) was locked. */
  public synchronized int lockRefusals() {
    return lockRefusals;
  }

  /** The next task of this type (qmclone, vzcreate, qmstart...) ends with {@code exitstatus}. */
  public synchronized void failNextTask(String type, String exitstatus) {
    failingTasks.put(type, exitstatus);
  }

  /** While held, no task ends: a test can look at the cluster in the middle of one. */
  public synchronized void holdTasks(boolean held) {
    tasksHeld = held;
  }

  /** Whether /cluster/resources answers an empty list, as for a token with too few rights. */
  /**
   * The next {@code GET /cluster/nextid} answer is taken at once by someone else's guest, as when
   * another client creates a guest between our nextid and our create.
   */
  public synchronized void raceNextId(String node, String name) {
    nextIdRace = new String[] {node, name};
  }

  /** A node joins the cluster. */
  public synchronized void addNode(String node) {
    if (!nodes.contains(node)) {
      nodes.add(node);
    }
  }

  public synchronized void hideList(boolean hidden) {
    listHidden = hidden;
  }

  synchronized Reply serve(String operation, Map<String, String> path, Map<String, String> p) {
    settle();
    String node = path.get("node");
    if (node != null && !nodes.contains(node)) {
      return Reply.error(500, "hostname lookup '" + node + "' failed - no such node");
    }
    Integer vmid = path.containsKey("vmid") ? Integer.valueOf(path.get("vmid")) : null;
    return switch (operation) {
      case "GET /version" -> Reply.ok(Map.of("version", "9.1.3", "release", "9.1"));
      case "GET /nodes" ->
          Reply.ok(nodes.stream().map(n -> Map.of("node", n, "status", "online")).toList());
      case "GET /cluster/nextid" -> nextId(p);
      case "GET /cluster/resources" -> resources(p);
      case "GET /nodes/{node}/qemu/{vmid}/config", "GET /nodes/{node}/lxc/{vmid}/config" ->
          withGuest(node, vmid, operation, this::config);
      case "GET /nodes/{node}/qemu/{vmid}/pending", "GET /nodes/{node}/lxc/{vmid}/pending" ->
          withGuest(node, vmid, operation, this::pending);
      case "GET /nodes/{node}/qemu/{vmid}/status/current",
          "GET /nodes/{node}/lxc/{vmid}/status/current" ->
          withGuest(node, vmid, operation, this::current);
      case "PUT /nodes/{node}/qemu/{vmid}/config", "PUT /nodes/{node}/lxc/{vmid}/config" ->
          withGuest(node, vmid, operation, g -> updateConfig(g, p, false));
      case "POST /nodes/{node}/qemu/{vmid}/config" ->
          withGuest(node, vmid, operation, g -> updateConfig(g, p, true));
      case "POST /nodes/{node}/qemu/{vmid}/clone", "POST /nodes/{node}/lxc/{vmid}/clone" ->
          withGuest(node, vmid, operation, g -> cloneGuest(g, p));
      case "POST /nodes/{node}/lxc" -> createLxc(node, p);
      case "PUT /nodes/{node}/qemu/{vmid}/resize", "PUT /nodes/{node}/lxc/{vmid}/resize" ->
          withGuest(node, vmid, operation, g -> resize(g, p));
      case "POST /nodes/{node}/qemu/{vmid}/status/start",
          "POST /nodes/{node}/lxc/{vmid}/status/start" ->
          withGuest(node, vmid, operation, g -> power(g, "start", "running"));
      case "POST /nodes/{node}/qemu/{vmid}/status/stop",
          "POST /nodes/{node}/lxc/{vmid}/status/stop" ->
          withGuest(node, vmid, operation, g -> power(g, "stop", "stopped"));
      case "POST /nodes/{node}/qemu/{vmid}/status/shutdown",
          "POST /nodes/{node}/lxc/{vmid}/status/shutdown" ->
          withGuest(node, vmid, operation, g -> power(g, "shutdown", "stopped"));
      case "DELETE /nodes/{node}/qemu/{vmid}", "DELETE /nodes/{node}/lxc/{vmid}" ->
          withGuest(node, vmid, operation, this::destroy);
      case "GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces" ->
          withGuest(node, vmid, operation, this::agentInterfaces);
      case "GET /nodes/{node}/lxc/{vmid}/interfaces" ->
          withGuest(node, vmid, operation, this::lxcInterfaces);
      case "GET /nodes/{node}/tasks/{upid}/status" -> taskStatus(path.get("upid"));
      case "GET /nodes/{node}/tasks/{upid}/log" -> taskLog(path.get("upid"));
      default -> Reply.error(501, "Method '" + operation + "' is not served by the simulator");
    };
  }

  private Reply withGuest(
      String node, int vmid, String operation, java.util.function.Function<SimGuest, Reply> f) {
    SimGuest g = guests.get(vmid);
    String type = operation.contains("/lxc/") ? "lxc" : "qemu";
    if (g == null || !g.node.equals(node) || !g.type.equals(type)) {
      String dir = type.equals("lxc") ? "lxc" : "qemu-server";
      return Reply.error(
          500,
          "Configuration file 'nodes/" + node + "/" + dir + "/" + vmid + ".conf' does not exist");
    }
    return f.apply(g);
  }

  private Reply nextId(Map<String, String> p) {
    if (p.containsKey("vmid")) {
      int asked = Integer.parseInt(p.get("vmid"));
      return guests.containsKey(asked)
          ? Reply.error(400, "VM " + asked + " already exists")
          : Reply.ok(String.valueOf(asked));
    }
    int id = 100;
    while (guests.containsKey(id)) {
      id++;
    }
    if (nextIdRace != null) {
      addGuest(nextIdRace[0], id, "qemu", nextIdRace[1], false);
      nextIdRace = null;
    }
    return Reply.ok(String.valueOf(id));
  }

  private Reply resources(Map<String, String> p) {
    if (listHidden || (p.containsKey("type") && !p.get("type").equals("vm"))) {
      return Reply.ok(List.of());
    }
    List<Map<String, Object>> list = new ArrayList<>();
    for (SimGuest g : guests.values()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("id", g.type + "/" + g.vmid);
      r.put("vmid", g.vmid);
      r.put("node", g.node);
      r.put("type", g.type);
      r.put("name", g.config.getOrDefault(g.type.equals("lxc") ? "hostname" : "name", ""));
      r.put("status", g.status);
      r.put("template", "1".equals(g.config.get("template")) ? 1 : 0);
      r.put("maxcpu", Integer.parseInt(g.config.getOrDefault("cores", "1")));
      r.put("maxmem", memoryMib(g) * 1024L * 1024L);
      r.put("maxdisk", firstDiskBytes(g));
      if (g.config.containsKey("tags")) {
        r.put("tags", g.config.get("tags"));
      }
      if (g.lock != null) {
        r.put("lock", g.lock);
      }
      list.add(r);
    }
    return Reply.ok(list);
  }

  private Reply config(SimGuest g) {
    Map<String, Object> config = new TreeMap<>(g.config);
    config.put("digest", Integer.toHexString(g.config.hashCode()));
    if (g.lock != null) {
      config.put("lock", g.lock);
    }
    return Reply.ok(config);
  }

  private Reply pending(SimGuest g) {
    List<Map<String, Object>> entries = new ArrayList<>();
    Set<String> keys = new TreeSet<>(g.config.keySet());
    keys.addAll(g.pending.keySet());
    for (String key : keys) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("key", key);
      if (g.config.containsKey(key)) {
        e.put("value", g.config.get(key));
      }
      if (g.pending.containsKey(key)) {
        e.put("pending", g.pending.get(key));
      }
      entries.add(e);
    }
    return Reply.ok(entries);
  }

  private Reply current(SimGuest g) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("vmid", g.vmid);
    r.put("status", g.status);
    r.put("name", g.config.getOrDefault(g.type.equals("lxc") ? "hostname" : "name", ""));
    if (g.lock != null) {
      r.put("lock", g.lock);
    }
    return Reply.ok(r);
  }

  private Reply updateConfig(SimGuest g, Map<String, String> p, boolean async) {
    if (g.lock != null) {
      lockRefusals++;
      return Reply.error(500, "VM is locked (" + g.lock + ")");
    }
    for (Map.Entry<String, String> e : p.entrySet()) {
      String key = e.getKey();
      if (Set.of("digest", "delete", "node", "vmid").contains(key)) {
        continue;
      }
      String value = key.equals("tags") ? normaliseTags(e.getValue()) : e.getValue();
      if (g.status.equals("running") && COLD_KEYS.contains(key) && g.type.equals("qemu")) {
        g.pending.put(key, value);
      } else {
        g.config.put(key, value);
      }
    }
    if (p.containsKey("delete")) {
      Arrays.stream(p.get("delete").split("[,;\\s]+")).forEach(g.config::remove);
    }
    return async ? Reply.ok(startTask(g.node, "qmconfig", g.vmid, t -> {})) : Reply.ok(null);
  }

  private Reply cloneGuest(SimGuest source, Map<String, String> p) {
    if ("clone".equals(source.lock)) {
      lockRefusals++;
      String dir = source.type.equals("lxc") ? "lxc" : "qemu-server";
      return Reply.error(
          500,
          "can't lock file '/var/lock/" + dir + "/lock-" + source.vmid + ".conf' - got timeout");
    }
    int newid = Integer.parseInt(p.get("newid"));
    if (guests.containsKey(newid)) {
      return Reply.error(500, "unable to create VM " + newid + ": config file already exists");
    }
    String target = p.getOrDefault("target", source.node);
    SimGuest clone = new SimGuest(target, newid, source.type);
    clone.config.putAll(source.config);
    clone.config.remove("template");
    String nameKey = source.type.equals("lxc") ? "hostname" : "name";
    clone.config.put(
        nameKey,
        p.getOrDefault(
            source.type.equals("lxc") ? "hostname" : "name",
            "Copy-of-VM-" + source.config.getOrDefault(nameKey, "")));
    if (p.containsKey("description")) {
      clone.config.put("description", p.get("description"));
    }
    clone.config.replaceAll(
        (k, v) ->
            DISK.matcher(k).matches() ? v.replace("-" + source.vmid + "-", "-" + newid + "-") : v);
    clone.lock = "clone";
    source.lock = "clone";
    guests.put(newid, clone);
    String type = source.type.equals("lxc") ? "vzclone" : "qmclone";
    return Reply.ok(
        startTask(
            source.node,
            type,
            source.vmid,
            t -> {
              source.lock = null;
              clone.lock = null;
              if (t.exitstatus != null) {
                guests.remove(newid);
              }
            }));
  }

  private Reply createLxc(String node, Map<String, String> p) {
    int vmid = Integer.parseInt(p.get("vmid"));
    if (guests.containsKey(vmid)) {
      return Reply.error(500, "CT " + vmid + " already exists on node '" + node + "'");
    }
    SimGuest g = new SimGuest(node, vmid, "lxc");
    for (String key : List.of("hostname", "cores", "memory", "net0", "onboot", "description")) {
      if (p.containsKey(key)) {
        g.config.put(key, p.get(key));
      }
    }
    if (p.containsKey("tags")) {
      g.config.put("tags", normaliseTags(p.get("tags")));
    }
    g.config.putIfAbsent("cores", "1");
    g.config.putIfAbsent("memory", "512");
    String rootfs = p.getOrDefault("rootfs", "local-lvm:8");
    Matcher simple = Pattern.compile("([^:,]+):(\\d+)").matcher(rootfs);
    g.config.put(
        "rootfs",
        simple.matches()
            ? simple.group(1) + ":vm-" + vmid + "-disk-0,size=" + simple.group(2) + "G"
            : rootfs);
    g.lock = "create";
    guests.put(vmid, g);
    return Reply.ok(
        startTask(
            node,
            "vzcreate",
            vmid,
            t -> {
              g.lock = null;
              if (t.exitstatus != null) {
                guests.remove(vmid);
              }
            }));
  }

  private Reply resize(SimGuest g, Map<String, String> p) {
    String disk = p.get("disk");
    String current = g.config.get(disk);
    if (current == null) {
      return Reply.error(500, "disk '" + disk + "' does not exist");
    }
    String size = p.get("size");
    long wanted =
        size.startsWith("+") ? diskBytes(current) + bytes(size.substring(1)) : bytes(size);
    if (wanted < diskBytes(current)) {
      return Reply.error(500, "shrinking disks is not supported");
    }
    String grown = SIZE.matcher(current).replaceFirst("size=" + (wanted >> 30) + "G");
    return Reply.ok(
        startTask(
            g.node,
            "resize",
            g.vmid,
            t -> {
              if (t.exitstatus == null) {
                g.config.put(disk, grown);
              }
            }));
  }

  private Reply power(SimGuest g, String action, String result) {
    return guestTask(
        g,
        action,
        () -> {
          g.status = result;
          g.config.putAll(g.pending);
          g.pending.clear();
        });
  }

  private Reply destroy(SimGuest g) {
    if (g.status.equals("running")) {
      return Reply.error(500, "VM " + g.vmid + " is running - destroy failed");
    }
    return guestTask(g, "destroy", () -> guests.remove(g.vmid));
  }

  /** A task on a guest that is not locked ({@code qm<action>} or {@code vz<action>}). */
  private Reply guestTask(SimGuest g, String action, Runnable onSuccess) {
    if (g.lock != null) {
      lockRefusals++;
      return Reply.error(500, "VM is locked (" + g.lock + ")");
    }
    String prefix = g.type.equals("lxc") ? "vz" : "qm";
    return Reply.ok(
        startTask(
            g.node,
            prefix + action,
            g.vmid,
            t -> {
              if (t.exitstatus == null) {
                onSuccess.run();
              }
            }));
  }

  private Reply agentInterfaces(SimGuest g) {
    if (!g.agentOn()) {
      return Reply.error(500, "No QEMU guest agent configured");
    }
    if (!g.status.equals("running")) {
      return Reply.error(500, "VM " + g.vmid + " is not running");
    }
    return Reply.ok(
        Map.of(
            "result",
            List.of(
                Map.of(
                    "name",
                    "lo",
                    "ip-addresses",
                    List.of(
                        Map.of("ip-address", "127.0.0.1", "ip-address-type", "ipv4", "prefix", 8),
                        Map.of("ip-address", "::1", "ip-address-type", "ipv6", "prefix", 128))),
                Map.of(
                    "name",
                    "eth0",
                    "ip-addresses",
                    List.of(
                        Map.of(
                            "ip-address",
                            staticAddress(g.config.get("ipconfig0")).orElse(g.address()),
                            "ip-address-type",
                            "ipv4",
                            "prefix",
                            24),
                        Map.of(
                            "ip-address",
                            "fe80::be24:11ff:fe00:" + g.vmid,
                            "ip-address-type",
                            "ipv6",
                            "prefix",
                            64))))));
  }

  /**
   * The address cloud-init gives a VM with a static {@code ipconfig0} ({@code ip=10.0.0.5/24,...}),
   * which its agent then reports; empty for DHCP.
   */
  private static Optional<String> staticAddress(String ipconfig) {
    if (ipconfig == null) {
      return Optional.empty();
    }
    Matcher ip = Pattern.compile("(?:^|,)ip=([0-9.]+)/\\d+").matcher(ipconfig);
    return ip.find() ? Optional.of(ip.group(1)) : Optional.empty();
  }

  private Reply lxcInterfaces(SimGuest g) {
    if (!g.status.equals("running")) {
      return Reply.ok(List.of());
    }
    Matcher ip = Pattern.compile("(?:^|,)ip=([^,]+)").matcher(g.config.getOrDefault("net0", ""));
    String inet = ip.find() && !ip.group(1).equals("dhcp") ? ip.group(1) : g.address() + "/24";
    return Reply.ok(
        List.of(
            Map.of("name", "lo", "inet", "127.0.0.1/8", "inet6", "::1/128"),
            Map.of("name", "eth0", "inet", inet, "inet6", "fe80::be24:11ff:fe00:1/64")));
  }

  private String startTask(String node, String type, int vmid, Consumer<Task> effect) {
    taskCounter++;
    String upid =
        String.format(
            "UPID:%s:%08X:%08X:%08X:%s:%d:%s:",
            node,
            4096 + taskCounter,
            taskCounter * 7,
            System.currentTimeMillis() / 1000,
            type,
            vmid,
            user);
    Task task = new Task(upid, node, System.nanoTime() + taskDelay.toNanos(), effect);
    task.log.add(type + " " + vmid + " started");
    String failure = failingTasks.remove(type);
    if (failure != null) {
      task.exitstatus = failure;
      task.log.add(failure);
    }
    tasks.put(upid, task);
    return upid;
  }

  /** Ends every task whose time has come and applies its effect. */
  private void settle() {
    if (tasksHeld) {
      return;
    }
    long now = System.nanoTime();
    for (Task task : tasks.values()) {
      if (task.effect != null && now - task.endsAt >= 0) {
        task.effect.accept(task);
        task.log.add("TASK " + (task.exitstatus == null ? "OK" : "ERROR: " + task.exitstatus));
        if (task.exitstatus == null) {
          task.exitstatus = "OK";
        }
        task.effect = null;
      }
    }
  }

  private Reply taskStatus(String upid) {
    Task t = tasks.get(upid);
    if (t == null) {
      return Reply.error(500, "unable to parse worker upid '" + upid + "'");
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("upid", upid);
    r.put("node", t.node);
    r.put("status", t.effect == null ? "stopped" : "running");
    if (t.effect == null) {
      r.put("exitstatus", t.exitstatus);
    }
    return Reply.ok(r);
  }

  private Reply taskLog(String upid) {
    Task t = tasks.get(upid);
    if (t == null) {
      return Reply.error(500, "unable to parse worker upid '" + upid + "'");
    }
    List<Map<String, Object>> lines = new ArrayList<>();
    for (int i = 0; i < t.log.size(); i++) {
      lines.add(Map.of("n", i + 1, "t", t.log.get(i)));
    }
    return Reply.ok(lines);
  }

  private static String normaliseTags(String tags) {
    return String.join(";", new TreeSet<>(Arrays.asList(tags.trim().split("[,;\\s]+"))));
  }

  private static long memoryMib(SimGuest g) {
    String memory = g.config.getOrDefault("memory", "512").replace("current=", "");
    return Long.parseLong(memory.split(",")[0]);
  }

  private static long firstDiskBytes(SimGuest g) {
    return g.config.entrySet().stream()
        .filter(e -> DISK.matcher(e.getKey()).matches())
        .findFirst()
        .map(e -> diskBytes(e.getValue()))
        .orElse(0L);
  }

  private static long diskBytes(String disk) {
    Matcher m = SIZE.matcher(disk);
    return m.find() ? bytes(m.group(1) + m.group(2)) : 0;
  }

  static long bytes(String size) {
    Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)([KMGT]?)").matcher(size);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: " + size);
    }
    double n = Double.parseDouble(m.group(1));
    int shift =
        switch (m.group(2)) {
          case "K" -> 10;
          case "M" -> 20;
          case "T" -> 40;
          case "G" -> 30;
          default -> 0;
        };
    return (long) (n * (1L << shift));
  }
}
