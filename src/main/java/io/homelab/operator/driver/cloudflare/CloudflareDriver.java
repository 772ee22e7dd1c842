package io.homelab.operator.driver.cloudflare;

import io.homelab.operator.model.DnsChanges;
import io.homelab.operator.model.DnsRecord;
import java.util.List;

/**
 * Cloudflare DNS for one API token: read a zone in one paginated list per poll, write a plan's
 * changes through the batch endpoint. While a 429's {@code Retry-After} runs, every call fails fast
 * with {@link CloudflareException.RateLimited} without spending a request.
 */
public interface CloudflareDriver {

  /** The id of the zone named {@code zoneName}. */
  String zoneId(String zoneName);

  /** Every record of the zone (all pages). */
  List<DnsRecord> records(String zoneId);

  /**
   * Applies the changes in batches of at most {@link HttpCloudflareDriver#MAX_BATCH_CHANGES}, in
   * the order deletes, updates, creates. A failure stops at the batch it hit; the batches before it
   * stay applied (the next poll's plan starts from what is there).
   *
   * @return the zone's records after the changes, given the records it had before ({@code before}):
   *     deleted ones gone, updated ones as Cloudflare now holds them, created ones with their new
   *     ids. This is what lets a caller keep its one list per poll without listing again after
   *     every write.
   */
  List<DnsRecord> apply(String zoneId, List<DnsRecord> before, DnsChanges changes);

  /** The requests spent in the current rate window, and the window's limit. */
  RequestBudget budget();
}
