package io.homelab.operator.reconciler.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.homelab.operator.api.SecretKeyRef;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeDns;
import io.homelab.operator.api.edge.EdgeDnsName;
import io.homelab.operator.api.edge.EdgeSpec;
import io.homelab.operator.api.edge.PublicAddress;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.route.RouteDns;
import io.homelab.operator.api.route.RouteSpec;
import io.homelab.operator.driver.cloudflare.CloudflareDriver;
import io.homelab.operator.driver.cloudflare.HttpCloudflareDriver;
import io.homelab.operator.model.DnsRecord;
import io.homelab.operator.model.OwnerMarker;
import io.homelab.operator.sandbox.SimulatorServer;
import io.homelab.operator.sandbox.cloudflare.CloudflareSimulator;
import io.homelab.operator.status.Reason;
import io.homelab.operator.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The DNS part of the Edge's reconcile against the Cloudflare simulator, through the real HTTP
 * driver: the zone listed once per poll, the records of a burst in one batch, nothing written at
 * steady state, records following the Edge's address, records of Routes no longer wanted deleted,
 * and the names of others left alone.
 */
class DnsStepTest {

  private static final String OWNER = "test";
  private static final Duration POLL = Duration.ofMinutes(5);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));
  private CloudflareSimulator cloudflare;
  private CloudflareDriver driver;
  private String zone;
  private DnsZones zones;

  @BeforeEach
  void start() {
    cloudflare = new CloudflareSimulator(clock);
    cloudflare.addToken("token");
    zone = cloudflare.addZone("example.com");
    driver = new HttpCloudflareDriver(cloudflare.apiUrl(), "token", clock, Duration.ofSeconds(5));
    zones = new DnsZones();
  }

  @AfterEach
  void stop() {
    cloudflare.close();
  }

  @Test
  void aBurstIsOneBatchAndSteadyStateCostsNoRequestUntilThePoll() {
    Edge edge = edge("203.0.113.10", null);
    List<Route> routes = List.of(route("app", true, false), route("blog", true, true));
    long reads = cloudflare.server().reads();

    DnsStep.Outcome first = apply(edge, routes, r -> true, null);

    assertThat(first.verdict().holds()).isTrue();
    assertThat(cloudflare.batches()).isEqualTo(1);
    assertThat(cloudflare.server().reads() - reads).as("zone id and one page").isEqualTo(2);
    assertThat(first.names())
        .extracting(EdgeDnsName::getHostname)
        .containsExactly("app.example.com", "blog.example.com");
    assertThat(first.published("app.example.com")).isTrue();
    assertThat(first.names().get(0).getRecordIds())
        .containsExactly(record("app.example.com").path("id").asText());
    assertThat(record("blog.example.com").path("proxied").asBoolean()).isTrue();
    assertThat(record("app.example.com").path("comment").asText())
        .isEqualTo(new OwnerMarker(OWNER, "Route", "web", "app").text());

    long requests = cloudflare.server().requests().size();
    DnsStep.Outcome again = apply(edge, routes, r -> true, first.names());
    assertThat(cloudflare.server().requests().size())
        .as("within a poll: no request at all")
        .isEqualTo(requests);
    assertThat(again.names()).usingRecursiveComparison().isEqualTo(first.names());

    clock.advance(POLL);
    apply(edge, routes, r -> true, again.names());
    assertThat(cloudflare.server().writes()).as("only the first batch wrote").isEqualTo(1);
    assertThat(cloudflare.server().requests().size() - requests)
        .as("after a poll: the zone listed again (one page; the id is kept)")
        .isEqualTo(1);
  }

  @Test
  void recordsFollowTheEdgesAddressAndGoWhenNotWanted() {
    List<Route> routes = List.of(route("app", true, false), route("blog", true, false));
    DnsStep.Outcome first = apply(edge("203.0.113.10", null), routes, r -> true, null);
    String appId = record("app.example.com").path("id").asText();

    DnsStep.Outcome moved =
        apply(edge("198.51.100.7", "2001:db8::7"), routes, r -> true, first.names());
    ObjectNode a =
        records("app.example.com").stream()
            .filter(r -> r.path("type").asText().equals("A"))
            .findFirst()
            .orElseThrow();
    assertThat(a.path("content").asText()).isEqualTo("198.51.100.7");
    assertThat(a.path("id").asText()).as("updated in place").isEqualTo(appId);
    assertThat(records("app.example.com"))
        .extracting(r -> r.path("type").asText() + " " + r.path("content").asText())
        .containsExactlyInAnyOrder("A 198.51.100.7", "AAAA 2001:db8::7");
    assertThat(moved.names().get(0).getRecordIds()).hasSize(2);
    assertThat(cloudflare.batches()).isEqualTo(2);

    DnsStep.Outcome withdrawn =
        apply(
            edge("198.51.100.7", "2001:db8::7"),
            routes,
            r -> !r.getMetadata().getName().equals("blog"),
            moved.names());
    assertThat(records("blog.example.com")).isEmpty();
    assertThat(records("app.example.com")).hasSize(2);
    assertThat(withdrawn.published("blog.example.com")).isFalse();
    assertThat(cloudflare.batches()).isEqualTo(3);
  }

  @Test
  void aNameHeldByARecordOfOthersIsAConflictAndNamesOutsideTheZoneAreSaidSo() {
    ObjectNode foreign =
        SimulatorServer.JSON
            .createObjectNode()
            .put("type", "CNAME")
            .put("name", "app.example.com")
            .put("content", "elsewhere.example.net");
    cloudflare.seed(zone, foreign);
    List<ObjectNode> before = cloudflare.records(zone);
    Route outside = route("far", true, false);
    outside.getSpec().setHostname("far.example.org");

    DnsStep.Outcome outcome =
        apply(
            edge("203.0.113.10", null),
            List.of(route("app", true, false), outside),
            r -> true,
            null);

    assertThat(cloudflare.records(zone)).isEqualTo(before);
    assertThat(outcome.names())
        .extracting(n -> n.getHostname() + " " + n.getReason())
        .containsExactly(
            "app.example.com " + Reason.CONFLICT, "far.example.org " + Reason.OUTSIDE_ZONE);
    assertThat(outcome.names().get(0).getMessage()).contains("CNAME").contains("elsewhere");
    assertThat(outcome.published("app.example.com")).isFalse();
  }

  @Test
  void aRateLimitKeepsWhatWasKnownAndSaysHowLongToWait() {
    DnsStep.Outcome first =
        apply(edge("203.0.113.10", null), List.of(route("app", true, false)), r -> true, null);
    cloudflare.rateLimit(0, Duration.ofSeconds(40));
    clock.advance(POLL);

    DnsStep.Outcome limited =
        apply(
            edge("198.51.100.7", null),
            List.of(route("app", true, false)),
            r -> true,
            first.names());

    assertThat(limited.verdict().reason()).isEqualTo(Reason.CLOUDFLARE_RATE_LIMITED);
    assertThat(limited.retryAfter()).isPositive();
    assertThat(limited.failed()).as("a 429 is waited out, not backed off").isFalse();
    assertThat(limited.names()).isEqualTo(first.names());
    assertThat(limited.published("app.example.com")).isTrue();
  }

  @Test
  void aRouteAskingForNoRecordIsNotPublished() {
    assertThat(DnsStep.asksForRecord(route("app", false, false))).isFalse();
    assertThat(DnsStep.asksForRecord(route("app", true, false))).isTrue();
    Route plain = route("plain", true, false);
    plain.getSpec().setDns(null);
    assertThat(DnsStep.asksForRecord(plain)).as("a record unless asked otherwise").isTrue();
    assertThat(
            DnsStep.records(edge("203.0.113.10", null), route("app", true, false), OWNER).stream()
                .map(DnsRecord::ttl)
                .toList())
        .containsExactly(300);
    assertThat(
            DnsStep.records(edge("203.0.113.10", null), route("app", true, true), OWNER).stream()
                .map(DnsRecord::ttl)
                .toList())
        .as("Cloudflare keeps proxied records at automatic TTL")
        .containsExactly(1);
  }

  private DnsStep.Outcome apply(
      Edge edge, List<Route> routes, Predicate<Route> wanted, List<EdgeDnsName> previous) {
    return DnsStep.apply(edge, driver, zones, OWNER, routes, wanted, true, POLL, clock, previous);
  }

  private ObjectNode record(String name) {
    List<ObjectNode> records = records(name);
    assertThat(records).as("records of " + name).hasSize(1);
    return records.get(0);
  }

  private List<ObjectNode> records(String name) {
    return cloudflare.records(zone).stream()
        .filter(r -> r.path("name").asText().equals(name))
        .toList();
  }

  private static Edge edge(String ipv4, String ipv6) {
    Edge edge = new Edge();
    edge.setMetadata(new ObjectMetaBuilder().withName("vps").withNamespace("web").build());
    EdgeSpec spec = new EdgeSpec();
    PublicAddress address = new PublicAddress();
    address.setIpv4(ipv4);
    address.setIpv6(ipv6);
    spec.setPublicAddress(address);
    EdgeDns dns = new EdgeDns();
    dns.setZone("example.com");
    dns.setApiTokenSecretRef(new SecretKeyRef("cloudflare", "apiToken"));
    dns.setTtl(300);
    spec.setDns(dns);
    edge.setSpec(spec);
    return edge;
  }

  private static Route route(String name, boolean record, boolean proxied) {
    Route route = new Route();
    route.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("web").build());
    RouteSpec spec = new RouteSpec();
    spec.setHostname(name + ".example.com");
    RouteDns dns = new RouteDns();
    dns.setEnabled(record);
    dns.setProxied(proxied);
    spec.setDns(dns);
    route.setSpec(spec);
    return route;
  }
}
