package io.homelab.operator.driver.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homelab.operator.driver.ExternalCalls;
import io.homelab.operator.driver.ExternalChanges;
import io.homelab.operator.driver.JsonHttp;
import io.homelab.operator.model.DnsChanges;
import io.homelab.operator.model.DnsRecord;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link CloudflareDriver} over Cloudflare's API v4 with a Bearer token. */
public final class HttpCloudflareDriver implements CloudflareDriver {

  /** Changes per batch request (Cloudflare's free plan allows 200). */
  public static final int MAX_BATCH_CHANGES = 200;

  /** Records per page of a list (the newer API allows up to 5,000). */
  static final int PER_PAGE = 5000;

  /** One change of a batch: its key in the request body and the record. */
  private record Change(String key, DnsRecord record) {}

  private final CloudflareApi api;
  private final Clock clock;
  private final RequestBudget budget;
  private final int maxBatchChanges;
  private final int perPage;
  private volatile Instant deferredUntil = Instant.MIN;

  /** A driver for the API at {@code apiUrl}, e.g. {@code https://api.cloudflare.com/client/v4}. */
  public HttpCloudflareDriver(URI apiUrl, String token, Clock clock, Duration timeout) {
    this(apiUrl, token, clock, timeout, MAX_BATCH_CHANGES, PER_PAGE);
  }

  HttpCloudflareDriver(
      URI apiUrl, String token, Clock clock, Duration timeout, int maxBatchChanges, int perPage) {
    this.perPage = perPage;
    this.clock = clock;
    this.budget = RequestBudget.cloudflare(clock);
    this.api =
        new CloudflareApi(new JsonHttp(apiUrl, timeout, ExternalCalls.CLOUDFLARE), token, budget);
    this.maxBatchChanges = maxBatchChanges;
  }

  @Override
  public String zoneId(String zoneName) {
    JsonNode zones = guarded(() -> api.zonesByName(zoneName)).result();
    for (JsonNode zone : zones) {
      if (zone.path("name").asText().equalsIgnoreCase(zoneName)) {
        return zone.path("id").asText();
      }
    }
    throw new CloudflareException.ZoneNotFound(zoneName);
  }

  @Override
  public List<DnsRecord> records(String zoneId) {
    List<DnsRecord> records = new ArrayList<>();
    for (int page = 1; ; page++) {
      int current = page;
      CloudflareApi.Page result = guarded(() -> api.listRecords(zoneId, current, perPage));
      for (JsonNode r : result.result()) {
        records.add(record(r));
      }
      int totalPages = result.resultInfo().path("total_pages").asInt(0);
      int count = result.resultInfo().path("count").asInt(result.result().size());
      if (page >= totalPages || count == 0) {
        return records;
      }
    }
  }

  @Override
  public List<DnsRecord> apply(String zoneId, List<DnsRecord> before, DnsChanges changes) {
    java.util.Map<String, DnsRecord> after = new java.util.LinkedHashMap<>();
    before.forEach(r -> after.put(r.id(), r));
    List<Change> ordered = new ArrayList<>();
    changes.deletes().forEach(r -> ordered.add(new Change("deletes", r)));
    changes.updates().forEach(r -> ordered.add(new Change("patches", r)));
    changes.creates().forEach(r -> ordered.add(new Change("posts", r)));
    for (int from = 0; from < ordered.size(); from += maxBatchChanges) {
      ObjectNode batch = JsonHttp.JSON.createObjectNode();
      for (String key : List.of("deletes", "patches", "puts", "posts")) {
        batch.putArray(key);
      }
      for (Change change :
          ordered.subList(from, Math.min(ordered.size(), from + maxBatchChanges))) {
        ((ArrayNode) batch.get(change.key())).add(body(change.key(), change.record()));
      }
      JsonNode result = guarded(() -> api.batch(zoneId, batch));
      for (JsonNode deleted : batch.get("deletes")) {
        after.remove(deleted.path("id").asText());
      }
      for (String key : List.of("patches", "puts", "posts")) {
        for (JsonNode written : result.path(key)) {
          DnsRecord record = record(written);
          after.put(record.id(), record);
        }
      }
      ExternalChanges.changed(
          "DnsRecordsChanged",
          String.format(
              "Cloudflare: zone %s: deleted %d, updated %d, created %d record(s)",
              zoneId,
              batch.get("deletes").size(),
              batch.get("patches").size(),
              batch.get("posts").size()));
    }
    return List.copyOf(after.values());
  }

  @Override
  public RequestBudget budget() {
    return budget;
  }

  private <T> T guarded(java.util.function.Supplier<T> call) {
    Instant now = clock.instant();
    if (now.isBefore(deferredUntil)) {
      throw new CloudflareException.RateLimited(Duration.between(now, deferredUntil));
    }
    try {
      return call.get();
    } catch (CloudflareException.RateLimited e) {
      deferredUntil = now.plus(e.retryAfter());
      throw e;
    }
  }

  private static ObjectNode body(String key, DnsRecord record) {
    ObjectNode node = JsonHttp.JSON.createObjectNode();
    if (!key.equals("posts")) {
      node.put("id", record.id());
    }
    if (key.equals("deletes")) {
      return node;
    }
    return node.put("type", record.type())
        .put("name", record.name())
        .put("content", record.content())
        .put("proxied", record.proxied())
        .put("ttl", record.ttl())
        .put("comment", record.comment());
  }

  private static DnsRecord record(JsonNode r) {
    JsonNode comment = r.path("comment");
    return new DnsRecord(
        r.path("id").asText(),
        r.path("type").asText(),
        r.path("name").asText(),
        r.path("content").asText(),
        r.path("proxied").asBoolean(false),
        r.path("ttl").asInt(1),
        comment.isTextual() ? comment.asText() : null);
  }
}
