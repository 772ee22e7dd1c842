package io.homelab.operator.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.homelab.operator.api.Condition;
import io.homelab.operator.api.HomelabStatus;
import io.homelab.operator.driver.ExternalChanges;
import io.homelab.operator.status.ConditionType;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Records Kubernetes Events on homelab objects, and logs them once with the object's kind,
 * namespace and name in the logging context (so JSON log lines carry them).
 *
 * <p>Three sources: the reconcilers' own events; every change a driver makes to an external system
 * ({@link ExternalChanges}), recorded on the object being reconciled, which the framework puts in
 * the logging context; and every condition that turns False with a new reason ({@link
 * #conditionsChanged}). An event that repeats the last one on the same object (a steady failure
 * seen again at every poll) is not recorded again.
 */
@ApplicationScoped
public class EventRecorder {

  private static final Logger LOG = Logger.getLogger(EventRecorder.class);
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";

  /** The keys the operator framework puts in the logging context during a reconcile. */
  static final String MDC_KIND = "resource.kind";

  static final String MDC_NAMESPACE = "resource.namespace";
  static final String MDC_NAME = "resource.name";
  static final String MDC_API_VERSION = "resource.apiVersion";
  static final String MDC_UID = "resource.uid";

  @Inject KubernetesClient client;
  @Inject Clock clock;

  /** The last event recorded per object (by namespace, kind and name). */
  private final Map<String, String> last = new ConcurrentHashMap<>();

  void listen(@Observes StartupEvent started) {
    ExternalChanges.listen(this::onCurrentObject);
  }

  public void normal(HasMetadata object, String reason, String message) {
    record(reference(object), NORMAL, reason, message, true);
  }

  public void warning(HasMetadata object, String reason, String message) {
    record(reference(object), WARNING, reason, message, true);
  }

  /**
   * A Warning for every condition of {@code after} that is False with a reason (or message) it did
   * not have in {@code before}; a Normal {@code Ready} when the object turns Ready after it was
   * not. Ready itself warns only when no other condition explains it (a failed reconcile).
   */
  public void conditionsChanged(HasMetadata object, HomelabStatus before, HomelabStatus after) {
    List<Condition> previous =
        before == null || before.getConditions() == null ? List.of() : before.getConditions();
    List<Condition> next = after.getConditions() == null ? List.of() : after.getConditions();
    boolean warned = false;
    Condition ready = null;
    for (Condition condition : next) {
      if (ConditionType.READY.equals(condition.getType())) {
        ready = condition;
        continue;
      }
      if (newlyFalse(condition, find(previous, condition.getType()))) {
        warning(object, condition.getReason(), condition.getType() + ": " + condition.getMessage());
        warned = true;
      }
    }
    if (ready == null) {
      return;
    }
    Condition readyBefore = find(previous, ConditionType.READY);
    if (!warned && newlyFalse(ready, readyBefore)) {
      warning(object, ready.getReason(), ready.getMessage());
    } else if ("True".equals(ready.getStatus())
        && readyBefore != null
        && !"True".equals(readyBefore.getStatus())) {
      normal(object, ConditionType.READY, ready.getMessage());
    }
  }

  /** The object is gone: nothing to compare its next event with. */
  public void forget(HasMetadata object) {
    last.remove(key(reference(object)));
  }

  private static boolean newlyFalse(Condition now, Condition before) {
    return "False".equals(now.getStatus())
        && (before == null
            || !"False".equals(before.getStatus())
            || !Objects.equals(before.getReason(), now.getReason()));
  }

  private static Condition find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  /** An external change, recorded on the object whose reconcile made it. */
  void onCurrentObject(String reason, String message) {
    Object kind = MDC.get(MDC_KIND);
    Object name = MDC.get(MDC_NAME);
    Object namespace = MDC.get(MDC_NAMESPACE);
    if (kind == null || name == null || namespace == null) {
      return; // not during a reconcile: the log line is all there is
    }
    ObjectReference reference =
        new ObjectReferenceBuilder()
            .withApiVersion(Objects.toString(MDC.get(MDC_API_VERSION), null))
            .withKind(kind.toString())
            .withName(name.toString())
            .withNamespace(namespace.toString())
            .withUid(Objects.toString(MDC.get(MDC_UID), null))
            .build();
    // ExternalChanges logged the change already.
    record(reference, NORMAL, reason, message, false);
  }

  private static ObjectReference reference(HasMetadata object) {
    return new ObjectReferenceBuilder()
        .withApiVersion(object.getApiVersion())
        .withKind(object.getKind())
        .withName(object.getMetadata().getName())
        .withNamespace(object.getMetadata().getNamespace())
        .withUid(object.getMetadata().getUid())
        .build();
  }

  private static String key(ObjectReference object) {
    return object.getNamespace() + "/" + object.getKind() + "/" + object.getName();
  }

  private void record(
      ObjectReference object, String type, String reason, String message, boolean log) {
    String fingerprint = type + "\n" + reason + "\n" + message;
    if (fingerprint.equals(last.put(key(object), fingerprint))) {
      return;
    }
    String namespace = object.getNamespace();
    String who = object.getKind() + " " + namespace + "/" + object.getName();
    if (log) {
      withObject(
          object,
          () -> {
            if (WARNING.equals(type)) {
              LOG.warnf("%s: %s: %s", who, reason, message);
            } else {
              LOG.infof("%s: %s: %s", who, reason, message);
            }
          });
    }
    String now =
        DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(object.getName() + "." + UUID.randomUUID())
                  .withNamespace(namespace)
                  .endMetadata()
                  .withInvolvedObject(object)
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent("homelab-operator")
                  .endSource()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      // An event is information; failing to record one must not fail the reconcile.
      LOG.debugf("Could not record event %s on %s: %s", reason, who, e.getMessage());
    }
  }

  /**
   * Runs {@code logging} with the object's kind, namespace and name in the logging context, as the
   * framework has them during a reconcile, and puts back what was there.
   */
  private static void withObject(ObjectReference object, Runnable logging) {
    Map<String, String> values =
        Map.of(
            MDC_KIND, object.getKind(),
            MDC_NAMESPACE, object.getNamespace(),
            MDC_NAME, object.getName());
    Map<String, Object> saved = new java.util.HashMap<>();
    values.forEach((k, v) -> saved.put(k, MDC.get(k)));
    values.forEach(MDC::put);
    try {
      logging.run();
    } finally {
      saved.forEach(
          (k, v) -> {
            if (v == null) {
              MDC.remove(k);
            } else {
              MDC.put(k, v);
            }
          });
    }
  }
}
