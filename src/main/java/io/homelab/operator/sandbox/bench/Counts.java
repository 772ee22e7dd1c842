package io.homelab.operator.sandbox.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Requests the simulated systems have answered, by system, as reads and writes; taken by the
 * simulators themselves, never by the operator. Two snapshots subtract to the requests between
 * them.
 */
public record Counts(Map<String, Long> reads, Map<String, Long> writes, long cloudflare429) {

  public static final String PROXMOX = "Proxmox";
  public static final String NPM = "NPM";
  public static final String CLOUDFLARE = "Cloudflare";
  public static final String CADDY = "Caddy";
  public static final String SSH = "SSH";

  /** The systems, in the order the table shows them. */
  public static final java.util.List<String> SYSTEMS =
      java.util.List.of(PROXMOX, NPM, CLOUDFLARE, CADDY, SSH);

  public Counts {
    reads = Map.copyOf(reads);
    writes = Map.copyOf(writes);
  }

  /** What was answered since {@code earlier}. */
  public Counts minus(Counts earlier) {
    Map<String, Long> r = new LinkedHashMap<>();
    Map<String, Long> w = new LinkedHashMap<>();
    for (String system : SYSTEMS) {
      r.put(system, reads(system) - earlier.reads(system));
      w.put(system, writes(system) - earlier.writes(system));
    }
    return new Counts(r, w, cloudflare429 - earlier.cloudflare429);
  }

  public long reads(String system) {
    return reads.getOrDefault(system, 0L);
  }

  public long writes(String system) {
    return writes.getOrDefault(system, 0L);
  }

  public long totalReads() {
    return reads.values().stream().mapToLong(Long::longValue).sum();
  }

  public long totalWrites() {
    return writes.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The systems written to, with their write counts, for a table cell: "NPM 1". */
  public String writesText() {
    return text(writes);
  }

  /** The systems read, with their read counts: "Proxmox 1, NPM 3". */
  public String readsText() {
    return text(reads);
  }

  private static String text(Map<String, Long> counts) {
    StringBuilder s = new StringBuilder();
    for (String system : SYSTEMS) {
      long n = counts.getOrDefault(system, 0L);
      if (n != 0) {
        s.append(s.isEmpty() ? "" : ", ").append(system).append(' ').append(n);
      }
    }
    return s.isEmpty() ? "none" : s.toString();
  }
}
