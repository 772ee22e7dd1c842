package io.homelab.operator.driver.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homelab.operator.driver.JsonHttp;
import io.homelab.operator.model.DnsChanges;
import io.homelab.operator.model.DnsPlan;
import io.homelab.operator.model.DnsRecord;
import io.homelab.operator.model.OwnerMarker;
import io.homelab.operator.sandbox.cloudflare.CloudflareSimulator;
import io.homelab.operator.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Cloudflare driver against the Cloudflare simulator: every operation and every failure. */
class HttpCloudflareDriverTest {

  private static final String TOKEN = "cf-test-token";

  private final ManualClock clock = new ManualClock();
  private CloudflareSimulator cloudflare;
  private String zone;
  private HttpCloudflareDriver driver;

  @BeforeEach
  void start() {
    cloudflare = new CloudflareSimulator(clock);
    cloudflare.addToken(TOKEN);
    zone = cloudflare.addZone("example.com");
    driver = driver(HttpCloudflareDriver.MAX_BATCH_CHANGES, 100, Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    cloudflare.close();
  }

  private HttpCloudflareDriver driver(int maxBatch, int perPage, Duration timeout) {
    return new HttpCloudflareDriver(cloudflare.apiUrl(), TOKEN, clock, timeout, maxBatch, perPage);
  }

  private static DnsRecord a(String name, String owner) {
    return DnsRecord.desired(
        "A", name, "203.0.113.7", false, new OwnerMarker("test", "Route", "apps", owner));
  }

  private void seed(String name, String content) {
    ObjectNode record =
        JsonHttp.JSON.createObjectNode().put("type", "A").put("name", name).put("content", content);
    cloudflare.seed(zone, record);
  }

  @Test
  void aZoneIsFoundByName() {
    assertThat(driver.zoneId("example.com")).isEqualTo(zone);
    assertThatThrownBy(() -> driver.zoneId("example.org"))
        .isInstanceOf(CloudflareException.ZoneNotFound.class);
  }

  @Test
  void recordsAreReadPageByPage() {
    IntStream.range(0, 12).forEach(i -> seed("host" + i + ".example.com", "192.0.2." + i));
    driver = driver(HttpCloudflareDriver.MAX_BATCH_CHANGES, 5, Duration.ofSeconds(5));
    long reads = cloudflare.server().reads();

    List<DnsRecord> records = driver.records(zone);

    assertThat(records).hasSize(12);
    assertThat(records).extracting(DnsRecord::name).doesNotHaveDuplicates();
    assertThat(cloudflare.server().reads() - reads).isEqualTo(3);
  }

  @Test
  void changesGoThroughOneBatchWithTheMarkerInTheComment() {
    DnsRecord web = a("web.example.com", "web");
    DnsRecord old = a("old.example.com", "old");
    driver.apply(zone, List.of(), new DnsChanges(List.of(), List.of(), List.of(web, old)));
    List<DnsRecord> observed = driver.records(zone);
    DnsRecord moved =
        new DnsRecord(null, "A", "web.example.com", "198.51.100.4", true, web.comment());
    DnsPlan plan =
        DnsPlan.compute(
            List.of(moved, a("new.example.com", "new")),
            observed,
            Set.of(web.comment(), old.comment()));
    long writes = cloudflare.server().writes();
    long reads = cloudflare.server().reads();

    List<DnsRecord> after = driver.apply(zone, observed, plan.changes());

    assertThat(cloudflare.server().writes() - writes).isEqualTo(1);
    assertThat(cloudflare.server().reads() - reads).as("no list after the write").isZero();
    assertThat(after)
        .as("the zone as the batch left it, known without listing it again")
        .containsExactlyInAnyOrderElementsOf(driver.records(zone));
    assertThat(cloudflare.batches()).isEqualTo(2);
    assertThat(driver.records(zone))
        .extracting(r -> r.name() + " " + r.content() + " " + r.proxied() + " " + r.comment())
        .containsExactlyInAnyOrder(
            "web.example.com 198.51.100.4 true " + web.comment(),
            "new.example.com 203.0.113.7 false homelab-operator:test/Route/apps/new");
  }

  @Test
  void aForeignRecordOnTheHostnameIsAConflictAndStaysAsItIs() {
    seed("web.example.com", "192.0.2.50");
    List<ObjectNode> before = cloudflare.records(zone);
    DnsRecord web = a("web.example.com", "web");

    DnsPlan plan = DnsPlan.compute(List.of(web), driver.records(zone), Set.of(web.comment()));
    driver.apply(zone, List.of(), plan.changes());

    assertThat(plan.conflicts())
        .extracting(c -> c.holder().content())
        .containsExactly("192.0.2.50");
    assertThat(cloudflare.records(zone)).isEqualTo(before);
    assertThat(cloudflare.batches()).isZero();
  }

  @Test
  void aBurstLargerThanABatchIsSplit() {
    List<DnsRecord> creates = new ArrayList<>();
    IntStream.range(0, 250).forEach(i -> creates.add(a("h" + i + ".example.com", "r" + i)));

    driver.apply(zone, List.of(), new DnsChanges(List.of(), List.of(), creates));

    assertThat(cloudflare.batches()).isEqualTo(2);
    assertThat(cloudflare.records(zone)).hasSize(250);
  }

  @Test
  void aBatchOverCloudflaresLimitIsRejectedWhole() {
    cloudflare.batchLimit(2);
    List<DnsRecord> creates =
        List.of(a("a.example.com", "a"), a("b.example.com", "b"), a("c.example.com", "c"));

    assertThatThrownBy(
            () -> driver.apply(zone, List.of(), new DnsChanges(List.of(), List.of(), creates)))
        .isInstanceOfSatisfying(
            CloudflareException.Rejected.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThat(cloudflare.records(zone)).isEmpty();
  }

  @Test
  void a429IsRateLimitedWithItsDelayAndDefersWithoutSpendingRequests() {
    cloudflare.rateLimit(2, Duration.ofMinutes(5));
    driver.records(zone);
    clock.advance(Duration.ofMinutes(1));
    driver.records(zone);

    assertThatThrownBy(() -> driver.records(zone))
        .isInstanceOfSatisfying(
            CloudflareException.RateLimited.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(4)));
    long requests = cloudflare.server().reads();
    clock.advance(Duration.ofMinutes(3));
    assertThatThrownBy(() -> driver.records(zone))
        .isInstanceOfSatisfying(
            CloudflareException.RateLimited.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(1)));
    assertThat(cloudflare.server().reads()).as("deferred: no request").isEqualTo(requests);

    clock.advance(Duration.ofMinutes(1));
    assertThat(driver.records(zone)).isEmpty();
  }

  @Test
  void fiftyRecordsUnderASmallBudgetAllArriveOnceThroughBatches() {
    cloudflare.rateLimit(3, Duration.ofMinutes(5));
    cloudflare.batchLimit(20);
    driver = driver(20, 100, Duration.ofSeconds(5));
    List<DnsRecord> desired = new ArrayList<>();
    IntStream.range(0, 50).forEach(i -> desired.add(a("app" + i + ".example.com", "app" + i)));
    Set<String> managed = new HashSet<>();
    desired.forEach(r -> managed.add(r.comment()));
    int limited = 0;

    // What a reconciler does each poll: list, plan, apply; a 429 defers to its Retry-After.
    for (int poll = 0; poll < 20; poll++) {
      try {
        DnsPlan plan = DnsPlan.compute(desired, driver.records(zone), managed);
        if (plan.changes().isEmpty()) {
          break;
        }
        driver.apply(zone, List.of(), plan.changes());
      } catch (CloudflareException.RateLimited e) {
        limited++;
        clock.advance(e.retryAfter());
      }
    }

    assertThat(limited).as("the budget ran out at least once").isPositive();
    assertThat(cloudflare.records(zone)).hasSize(50);
    assertThat(cloudflare.records(zone))
        .extracting(r -> r.get("name").asText())
        .doesNotHaveDuplicates();
    assertThat(cloudflare.batches()).isEqualTo(3);
    assertThat(cloudflare.server().requests())
        .filteredOn(r -> !r.startsWith("GET "))
        .as("every write went to the batch endpoint")
        .isNotEmpty()
        .allMatch(r -> r.equals("POST /client/v4/zones/" + zone + "/dns_records/batch"));
  }

  @Test
  void theBudgetCountsTheRequestsOfTheCurrentWindow() {
    driver.zoneId("example.com");
    driver.records(zone);

    assertThat(driver.budget().used()).isEqualTo(2);
    assertThat(driver.budget().limit()).isEqualTo(1200);
    clock.advance(Duration.ofMinutes(5));
    assertThat(driver.budget().used()).isZero();
  }

  @Test
  void aWrongTokenIsRejected() {
    HttpCloudflareDriver wrong =
        new HttpCloudflareDriver(cloudflare.apiUrl(), "nope", clock, Duration.ofSeconds(5));

    assertThatThrownBy(() -> wrong.records(zone))
        .isInstanceOfSatisfying(
            CloudflareException.Rejected.class, e -> assertThat(e.status()).isEqualTo(403));
  }

  @Test
  void a5xxIsUnavailable() {
    cloudflare.server().failNext(1, 502);

    assertThatThrownBy(() -> driver.records(zone))
        .isInstanceOf(CloudflareException.Unavailable.class);
  }

  @Test
  void aTimeoutIsUnavailable() {
    driver = driver(HttpCloudflareDriver.MAX_BATCH_CHANGES, 100, Duration.ofMillis(200));
    cloudflare.server().hangNext(1);

    assertThatThrownBy(() -> driver.records(zone))
        .isInstanceOf(CloudflareException.Unavailable.class);
  }
}
