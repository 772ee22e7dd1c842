package io.homelab.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/** The annotations and finalizers the operator reads or writes on objects. */
public final class Annotations {

  private Annotations() {}

  /** {@code "true"}: no external writes for this object until the annotation goes. */
  public static final String PAUSED = "homelab.io/paused";

  /** {@code "true"}: a deletion finishes at once, without external calls. */
  public static final String FORCE_DELETE = "homelab.io/force-delete";

  /**
   * Any new value asks for a new home key pair of a Tunnel (Secret mode with a generated key); the
   * value is recorded in status.rotation once done.
   */
  public static final String ROTATE_KEYS = "homelab.io/rotate-keys";

  /** Finalizer on a Secret that an object's cleanup will need. */
  public static final String IN_USE_FINALIZER = "homelab.io/in-use";

  public static boolean isTrue(HasMetadata object, String annotation) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations != null && "true".equalsIgnoreCase(annotations.get(annotation));
  }
}
