package io.homelab.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.homelab.operator.model.References;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Event sources for referenced objects, and lookups in their caches. A change to a referenced
 * object re-reconciles the objects that reference it: each reconciler indexes its primaries by what
 * they reference, and each event source maps a changed object to the primaries in that index.
 */
public final class Sources {

  /** Index of primaries by the Secrets they name, as {@code namespace/name}. */
  public static final String BY_SECRET = "bySecret";

  private Sources() {}

  public static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  public static String key(HasMetadata object) {
    return key(object.getMetadata().getNamespace(), object.getMetadata().getName());
  }

  public static Set<ResourceID> ids(Collection<? extends HasMetadata> objects) {
    return objects.stream().map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  /**
   * An informer of {@code type} whose events re-reconcile the primaries found under {@code index}
   * by the key {@code keyOf} gives for the changed object.
   */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> indexed(
      EventSourceContext<P> context,
      Class<R> type,
      String name,
      String index,
      Function<R, String> keyOf) {
    IndexerResourceCache<P> primaries = context.getPrimaryCache();
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, context.getPrimaryResourceClass())
            .withName(name)
            .withSecondaryToPrimaryMapper(r -> ids(primaries.byIndex(index, keyOf.apply(r))))
            .build(),
        context);
  }

  /** The Secret informer, indexed by the primaries' Secret references. */
  public static <P extends HasMetadata> InformerEventSource<Secret, P> secrets(
      EventSourceContext<P> context, Function<P, List<String>> secretNames) {
    context
        .getPrimaryCache()
        .addIndexer(
            BY_SECRET,
            p ->
                secretNames.apply(p).stream()
                    .map(n -> key(p.getMetadata().getNamespace(), n))
                    .toList());
    return indexed(context, Secret.class, "secrets", BY_SECRET, Sources::key);
  }

  /** An object from the cache of the reconciler's event source {@code sourceName}. */
  public static <R extends HasMetadata> Optional<R> get(
      Context<?> context, Class<R> type, String sourceName, String namespace, String name) {
    return cache(context, type, sourceName).get(new ResourceID(name, namespace));
  }

  /** The cache of the named event source of a type. */
  @SuppressWarnings("unchecked")
  public static <R extends HasMetadata> InformerEventSource<R, ?> cache(
      Context<?> context, Class<R> type, String sourceName) {
    return (InformerEventSource<R, ?>)
        context.eventSourceRetriever().getEventSourceFor(type, sourceName);
  }

  /** The Tunnel a Route names (in the Route's namespace when the reference has none). */
  public static ResourceID tunnelId(io.homelab.operator.api.route.Route route) {
    String namespace = route.getSpec().getTunnelRef().getNamespace();
    return new ResourceID(
        route.getSpec().getTunnelRef().getName(),
        namespace == null ? route.getMetadata().getNamespace() : namespace);
  }

  /** Keys of the Secrets of a namespace by name, from the reconciler's Secret informer. */
  public static Function<String, Optional<Set<String>>> secretKeys(
      Context<?> context, String namespace) {
    InformerEventSource<Secret, ?> secrets = cache(context, Secret.class, "secrets");
    return name ->
        secrets
            .get(new ResourceID(name, namespace))
            .map(s -> References.keysOf(s.getData(), s.getStringData()));
  }
}
