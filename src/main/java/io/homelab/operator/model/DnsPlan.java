package io.homelab.operator.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The plan for a zone, external-dns style: desired records against the records observed, to
 * creates, updates and deletes. Only records whose comment is one of the {@code managed} markers
 * are ever changed or deleted; a record of anyone else on a desired name is a {@link Conflict} and
 * that name is left alone. Pure: the same inputs always give the same plan.
 */
public record DnsPlan(DnsChanges changes, List<Conflict> conflicts) {

  /** A desired record that cannot be written because {@code holder} is in its way. */
  public record Conflict(DnsRecord desired, DnsRecord holder) {}

  public DnsPlan {
    conflicts = List.copyOf(conflicts);
  }

  /**
   * Plans one zone.
   *
   * @param desired the records wanted, each with its owner's comment
   * @param observed the zone's records as listed
   * @param managed the comments of every owner this plan speaks for: their records not desired any
   *     more are deleted
   */
  public static DnsPlan compute(
      List<DnsRecord> desired, List<DnsRecord> observed, Set<String> managed) {
    List<DnsRecord> deletes = new ArrayList<>();
    List<DnsRecord> updates = new ArrayList<>();
    List<DnsRecord> creates = new ArrayList<>();
    List<Conflict> conflicts = new ArrayList<>();
    List<DnsRecord> kept = new ArrayList<>();
    for (DnsRecord want : desired) {
      Optional<DnsRecord> blocker =
          observed.stream()
              .filter(o -> blocks(o, want))
              .filter(o -> !want.comment().equals(o.comment()))
              .findFirst();
      if (blocker.isPresent()) {
        conflicts.add(new Conflict(want, blocker.get()));
        // Ours on that slot, if any, stays as it is: the conflict is for a person to settle.
        observed.stream()
            .filter(o -> o.sameSlot(want) && want.comment().equals(o.comment()))
            .forEach(kept::add);
        continue;
      }
      List<DnsRecord> ours =
          observed.stream()
              .filter(o -> o.sameSlot(want) && want.comment().equals(o.comment()))
              .toList();
      if (ours.isEmpty()) {
        creates.add(want.withId(null));
        continue;
      }
      // Keep the one that already says the right thing (else the first); extras are duplicates.
      DnsRecord keep = ours.stream().filter(o -> o.satisfies(want)).findFirst().orElse(ours.get(0));
      kept.add(keep);
      if (!keep.satisfies(want)) {
        updates.add(want.withId(keep.id()));
      }
    }
    for (DnsRecord o : observed) {
      if (o.comment() != null && managed.contains(o.comment()) && !kept.contains(o)) {
        deletes.add(o);
      }
    }
    return new DnsPlan(new DnsChanges(deletes, updates, creates), conflicts);
  }

  /**
   * Whether {@code observed} stands in the way of {@code want}: on the same name, the same type or
   * a CNAME on either side (a CNAME shares its name with nothing). The caller leaves out records of
   * the same owner: those are its own to change.
   */
  private static boolean blocks(DnsRecord observed, DnsRecord want) {
    if (!observed.name().equals(want.name())) {
      return false;
    }
    return observed.type().equals(want.type())
        || observed.type().equals("CNAME")
        || want.type().equals("CNAME");
  }
}
