package io.homelab.operator.reconciler.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.homelab.operator.api.Condition;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeDnsName;
import io.homelab.operator.reconciler.Sources;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which Routes an update of their Edge concerns. An Edge reports per host name what its Caddy
 * serves and what its zone publishes; a change there concerns the Routes of those names only, so
 * one Route becoming Ready does not wake the Edge's thousand others. Anything else a Route reads of
 * its Edge (the spec, the conditions, a deletion) concerns them all.
 *
 * <p>The informer asks {@link #accept} with the old and the new Edge before it maps the new one to
 * Routes; {@link #hostnames} then answers what that update changed, kept by resource version.
 */
final class EdgeUpdates {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What one update changed: the host names concerned, for the Edge at this version. */
  private record Hint(String resourceVersion, Set<String> hostnames) {}

  private final Map<String, Hint> hints = new ConcurrentHashMap<>();

  /** Whether the update concerns any Route; remembers which host names it concerns. */
  boolean accept(Edge after, Edge before) {
    Optional<Set<String>> concerned = hostnamesConcerned(before, after);
    String key = Sources.key(after);
    if (concerned.isEmpty()) {
      hints.remove(key);
      return true;
    }
    hints.put(key, new Hint(after.getMetadata().getResourceVersion(), concerned.get()));
    return !concerned.get().isEmpty();
  }

  /**
   * The host names the Edge's latest accepted update concerns, or empty when it concerns every
   * Route (an Edge seen for the first time, or a change all Routes read).
   */
  Optional<Set<String>> hostnames(Edge edge) {
    Hint hint = hints.get(Sources.key(edge));
    if (hint == null
        || edge.getMetadata().getDeletionTimestamp() != null
        || !Objects.equals(hint.resourceVersion(), edge.getMetadata().getResourceVersion())) {
      return Optional.empty();
    }
    return Optional.of(hint.hostnames());
  }

  /**
   * The host names (lower case) whose served state or DNS report differs between the two Edges; or
   * empty when something every Route reads differs: the generation, a deletion, or a condition.
   */
  static Optional<Set<String>> hostnamesConcerned(Edge before, Edge after) {
    if (!Objects.equals(before.getMetadata().getGeneration(), after.getMetadata().getGeneration())
        || (before.getMetadata().getDeletionTimestamp() == null)
            != (after.getMetadata().getDeletionTimestamp() == null)
        || !conditionsAsRoutesReadThem(before).equals(conditionsAsRoutesReadThem(after))) {
      return Optional.empty();
    }
    Set<String> changed = new HashSet<>();
    Set<String> servedBefore = lower(served(before));
    Set<String> servedAfter = lower(served(after));
    for (String name : servedBefore) {
      if (!servedAfter.contains(name)) {
        changed.add(name);
      }
    }
    for (String name : servedAfter) {
      if (!servedBefore.contains(name)) {
        changed.add(name);
      }
    }
    Map<String, JsonNode> dnsBefore = dnsNames(before);
    Map<String, JsonNode> dnsAfter = dnsNames(after);
    for (Map.Entry<String, JsonNode> e : dnsBefore.entrySet()) {
      if (!e.getValue().equals(dnsAfter.get(e.getKey()))) {
        changed.add(e.getKey());
      }
    }
    for (String name : dnsAfter.keySet()) {
      if (!dnsBefore.containsKey(name)) {
        changed.add(name);
      }
    }
    return Optional.of(changed);
  }

  /** Type, status and reason of each condition, and the message where a Route quotes it. */
  private static List<List<String>> conditionsAsRoutesReadThem(Edge edge) {
    if (edge.getStatus() == null || edge.getStatus().getConditions() == null) {
      return List.of();
    }
    return edge.getStatus().getConditions().stream()
        .map(
            (Condition c) ->
                java.util.Arrays.asList(
                    c.getType(),
                    c.getStatus(),
                    c.getReason(),
                    "True".equals(c.getStatus()) ? null : c.getMessage()))
        .sorted(java.util.Comparator.comparing(l -> String.valueOf(l.get(0))))
        .toList();
  }

  private static List<String> served(Edge edge) {
    return edge.getStatus() == null || edge.getStatus().getServedHostnames() == null
        ? List.of()
        : edge.getStatus().getServedHostnames();
  }

  private static Set<String> lower(List<String> names) {
    Set<String> lower = new HashSet<>();
    names.forEach(n -> lower.add(n.toLowerCase(Locale.ROOT)));
    return lower;
  }

  private static Map<String, JsonNode> dnsNames(Edge edge) {
    Map<String, JsonNode> byName = new HashMap<>();
    if (edge.getStatus() != null && edge.getStatus().getDnsNames() != null) {
      for (EdgeDnsName name : edge.getStatus().getDnsNames()) {
        byName.put(name.getHostname().toLowerCase(Locale.ROOT), JSON.valueToTree(name));
      }
    }
    return byName;
  }
}
