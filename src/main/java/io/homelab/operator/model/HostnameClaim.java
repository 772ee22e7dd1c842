package io.homelab.operator.model;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * One Route's claim on a host name. As in the Gateway API, the oldest claim wins: earliest creation
 * time, then namespace, then name. A Route that is being deleted keeps its claim until it is gone
 * (its finalizer removed), so two Routes never own one host name in an external system at the same
 * moment.
 */
public record HostnameClaim(String namespace, String name, Instant created) {

  public static final String HOSTNAME_CONFLICT = "HostnameConflict";

  private static final Comparator<HostnameClaim> ORDER =
      Comparator.comparing(HostnameClaim::created, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(HostnameClaim::namespace)
          .thenComparing(HostnameClaim::name);

  /** The claim that holds the host name among all of them. */
  public static Optional<HostnameClaim> holder(Collection<HostnameClaim> claims) {
    return claims.stream().min(ORDER);
  }

  public String key() {
    return namespace + "/" + name;
  }
}
