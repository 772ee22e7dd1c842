package io.homelab.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homelab.operator.model.SecretUses;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Puts the finalizer {@code homelab.io/in-use} on the Secrets an object names, so they outlive it
 * until its cleanup has run. The Secret-usage controller takes it off when nothing names the Secret
 * any more.
 */
public final class SecretHolds {

  private static final Logger LOG = Logger.getLogger(SecretHolds.class);

  private SecretHolds() {}

  /** Holds every Secret the (live) object names that exists and is not held yet. */
  public static void hold(HasMetadata object, Context<?> context) {
    if (object.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    String namespace = object.getMetadata().getNamespace();
    for (String name : SecretUses.names(object)) {
      Sources.cache(context, Secret.class, "secrets")
          .get(new ResourceID(name, namespace))
          .filter(s -> s.getMetadata().getDeletionTimestamp() == null)
          .filter(s -> !held(s))
          .ifPresent(
              s -> {
                if (mark(context.getClient(), s, true)) {
                  LOG.infof(
                      "Secret %s/%s is in use: added finalizer %s",
                      namespace, name, Annotations.IN_USE_FINALIZER);
                }
              });
    }
  }

  /** Whether the Secret carries the finalizer. */
  public static boolean held(Secret secret) {
    return secret.getMetadata().getFinalizers() != null
        && secret.getMetadata().getFinalizers().contains(Annotations.IN_USE_FINALIZER);
  }

  /**
   * Puts the finalizer on ({@code held}) or takes it off, as a patch of the finalizers alone: the
   * Secret's data is never written. Returns whether the Secret on the server changed (the cache may
   * lag behind an earlier edit).
   */
  public static boolean mark(KubernetesClient client, Secret secret, boolean held) {
    AtomicBoolean changed = new AtomicBoolean();
    client
        .secrets()
        .inNamespace(secret.getMetadata().getNamespace())
        .withName(secret.getMetadata().getName())
        .edit(
            s -> {
              List<String> finalizers =
                  s.getMetadata().getFinalizers() == null
                      ? new ArrayList<>()
                      : new ArrayList<>(s.getMetadata().getFinalizers());
              boolean had = finalizers.remove(Annotations.IN_USE_FINALIZER);
              if (held) {
                finalizers.add(Annotations.IN_USE_FINALIZER);
              }
              changed.set(had != held);
              s.getMetadata().setFinalizers(finalizers);
              return s;
            });
    return changed.get();
  }
}
