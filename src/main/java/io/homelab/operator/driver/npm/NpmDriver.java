package io.homelab.operator.driver.npm;

import io.homelab.operator.model.OwnerMarker;
import java.util.Optional;

/**
 * One Nginx Proxy Manager, as the Route reconciler needs it: list what it serves once, then make
 * one proxy host per Route match its spec. The owner marker lives in the host's {@code meta}; a
 * domain held by anything the operator does not own is a {@link NpmException.Conflict} and that
 * host is never touched.
 */
public interface NpmDriver {

  /** Every proxy, redirection and dead host (three list calls). */
  NpmInventory inventory();

  /** One proxy host by id, read back (for readiness: {@link ProxyHost#online()}). */
  ProxyHost proxyHost(int id);

  /**
   * Makes the Route's proxy host exist, enabled and as {@code spec} asks: nothing when it already
   * does, an update when it differs, a create when there is none. {@code observed} is this poll's
   * inventory. When NPM fails a create, the host may have been saved anyway: it is looked up by
   * domain and marker before the failure is reported.
   *
   * @throws NpmException.Conflict when a host not carrying {@code owner} holds the domain
   */
  ProxyHost ensure(NpmInventory observed, ProxyHostSpec spec, OwnerMarker owner);

  /** {@link #ensure(NpmInventory, ProxyHostSpec, OwnerMarker)} with a fresh inventory. */
  default ProxyHost ensure(ProxyHostSpec spec, OwnerMarker owner) {
    return ensure(inventory(), spec, owner);
  }

  /**
   * Disables the Route's proxy host (for {@code enabled: false}), keeping it; the host, or empty
   * when there is none.
   */
  Optional<ProxyHost> disable(NpmInventory observed, String domain, OwnerMarker owner);

  /** Deletes the Route's proxy host; true when one was deleted, false when there was none. */
  boolean delete(NpmInventory observed, String domain, OwnerMarker owner);
}
