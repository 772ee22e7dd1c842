package io.homelab.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DnsPlan as a table, external-dns style: desired and observed in, the changes and conflicts out.
 */
class DnsPlanTest {

  private static final String OURS = "homelab-operator:test/Route/apps/web";
  private static final String OTHER_ROUTE = "homelab-operator:test/Route/apps/other";
  private static final String OTHER_CLUSTER = "homelab-operator:prod/Route/apps/web";

  private static DnsRecord want(String type, String name, String content) {
    return new DnsRecord(null, type, name, content, false, OURS);
  }

  private static DnsRecord seen(
      String id, String type, String name, String content, boolean proxied, String comment) {
    return new DnsRecord(id, type, name, content, proxied, comment);
  }

  record Case(
      String name,
      List<DnsRecord> desired,
      List<DnsRecord> observed,
      List<DnsRecord> deletes,
      List<DnsRecord> updates,
      List<DnsRecord> creates,
      List<String> conflictsWith) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> table() {
    DnsRecord a = want("A", "app.example.com", "203.0.113.7");
    DnsRecord aaaa = want("AAAA", "app.example.com", "2001:db8::7");
    DnsRecord oursA = seen("r1", "A", "app.example.com", "203.0.113.7", false, OURS);
    DnsRecord oursOldA = seen("r1", "A", "app.example.com", "198.51.100.1", false, OURS);
    DnsRecord oursProxiedA = seen("r1", "A", "app.example.com", "203.0.113.7", true, OURS);
    DnsRecord oursDupA = seen("r2", "A", "app.example.com", "198.51.100.1", false, OURS);
    DnsRecord oursCname = seen("r3", "CNAME", "app.example.com", "edge.example.com", false, OURS);
    DnsRecord foreignA = seen("f1", "A", "app.example.com", "192.0.2.1", false, null);
    DnsRecord foreignCname = seen("f2", "CNAME", "app.example.com", "x.example.net", false, "");
    DnsRecord foreignTxt = seen("f3", "TXT", "app.example.com", "v=spf1 -all", false, null);
    DnsRecord foreignElsewhere = seen("f4", "A", "www.example.com", "192.0.2.1", false, null);
    DnsRecord otherCluster = seen("f5", "A", "app.example.com", "192.0.2.9", false, OTHER_CLUSTER);
    DnsRecord otherRoute = seen("o1", "A", "old.example.com", "203.0.113.7", false, OTHER_ROUTE);
    return Stream.of(
        new Case(
            "nothing wanted, nothing there",
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of()),
        new Case(
            "a new record is created",
            List.of(a),
            List.of(),
            List.of(),
            List.of(),
            List.of(a),
            List.of()),
        new Case(
            "A and AAAA",
            List.of(a, aaaa),
            List.of(),
            List.of(),
            List.of(),
            List.of(a, aaaa),
            List.of()),
        new Case(
            "ours, as wanted: nothing",
            List.of(a),
            List.of(oursA),
            List.of(),
            List.of(),
            List.of(),
            List.of()),
        new Case(
            "ours with an old address: one update by id",
            List.of(a),
            List.of(oursOldA),
            List.of(),
            List.of(a.withId("r1")),
            List.of(),
            List.of()),
        new Case(
            "ours proxied when it should not be: update",
            List.of(a),
            List.of(oursProxiedA),
            List.of(),
            List.of(a.withId("r1")),
            List.of(),
            List.of()),
        new Case(
            "ours no longer wanted: deleted",
            List.of(),
            List.of(oursA),
            List.of(oursA),
            List.of(),
            List.of(),
            List.of()),
        new Case(
            "a duplicate of ours is deleted, the right one kept",
            List.of(a),
            List.of(oursDupA, oursA),
            List.of(oursDupA),
            List.of(),
            List.of(),
            List.of()),
        new Case(
            "our CNAME gives way to our A",
            List.of(a),
            List.of(oursCname),
            List.of(oursCname),
            List.of(),
            List.of(a),
            List.of()),
        new Case(
            "a foreign A on the name: conflict, untouched",
            List.of(a),
            List.of(foreignA),
            List.of(),
            List.of(),
            List.of(),
            List.of("f1")),
        new Case(
            "a foreign CNAME on the name: conflict",
            List.of(a),
            List.of(foreignCname),
            List.of(),
            List.of(),
            List.of(),
            List.of("f2")),
        new Case(
            "another cluster's record is foreign",
            List.of(a),
            List.of(otherCluster),
            List.of(),
            List.of(),
            List.of(),
            List.of("f5")),
        new Case(
            "a foreign TXT beside it is no conflict",
            List.of(a),
            List.of(foreignTxt),
            List.of(),
            List.of(),
            List.of(a),
            List.of()),
        new Case(
            "foreign records elsewhere are ignored",
            List.of(),
            List.of(foreignElsewhere, foreignA),
            List.of(),
            List.of(),
            List.of(),
            List.of()),
        new Case(
            "a managed Route's leftover is deleted",
            List.of(a),
            List.of(oursA, otherRoute),
            List.of(otherRoute),
            List.of(),
            List.of(),
            List.of()),
        new Case(
            "with a conflict, ours on the slot is kept",
            List.of(a),
            List.of(oursOldA, foreignCname),
            List.of(),
            List.of(),
            List.of(),
            List.of("f2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void plan(Case c) {
    DnsPlan plan = DnsPlan.compute(c.desired(), c.observed(), Set.of(OURS, OTHER_ROUTE));

    assertThat(plan.changes().deletes()).as("deletes").isEqualTo(c.deletes());
    assertThat(plan.changes().updates()).as("updates").isEqualTo(c.updates());
    assertThat(plan.changes().creates()).as("creates").isEqualTo(c.creates());
    assertThat(plan.conflicts())
        .extracting(x -> x.holder().id())
        .as("conflicts")
        .isEqualTo(c.conflictsWith());
  }

  @Test
  void aPlanOfWhatItProducedIsEmpty() {
    List<DnsRecord> desired =
        List.of(
            want("A", "a.example.com", "203.0.113.7"), want("A", "b.example.com", "203.0.113.7"));
    DnsPlan first = DnsPlan.compute(desired, List.of(), Set.of(OURS));
    List<DnsRecord> applied =
        first.changes().creates().stream().map(r -> r.withId("id-" + r.name())).toList();

    assertThat(DnsPlan.compute(desired, applied, Set.of(OURS)).changes().isEmpty()).isTrue();
  }

  @Test
  void theCommentIsTheMarkerWhenItFitsAndItsShortFormWhenNot() {
    OwnerMarker fits = new OwnerMarker("test", "Route", "apps", "web");
    OwnerMarker tooLong = new OwnerMarker("test", "Route", "apps", "x".repeat(90));

    assertThat(DnsRecord.ownerComment(fits)).isEqualTo(fits.text());
    assertThat(DnsRecord.ownerComment(tooLong)).isEqualTo(tooLong.shortForm());
    assertThat(DnsRecord.ownerComment(tooLong))
        .hasSizeLessThanOrEqualTo(DnsRecord.COMMENT_MAX_LENGTH);
  }

  @Test
  void namesAreComparedWithoutCase() {
    DnsRecord wanted = want("A", "App.Example.com", "203.0.113.7");
    DnsRecord there = seen("r1", "A", "app.example.com", "203.0.113.7", false, OURS);

    assertThat(DnsPlan.compute(List.of(wanted), List.of(there), Set.of(OURS)).changes().isEmpty())
        .isTrue();
  }
}
