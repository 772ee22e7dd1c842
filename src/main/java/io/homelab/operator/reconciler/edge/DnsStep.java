package io.homelab.operator.reconciler.edge;

import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeDns;
import io.homelab.operator.api.edge.EdgeDnsName;
import io.homelab.operator.api.edge.PublicAddress;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.driver.cloudflare.CloudflareDriver;
import io.homelab.operator.driver.cloudflare.CloudflareException;
import io.homelab.operator.model.DnsPlan;
import io.homelab.operator.model.DnsRecord;
import io.homelab.operator.model.OwnerMarker;
import io.homelab.operator.model.Verdict;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.status.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The DNS part of an Edge's reconcile: the zone listed once per poll, then, for every Route of the
 * Edge, the A (and AAAA) records it should have, planned against the zone and written in one batch
 * only when the plan is not empty. Records are told apart by their comment, the Route's owner
 * marker: only those are ever changed or deleted.
 */
final class DnsStep {

  /**
   * @param verdict the Edge's DnsReady
   * @param names per host name, its records or why it has none; on a failure the previous ones
   * @param retryAfter how long Cloudflare asked to wait (a 429), else null
   * @param failed whether the failure is transient (comes back with a backoff)
   */
  record Outcome(
      Verdict verdict,
      List<EdgeDnsName> names,
      String zoneId,
      Duration retryAfter,
      boolean failed) {

    /** Whether records are in place for the host name. */
    boolean published(String hostname) {
      return names.stream().anyMatch(n -> n.getHostname().equals(hostname) && n.published());
    }
  }

  /** Why a host name has no records: a condition reason and a message. */
  private record Problem(String reason, String message) {}

  private DnsStep() {}

  /**
   * Plans and writes the zone.
   *
   * @param routes every Route of the Edge: the records of any of them not wanted now are deleted
   * @param wanted which Routes should have records now
   * @param previous the names of the Edge's status, kept when Cloudflare cannot be read
   */
  static Outcome apply(
      Edge edge,
      CloudflareDriver driver,
      DnsZones zones,
      String ownerId,
      List<Route> routes,
      Predicate<Route> wanted,
      boolean mayWrite,
      Duration poll,
      Clock clock,
      List<EdgeDnsName> previous) {
    String edgeKey = edge.getMetadata().getNamespace() + "/" + edge.getMetadata().getName();
    EdgeDns dns = edge.getSpec().getDns();
    String zoneName = dns.getZone().toLowerCase(Locale.ROOT);
    List<EdgeDnsName> before = previous == null ? List.of() : previous;
    try {
      DnsZones.Zone zone = zone(edgeKey, zoneName, driver, zones, poll, clock.instant());
      Map<String, Problem> problems = new LinkedHashMap<>();
      List<DnsRecord> desired = new ArrayList<>();
      Set<String> managed = new HashSet<>();
      for (Route route : routes) {
        String comment = DnsRecord.ownerComment(marker(ownerId, route));
        managed.add(comment);
        if (!wanted.test(route)) {
          continue;
        }
        String hostname = route.getSpec().getHostname().toLowerCase(Locale.ROOT);
        if (!hostname.equals(zoneName) && !hostname.endsWith("." + zoneName)) {
          problems.put(
              hostname,
              new Problem(
                  Reason.OUTSIDE_ZONE,
                  hostname
                      + " is not in the Edge's zone "
                      + zoneName
                      + "; publish it yourself or set spec.dns.enabled: false on the Route"));
          continue;
        }
        desired.addAll(records(edge, route, ownerId));
      }
      DnsPlan plan = DnsPlan.compute(desired, zone.records(), managed);
      for (DnsPlan.Conflict c : plan.conflicts()) {
        problems.putIfAbsent(
            c.desired().name(),
            new Problem(
                Reason.CONFLICT,
                "A "
                    + c.holder().type()
                    + " record of "
                    + c.desired().name()
                    + " ("
                    + c.holder().content()
                    + ") that this operator did not make is in the way; it is left alone"));
      }
      List<DnsRecord> after = zone.records();
      Verdict verdict;
      if (plan.changes().isEmpty()) {
        verdict = serving(zoneName, plan, desired);
      } else if (!mayWrite) {
        verdict =
            Verdict.unknown(
                ConditionType.DNS_READY,
                Reason.WRITES_SUSPENDED,
                "Writes are suspended; "
                    + plan.changes().size()
                    + " change(s) to zone "
                    + zoneName
                    + " are waiting");
      } else {
        try {
          after = driver.apply(zone.id(), zone.records(), plan.changes());
        } catch (CloudflareException e) {
          // Some batches may have gone through: the next pass lists the zone again.
          zones.forget(edgeKey);
          throw e;
        }
        zones.put(edgeKey, zone.withRecords(after));
        verdict = serving(zoneName, plan, desired);
      }
      return new Outcome(verdict, names(routes, ownerId, after, problems), zone.id(), null, false);
    } catch (CloudflareException.ZoneNotFound e) {
      return failure(
          Reason.ZONE_NOT_FOUND,
          "The API token sees no zone "
              + zoneName
              + ": check spec.dns.zone, and that the token may edit that zone's DNS",
          before,
          null,
          false);
    } catch (CloudflareException.RateLimited e) {
      return failure(
          Reason.CLOUDFLARE_RATE_LIMITED,
          "Cloudflare asked to wait "
              + e.retryAfter().toSeconds()
              + " s (rate limit); DNS changes wait, everything else goes on",
          before,
          e.retryAfter(),
          false);
    } catch (CloudflareException.Unavailable e) {
      return failure(Reason.CLOUDFLARE_UNAVAILABLE, e.getMessage(), before, null, true);
    } catch (CloudflareException.Rejected e) {
      return failure(
          Reason.CLOUDFLARE_REJECTED,
          e.getMessage() + " (is the API token valid, with DNS edit rights on " + zoneName + "?)",
          before,
          null,
          false);
    }
  }

  /** DnsReady False; the names stay as they were last known. */
  static Outcome failure(
      String reason,
      String message,
      List<EdgeDnsName> before,
      Duration retryAfter,
      boolean transientFailure) {
    return new Outcome(
        Verdict.isFalse(ConditionType.DNS_READY, reason, message),
        before,
        null,
        retryAfter,
        transientFailure);
  }

  /** The zone from the cache while it is younger than a poll; else listed again. */
  private static DnsZones.Zone zone(
      String edgeKey,
      String zoneName,
      CloudflareDriver driver,
      DnsZones zones,
      Duration poll,
      Instant now) {
    var cached = zones.of(edgeKey).filter(z -> z.name().equals(zoneName));
    if (cached.isPresent() && now.isBefore(cached.get().listedAt().plus(poll))) {
      return cached.get();
    }
    String id = cached.map(DnsZones.Zone::id).orElseGet(() -> driver.zoneId(zoneName));
    DnsZones.Zone zone = new DnsZones.Zone(zoneName, id, driver.records(id), now);
    zones.put(edgeKey, zone);
    return zone;
  }

  /** The records a Route should have: A to the Edge's IPv4, AAAA to its IPv6 when it has one. */
  static List<DnsRecord> records(Edge edge, Route route, String ownerId) {
    PublicAddress address = edge.getSpec().getPublicAddress();
    boolean proxied =
        route.getSpec().getDns() != null
            && Boolean.TRUE.equals(route.getSpec().getDns().getProxied());
    int ttl = edge.getSpec().getDns().getTtl() == null ? 1 : edge.getSpec().getDns().getTtl();
    OwnerMarker owner = marker(ownerId, route);
    String hostname = route.getSpec().getHostname();
    List<DnsRecord> records = new ArrayList<>();
    if (address.getIpv4() != null) {
      records.add(DnsRecord.desired("A", hostname, address.getIpv4(), proxied, ttl, owner));
    }
    if (address.getIpv6() != null) {
      records.add(DnsRecord.desired("AAAA", hostname, address.getIpv6(), proxied, ttl, owner));
    }
    return records;
  }

  /** Whether the Route wants a record at all (spec.dns.enabled, true unless said otherwise). */
  static boolean asksForRecord(Route route) {
    return route.getSpec().getDns() == null
        || !Boolean.FALSE.equals(route.getSpec().getDns().getEnabled());
  }

  static OwnerMarker marker(String ownerId, Route route) {
    return new OwnerMarker(
        ownerId, "Route", route.getMetadata().getNamespace(), route.getMetadata().getName());
  }

  private static Verdict serving(String zoneName, DnsPlan plan, List<DnsRecord> desired) {
    return Verdict.isTrue(
        ConditionType.DNS_READY,
        Reason.PUBLISHED,
        "Zone "
            + zoneName
            + ": "
            + (desired.size() - plan.conflicts().size())
            + " record(s) in place"
            + (plan.conflicts().isEmpty()
                ? ""
                : ", " + plan.conflicts().size() + " blocked by records of others"));
  }

  /** Per host name of the Edge's Routes: the ids of its records, or the problem in its way. */
  private static List<EdgeDnsName> names(
      List<Route> routes, String ownerId, List<DnsRecord> zone, Map<String, Problem> problems) {
    Map<String, EdgeDnsName> names = new LinkedHashMap<>();
    for (Route route : routes) {
      String hostname = route.getSpec().getHostname().toLowerCase(Locale.ROOT);
      String comment = DnsRecord.ownerComment(marker(ownerId, route));
      List<String> ids =
          zone.stream()
              .filter(r -> r.name().equals(hostname) && comment.equals(r.comment()))
              .sorted(Comparator.comparing(DnsRecord::type))
              .map(DnsRecord::id)
              .toList();
      Problem problem = problems.get(hostname);
      if (ids.isEmpty() && problem == null) {
        continue;
      }
      EdgeDnsName name =
          new EdgeDnsName(
              hostname,
              ids.isEmpty() ? null : ids,
              problem == null ? null : problem.reason(),
              problem == null ? null : problem.message());
      // Two Routes on one host name: the one with records (the holder) speaks for it.
      names.merge(hostname, name, (a, b) -> a.published() ? a : b);
    }
    return names.values().stream().sorted(Comparator.comparing(EdgeDnsName::getHostname)).toList();
  }
}
