package io.homelab.operator.reconciler.edge;

import io.homelab.operator.model.DnsRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest list of each Edge's Cloudflare zone, kept between reconciles: one paginated list per
 * poll, brought up to date from the answers of the operator's own writes in between.
 */
@ApplicationScoped
public class DnsZones {

  /** A zone as last seen: its name and id, its records, and when it was listed. */
  public record Zone(String name, String id, List<DnsRecord> records, Instant listedAt) {
    public Zone {
      records = List.copyOf(records);
    }

    Zone withRecords(List<DnsRecord> after) {
      return new Zone(name, id, after, listedAt);
    }
  }

  private final Map<String, Zone> byEdge = new ConcurrentHashMap<>();

  public Optional<Zone> of(String edgeKey) {
    return Optional.ofNullable(byEdge.get(edgeKey));
  }

  public void put(String edgeKey, Zone zone) {
    byEdge.put(edgeKey, zone);
  }

  /** The list is no longer known (a write failed half-way): the next pass lists again. */
  public void forget(String edgeKey) {
    byEdge.remove(edgeKey);
  }
}
