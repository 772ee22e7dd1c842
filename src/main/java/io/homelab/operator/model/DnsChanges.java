package io.homelab.operator.model;

import java.util.List;

/**
 * What to write to one zone, in the order Cloudflare's batch applies it: deletes, then updates (by
 * id), then creates.
 */
public record DnsChanges(
    List<DnsRecord> deletes, List<DnsRecord> updates, List<DnsRecord> creates) {

  public static final DnsChanges NONE = new DnsChanges(List.of(), List.of(), List.of());

  public DnsChanges {
    deletes = List.copyOf(deletes);
    updates = List.copyOf(updates);
    creates = List.copyOf(creates);
  }

  /** How many changes in all. */
  public int size() {
    return deletes.size() + updates.size() + creates.size();
  }

  public boolean isEmpty() {
    return size() == 0;
  }
}
