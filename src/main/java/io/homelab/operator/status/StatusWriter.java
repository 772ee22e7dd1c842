package io.homelab.operator.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.CustomResource;
import io.homelab.operator.api.HomelabStatus;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * Writes an object's status only when it changed, and always whole: the new status replaces the old
 * one entirely, so a field the reconciler no longer sets disappears under merge patch and
 * server-side apply alike.
 */
public final class StatusWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How soon a reconcile that wrote status looks once more. */
  static final java.time.Duration FOLLOW_UP = java.time.Duration.ofSeconds(5);

  private StatusWriter() {}

  /** Whether two statuses differ in anything that would be serialised. */
  public static boolean differs(HomelabStatus before, HomelabStatus after) {
    return !JSON.valueToTree(before).equals(JSON.valueToTree(after));
  }

  /**
   * The update for a reconcile that computed {@code status}: a status patch when it differs from
   * the object's current one, no update otherwise.
   */
  public static <S extends HomelabStatus, R extends CustomResource<?, S>>
      UpdateControl<R> patchIfChanged(R resource, S status) {
    if (resource.getStatus() != null && !differs(resource.getStatus(), status)) {
      return UpdateControl.noUpdate();
    }
    resource.setStatus(status);
    // A spec change that reaches the server while this status is being written can be taken by
    // the framework for an echo of its own write and dropped; one more pass shortly after a write
    // makes sure the newest generation is always reconciled. It finds nothing to do otherwise.
    return UpdateControl.patchStatus(resource).rescheduleAfter(FOLLOW_UP);
  }
}
