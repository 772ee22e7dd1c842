package io.homelab.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;

/**
 * Who came first, where two objects want one thing (an address, a Caddy): the one created first,
 * and for the same second the one first by namespace and name. Pure.
 */
public final class FirstCome {

  private FirstCome() {}

  /** Objects in the order they came: the first is the one that holds. */
  public static <T extends HasMetadata> Comparator<T> order() {
    return Comparator.comparing(
            (T o) ->
                o.getMetadata().getCreationTimestamp() == null
                    ? ""
                    : o.getMetadata().getCreationTimestamp())
        .thenComparing(o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName());
  }
}
