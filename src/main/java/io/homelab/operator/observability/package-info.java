/**
 * What the operator tells about itself beyond status: gauges of its objects for {@code /q/metrics}
 * and the health checks of {@code /q/health}.
 */
package io.homelab.operator.observability;
