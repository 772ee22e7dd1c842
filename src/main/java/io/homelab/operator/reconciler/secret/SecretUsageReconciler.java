package io.homelab.operator.reconciler.secret;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.model.SecretUses;
import io.homelab.operator.reconciler.Annotations;
import io.homelab.operator.reconciler.SecretHolds;
import io.homelab.operator.reconciler.Sources;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.GenericFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Releases the finalizer {@code homelab.io/in-use} of a Secret once no homelab object names it, so
 * that deleting a whole folder or namespace, Secrets included, still lets every cleanup read its
 * credentials first.
 *
 * <p>The objects' own reconcilers put the finalizer on the Secrets they name ({@link
 * io.homelab.operator.reconciler.SecretHolds}); from then on this controller follows the Secret: it
 * is the controller's finalizer, so a Secret being deleted comes to {@link #cleanup}, which lets it
 * go when the last object naming it is gone. Secrets without the finalizer never reach this
 * controller through their own events ({@link HeldSecrets}), so unrelated Secrets are never
 * written.
 */
@ControllerConfiguration(
    name = "secret-usage",
    finalizerName = Annotations.IN_USE_FINALIZER,
    generationAwareEventProcessing = false,
    informer = @Informer(genericFilter = SecretUsageReconciler.HeldSecrets.class))
public class SecretUsageReconciler implements Reconciler<Secret>, Cleaner<Secret> {

  private static final Logger LOG = Logger.getLogger(SecretUsageReconciler.class);
  static final List<Class<? extends HasMetadata>> USERS =
      List.of(Edge.class, Tunnel.class, Route.class, Guest.class);

  /** Lets a Secret's own events through only while it carries the finalizer. */
  public static class HeldSecrets implements GenericFilter<Secret> {
    @Override
    public boolean accept(Secret secret) {
      return SecretHolds.held(secret);
    }
  }

  @Override
  public List<EventSource<?, Secret>> prepareEventSources(EventSourceContext<Secret> context) {
    List<EventSource<?, Secret>> sources = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : USERS) {
      sources.add(users(context, kind));
    }
    return sources;
  }

  private static <R extends HasMetadata> InformerEventSource<R, Secret> users(
      EventSourceContext<Secret> context, Class<R> kind) {
    InformerEventSource<R, Secret> source =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(kind, Secret.class)
                .withName(kind.getSimpleName().toLowerCase())
                .withSecondaryToPrimaryMapper(
                    o ->
                        SecretUses.names(o).stream()
                            .map(n -> new ResourceID(n, o.getMetadata().getNamespace()))
                            .collect(Collectors.toSet()))
                .build(),
            context);
    source.addIndexer(
        Sources.BY_SECRET,
        o ->
            SecretUses.names(o).stream()
                .map(n -> Sources.key(o.getMetadata().getNamespace(), n))
                .toList());
    return source;
  }

  @Override
  public UpdateControl<Secret> reconcile(Secret secret, Context<Secret> context) {
    List<String> users = usersOf(secret, context);
    if (users.isEmpty() && SecretHolds.mark(context.getClient(), secret, false)) {
      LOG.infof(
          "Secret %s is no longer in use: removed finalizer %s",
          Sources.key(secret), Annotations.IN_USE_FINALIZER);
    }
    return UpdateControl.noUpdate();
  }

  @Override
  public DeleteControl cleanup(Secret secret, Context<Secret> context) {
    List<String> users = usersOf(secret, context);
    if (!users.isEmpty()) {
      LOG.debugf(
          "Secret %s is being deleted; it stays until %s are gone", Sources.key(secret), users);
      return DeleteControl.noFinalizerRemoval();
    }
    LOG.infof("Secret %s is deleted now that nothing names it", Sources.key(secret));
    return DeleteControl.defaultDelete();
  }

  /** The homelab objects that name the Secret, as {@code Kind namespace/name}. */
  static List<String> usersOf(Secret secret, Context<Secret> context) {
    List<String> users = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : USERS) {
      Sources.cache(context, kind, kind.getSimpleName().toLowerCase())
          .byIndex(Sources.BY_SECRET, Sources.key(secret))
          .forEach(o -> users.add(kind.getSimpleName() + " " + Sources.key(o)));
    }
    return users;
  }
}
