/** Conditions and status writing, in one place for every kind. */
package io.homelab.operator.status;
