package io.homelab.operator.reconciler;

import io.fabric8.kubernetes.client.CustomResource;
import io.homelab.operator.api.HomelabStatus;
import io.homelab.operator.observability.ObjectMetrics;
import io.homelab.operator.status.StatusWriter;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The end of every reconcile: what the new status says goes to the object's gauges and, where a
 * condition turned False with a new reason, into an Event; then the status is written if it changed
 * ({@link StatusWriter#patchIfChanged}).
 */
@ApplicationScoped
public class Reporting {

  @Inject EventRecorder events;
  @Inject ObjectMetrics metrics;

  public <S extends HomelabStatus, R extends CustomResource<?, S>> UpdateControl<R> patchIfChanged(
      R resource, S status) {
    events.conditionsChanged(resource, resource.getStatus(), status);
    metrics.observe(resource, status);
    return StatusWriter.patchIfChanged(resource, status);
  }
}
