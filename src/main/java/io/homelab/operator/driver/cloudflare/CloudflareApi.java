package io.homelab.operator.driver.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homelab.operator.driver.JsonHttp;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The thin transport to Cloudflare's API v4 ({@code https://api.cloudflare.com/client/v4}): one
 * method per call, each returning the envelope's {@code result} (and {@code result_info}). Statuses
 * become exceptions here: 429 {@link CloudflareException.RateLimited} with its {@code Retry-After},
 * 5xx and no reply {@link CloudflareException.Unavailable}, other 4xx {@link
 * CloudflareException.Rejected}. Every request is counted in the {@link RequestBudget}.
 */
final class CloudflareApi {

  /** A page of a list: the results and the envelope's {@code result_info}. */
  record Page(JsonNode result, JsonNode resultInfo) {}

  private final String token;
  private final JsonHttp http;
  private final RequestBudget budget;

  CloudflareApi(JsonHttp http, String token, RequestBudget budget) {
    this.token = token;
    this.http = http;
    this.budget = budget;
  }

  /** {@code GET /zones?name={name}}. */
  Page zonesByName(String name) {
    return page(call("GET", "/zones?name=" + encode(name), null));
  }

  /** {@code GET /zones/{zone_id}/dns_records?page={page}&per_page={perPage}}. */
  Page listRecords(String zoneId, int page, int perPage) {
    return page(
        call(
            "GET",
            "/zones/" + encode(zoneId) + "/dns_records?page=" + page + "&per_page=" + perPage,
            null));
  }

  /**
   * {@code POST /zones/{zone_id}/dns_records/batch {deletes, patches, puts, posts}}: applied in
   * that order, in one transaction.
   */
  JsonNode batch(String zoneId, ObjectNode changes) {
    return call("POST", "/zones/" + encode(zoneId) + "/dns_records/batch", changes).path("result");
  }

  private static Page page(JsonNode envelope) {
    return new Page(envelope.path("result"), envelope.path("result_info"));
  }

  private JsonNode call(String method, String pathAndQuery, Object body) {
    budget.spend();
    JsonHttp.Reply reply;
    try {
      reply = http.send(method, pathAndQuery, Map.of("Authorization", "Bearer " + token), body);
    } catch (IOException e) {
      throw new CloudflareException.Unavailable(
          "Cloudflare did not answer " + method + " " + pathAndQuery + ": " + e, e);
    }
    if (reply.ok()) {
      return reply.body();
    }
    String errors = reply.body().path("errors").toString();
    if (reply.status() == 429) {
      throw new CloudflareException.RateLimited(retryAfter(reply));
    }
    if (reply.status() >= 500) {
      throw new CloudflareException.Unavailable(
          "Cloudflare answered " + reply.status() + " to " + method + " " + pathAndQuery, null);
    }
    throw new CloudflareException.Rejected(reply.status(), errors);
  }

  private static Duration retryAfter(JsonHttp.Reply reply) {
    // Retry-After is in seconds; without one, a minute is a modest guess for a 5-minute window.
    return reply
        .headers()
        .firstValue("Retry-After")
        .map(
            value -> {
              try {
                return Duration.ofSeconds(Math.max(1, Long.parseLong(value.trim())));
              } catch (NumberFormatException e) {
                return Duration.ofMinutes(1);
              }
            })
        .orElse(Duration.ofMinutes(1));
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
