/** One reconciler per kind; each coordinates references, drivers, plans and status. */
package io.homelab.operator.reconciler;
