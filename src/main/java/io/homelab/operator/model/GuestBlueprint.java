package io.homelab.operator.model;

import io.homelab.operator.api.guest.CloudInit;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.guest.GuestDisk;
import io.homelab.operator.api.guest.GuestIpv4;
import io.homelab.operator.api.guest.GuestNetwork;
import io.homelab.operator.api.guest.GuestSpec;
import io.homelab.operator.api.guest.GuestType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a Guest's Proxmox config should hold, computed against what it holds now: the values to
 * write (only where they differ), disks to grow and disks that would have to shrink, whether the
 * guest is ours, and which of its addresses are worth reporting. Pure: no I/O.
 */
public final class GuestBlueprint {

  /** The tag on every guest the operator made or adopted. */
  public static final String TAG = "homelab-operator";

  /** A disk to grow to {@code size}. */
  public record Resize(String disk, String size) {}

  /** Disks to grow, and sentences about disks the spec would shrink (never done). */
  public record DiskPlan(List<Resize> grow, List<String> refused) {}

  /** Whose a guest is, judged by the marker lines of its description. */
  public enum Ownership {
    /** Ours: tag and marker of this very object. */
    OURS,
    /** No marker of this installation for this object: never touched, unless adopted. */
    NOT_OURS
  }

  /**
   * A guest as the bulk list shows it.
   *
   * @param memoryMib {@code maxmem} in MiB
   */
  public record BulkView(String name, String status, Set<String> tags, int cores, long memoryMib) {}

  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)([KMGT]?)");

  private GuestBlueprint() {}

  /** The marker of a Guest. */
  public static OwnerMarker marker(String ownerId, Guest guest) {
    return new OwnerMarker(
        ownerId, "Guest", guest.getMetadata().getNamespace(), guest.getMetadata().getName());
  }

  /** The name the guest has in Proxmox: spec.name, else metadata.name. */
  public static String name(Guest guest) {
    return guest.getSpec().getName() != null
        ? guest.getSpec().getName()
        : guest.getMetadata().getName();
  }

  /** {@code qemu} or {@code lxc}, as Proxmox's paths spell the type. */
  public static String proxmoxType(GuestSpec spec) {
    return spec.getType() == GuestType.LXC ? "lxc" : "qemu";
  }

  /**
   * The config values the spec asks for that differ from {@code observed}: what one config write
   * sets. Keys the spec leaves out are not managed and never appear.
   */
  public static Map<String, String> changes(
      Guest guest, OwnerMarker marker, Map<String, String> observed) {
    Map<String, String> changes = new TreeMap<>();
    desired(guest, marker, observed)
        .forEach(
            (key, value) -> {
              if (!same(key, value, observed.get(key))) {
                changes.put(key, value);
              }
            });
    return changes;
  }

  /** Every managed key with the value the spec asks for, relative to {@code observed}. */
  static Map<String, String> desired(
      Guest guest, OwnerMarker marker, Map<String, String> observed) {
    GuestSpec spec = guest.getSpec();
    boolean vm = spec.getType() != GuestType.LXC;
    Map<String, String> desired = new LinkedHashMap<>();
    desired.put(vm ? "name" : "hostname", name(guest));
    if (spec.getCores() != null) {
      desired.put("cores", spec.getCores().toString());
    }
    if (spec.getMemory() != null) {
      desired.put("memory", spec.getMemory().toString());
    }
    desired.put("onboot", Boolean.FALSE.equals(spec.getOnBoot()) ? "0" : "1");
    desired.put("tags", tags(spec.getTags()));
    desired.put("description", description(observed.get("description"), marker));
    if (vm) {
      desired.put("agent", "1");
      CloudInit cloudInit = spec.getCloudInit();
      if (cloudInit != null && cloudInit.getUser() != null) {
        desired.put("ciuser", cloudInit.getUser());
      }
      if (cloudInit != null && cloudInit.getSshKeys() != null) {
        desired.put("sshkeys", String.join("\n", cloudInit.getSshKeys()));
      }
    }
    GuestNetwork network = spec.getNetwork();
    if (network != null) {
      desired.put("net0", net0(network, vm, observed.get("net0")));
      if (vm) {
        desired.put("ipconfig0", ipconfig(network.getIpv4()));
      }
    }
    return desired;
  }

  /** The settings of a new container, for {@code POST /nodes/{node}/lxc}. */
  public static Map<String, String> newContainer(Guest guest, OwnerMarker marker) {
    GuestSpec spec = guest.getSpec();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("ostemplate", spec.getSource().getOstemplate());
    settings.putAll(desired(guest, marker, Map.of()));
    settings.put("unprivileged", "1");
    GuestDisk rootfs =
        spec.getDisks() == null
            ? null
            : spec.getDisks().stream()
                .filter(d -> d.getName().equals("rootfs"))
                .findFirst()
                .orElse(null);
    String storage =
        rootfs == null || rootfs.getStorage() == null ? "local-lvm" : rootfs.getStorage();
    long gib = rootfs == null ? 8 : Math.max(1, (bytes(rootfs.getSize()) + (1L << 30) - 1) >> 30);
    settings.put("rootfs", storage + ":" + gib);
    CloudInit cloudInit = spec.getCloudInit();
    if (cloudInit != null && cloudInit.getSshKeys() != null) {
      settings.put("ssh-public-keys", String.join("\n", cloudInit.getSshKeys()));
    }
    return settings;
  }

  /** The settings of a clone: it takes a name and description, not tags. */
  public static Map<String, String> cloneSettings(Guest guest, OwnerMarker marker) {
    GuestSpec spec = guest.getSpec();
    var clone = spec.getSource().getClone();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(spec.getType() == GuestType.LXC ? "hostname" : "name", name(guest));
    settings.put("description", marker.text());
    boolean full = !Boolean.FALSE.equals(clone.getFull());
    settings.put("full", full ? "1" : "0");
    if (full && clone.getStorage() != null) {
      settings.put("storage", clone.getStorage());
    }
    if (clone.getTemplateNode() != null && !clone.getTemplateNode().equals(spec.getNode())) {
      settings.put("target", spec.getNode());
    }
    return settings;
  }

  /** The node the template of a clone lives on. */
  public static String templateNode(GuestSpec spec) {
    String node = spec.getSource().getClone().getTemplateNode();
    return node == null ? spec.getNode() : node;
  }

  /** Disks to grow, and the ones the spec would shrink. Disks the guest lacks are refused too. */
  public static DiskPlan disks(List<GuestDisk> wanted, Map<String, String> observed) {
    List<Resize> grow = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (GuestDisk disk : wanted == null ? List.<GuestDisk>of() : wanted) {
      String current = observed.get(disk.getName());
      if (current == null) {
        refused.add("disk " + disk.getName() + " does not exist on the guest");
        continue;
      }
      Matcher size = Pattern.compile("size=([^,]+)").matcher(current);
      long have = size.find() ? bytes(size.group(1)) : 0;
      long want = bytes(disk.getSize());
      if (want > have) {
        grow.add(new Resize(disk.getName(), disk.getSize()));
      } else if (want < have) {
        refused.add(
            "disk "
                + disk.getName()
                + " is "
                + size.group(1)
                + ", larger than the "
                + disk.getSize()
                + " asked: disks never shrink");
      }
    }
    return new DiskPlan(grow, refused);
  }

  /** Whether the guest carries this object's marker line in its description. */
  public static Ownership ownership(Map<String, String> config, OwnerMarker marker) {
    String description = config.getOrDefault("description", "");
    return description.lines().map(String::trim).anyMatch(marker.text()::equals)
        ? Ownership.OURS
        : Ownership.NOT_OURS;
  }

  /** The owner named in a guest's description, if another object of any installation owns it. */
  public static OwnerMarker ownerOf(Map<String, String> config) {
    return config
        .getOrDefault("description", "")
        .lines()
        .map(OwnerMarker::parse)
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  /** What to write so the guest no longer carries our tag and marker (deletionPolicy Retain). */
  public static Map<String, String> release(Map<String, String> config, OwnerMarker marker) {
    Map<String, String> changes = new TreeMap<>();
    Set<String> tags = splitTags(config.get("tags"));
    if (tags.remove(TAG)) {
      changes.put("tags", String.join(";", tags));
    }
    String description = config.getOrDefault("description", "");
    String without =
        description
            .lines()
            .filter(l -> !l.trim().equals(marker.text()))
            .collect(Collectors.joining("\n"));
    if (!without.equals(description)) {
      changes.put("description", without);
    }
    return changes;
  }

  /** What the bulk list shows that the spec disagrees with, one phrase each; empty when none. */
  public static List<String> bulkDrift(Guest guest, BulkView seen) {
    GuestSpec spec = guest.getSpec();
    List<String> drift = new ArrayList<>();
    if (spec.getMemory() != null && seen.memoryMib() != spec.getMemory()) {
      drift.add("memory " + seen.memoryMib() + " MiB, not " + spec.getMemory());
    }
    if (spec.getCores() != null && seen.cores() != spec.getCores()) {
      drift.add("cores " + seen.cores() + ", not " + spec.getCores());
    }
    if (!splitTags(tags(spec.getTags())).equals(new TreeSet<>(seen.tags()))) {
      drift.add("tags " + String.join(";", new TreeSet<>(seen.tags())));
    }
    if (seen.name() != null && !seen.name().equals(name(guest))) {
      drift.add("name " + seen.name());
    }
    return drift;
  }

  /** Addresses worth reporting: neither loopback nor link-local, IPv4 first. */
  public static List<String> usableAddresses(List<String> addresses) {
    List<String> v4 = new ArrayList<>();
    List<String> v6 = new ArrayList<>();
    for (String a : addresses) {
      String address = a.replaceAll("/\\d+$", "").trim();
      String lower = address.toLowerCase(java.util.Locale.ROOT);
      if (address.isEmpty()
          || address.startsWith("127.")
          || address.startsWith("169.254.")
          || lower.equals("::1")
          || lower.matches("fe[89ab][0-9a-f]:.*")) {
        continue;
      }
      (address.contains(":") ? v6 : v4).add(address);
    }
    List<String> usable = new ArrayList<>(v4);
    usable.addAll(v6);
    return usable.stream().distinct().toList();
  }

  static String tags(List<String> specTags) {
    Set<String> tags = new TreeSet<>();
    if (specTags != null) {
      tags.addAll(specTags);
    }
    tags.add(TAG);
    return String.join(";", tags);
  }

  static Set<String> splitTags(String tags) {
    Set<String> set = new TreeSet<>();
    if (tags != null && !tags.isBlank()) {
      set.addAll(Arrays.asList(tags.trim().split("[;,\\s]+")));
    }
    return set;
  }

  /** The user's description lines, without any homelab-operator marker, then our marker. */
  static String description(String observed, OwnerMarker marker) {
    List<String> lines = new ArrayList<>();
    if (observed != null) {
      observed.lines().filter(l -> OwnerMarker.parse(l) == null).forEach(lines::add);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    lines.add(marker.text());
    return String.join("\n", lines);
  }

  /** net0 with the spec's bridge and VLAN, keeping the model, MAC and flags the guest has. */
  static String net0(GuestNetwork network, boolean vm, String observed) {
    Map<String, String> parts = new LinkedHashMap<>();
    if (observed != null && !observed.isBlank()) {
      for (String part : observed.split(",")) {
        int eq = part.indexOf('=');
        parts.put(eq < 0 ? part : part.substring(0, eq), eq < 0 ? null : part.substring(eq + 1));
      }
    } else if (vm) {
      parts.put("virtio", null);
    } else {
      parts.put("name", "eth0");
    }
    parts.put("bridge", network.getBridge() == null ? "vmbr0" : network.getBridge());
    if (network.getVlan() == null) {
      parts.remove("tag");
    } else {
      parts.put("tag", network.getVlan().toString());
    }
    if (!vm) {
      GuestIpv4 ipv4 = network.getIpv4();
      String address = ipv4 == null || ipv4.getAddress() == null ? "dhcp" : ipv4.getAddress();
      parts.put("ip", address);
      if (ipv4 != null && ipv4.getGateway() != null) {
        parts.put("gw", ipv4.getGateway());
      } else {
        parts.remove("gw");
      }
    }
    return parts.entrySet().stream()
        .map(e -> e.getValue() == null ? e.getKey() : e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  static String ipconfig(GuestIpv4 ipv4) {
    if (ipv4 == null || ipv4.getAddress() == null || ipv4.getAddress().equals("dhcp")) {
      return "ip=dhcp";
    }
    return "ip="
        + ipv4.getAddress()
        + (ipv4.getGateway() == null ? "" : ",gw=" + ipv4.getGateway());
  }

  private static boolean same(String key, String wanted, String observed) {
    if (observed == null) {
      return false;
    }
    return switch (key) {
      case "tags" -> splitTags(wanted).equals(splitTags(observed));
      case "memory" -> wanted.equals(observed.replace("current=", "").split(",")[0]);
      case "agent" -> observed.equals("1") || observed.matches("(enabled=)?1(,.*)?");
      case "description", "sshkeys" -> wanted.strip().equals(observed.strip());
      default -> wanted.equals(observed);
    };
  }

  /** Bytes of a size with a K, M, G or T suffix (none: bytes). */
  public static long bytes(String size) {
    Matcher m = SIZE.matcher(size.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: " + size);
    }
    int shift =
        switch (m.group(2)) {
          case "K" -> 10;
          case "M" -> 20;
          case "G" -> 30;
          case "T" -> 40;
          default -> 0;
        };
    return (long) (Double.parseDouble(m.group(1)) * (1L << shift));
  }
}
