package io.homelab.operator.reconciler.route;

import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Backend;
import io.homelab.operator.api.route.BackendScheme;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.driver.npm.NpmDriver;
import io.homelab.operator.driver.npm.NpmException;
import io.homelab.operator.driver.npm.NpmInventory;
import io.homelab.operator.driver.npm.ProxyHost;
import io.homelab.operator.driver.npm.ProxyHostSpec;
import io.homelab.operator.model.OwnerMarker;
import io.homelab.operator.model.Verdict;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.status.Reason;
import java.time.Duration;
import java.util.Optional;

/**
 * The NPM part of a Route's reconcile: its one proxy host, made to match the Route (created,
 * updated, enabled), disabled, or deleted; all against the NPM's shared inventory. The answer is
 * the ProxyHostReady verdict and the host's id.
 */
final class ProxyHostStep {

  /** The Tunnel's proxyManager.url answers, but not as NPM's API. */
  static final String NOT_NPM = "NpmNotFound";

  /** NPM refused the e-mail and password of the Tunnel's credentials Secret. */
  static final String LOGIN_FAILED = "NpmLoginFailed";

  /**
   * @param hostId the id of the Route's proxy host, or null when there is none (or NPM could not
   *     tell: see {@code answered})
   * @param failed whether the failure is transient (comes back with a backoff)
   * @param answered false when NPM could not be asked: what was known of the host still holds
   */
  record Outcome(Verdict verdict, Long hostId, boolean failed, boolean answered) {
    Outcome(Verdict verdict, Long hostId, boolean failed) {
      this(verdict, hostId, failed, true);
    }
  }

  private ProxyHostStep() {}

  /** What NPM should forward the Route's host name to. */
  static ProxyHostSpec spec(Route route, Guest guest) {
    Backend backend = route.getSpec().getBackend();
    String scheme = backend.getScheme() == BackendScheme.HTTPS ? "https" : "http";
    String host;
    int port;
    if (backend.getGuestRef() != null) {
      host = strip(guest.getStatus().getAddresses().get(0));
      port = backend.getPort();
    } else {
      String address = backend.getAddress();
      int colon = address.lastIndexOf(':');
      host = strip(address.substring(0, colon));
      port = Integer.parseInt(address.substring(colon + 1));
    }
    return new ProxyHostSpec(
        route.getSpec().getHostname(),
        scheme,
        host,
        port,
        Boolean.TRUE.equals(route.getSpec().getWebsockets()),
        !Boolean.FALSE.equals(route.getSpec().getBlockExploits()));
  }

  /** An address without brackets or a prefix length, as NPM's forward_host takes it. */
  private static String strip(String address) {
    String bare = address.startsWith("[") ? address.substring(1, address.length() - 1) : address;
    int slash = bare.indexOf('/');
    return slash < 0 ? bare : bare.substring(0, slash);
  }

  /** Makes the proxy host exist as the Route asks (only reads while writes are suspended). */
  static Outcome ensure(
      NpmInventories inventories,
      NpmDriver driver,
      Duration maxAge,
      ProxyHostSpec spec,
      OwnerMarker owner,
      boolean mayWrite) {
    return guarded(
        () ->
            inventories.with(
                driver,
                maxAge,
                spec.domain(),
                inventory -> {
                  if (!mayWrite) {
                    Optional<ProxyHost> ours = inventory.owned(spec.domain(), owner.text());
                    boolean current =
                        ours.isPresent() && spec.matches(ours.get()) && ours.get().enabled();
                    return new NpmInventories.Result<>(
                        inventory,
                        current
                            ? ready(ours.get())
                            : new Outcome(
                                Verdict.unknown(
                                    ConditionType.PROXY_HOST_READY,
                                    Reason.WRITES_SUSPENDED,
                                    "Writes are suspended; NPM would "
                                        + (ours.isPresent() ? "update" : "create")
                                        + " the proxy host for "
                                        + spec.domain()),
                                ours.map(h -> (long) h.id()).orElse(null),
                                false));
                  }
                  try {
                    ProxyHost host = driver.ensure(inventory, spec, owner);
                    return new NpmInventories.Result<>(inventory.with(host), ready(host));
                  } catch (NpmException.Conflict e) {
                    return new NpmInventories.Result<>(
                        inventory,
                        new Outcome(
                            Verdict.isFalse(
                                ConditionType.PROXY_HOST_READY,
                                Reason.CONFLICT,
                                e.getMessage() + "; it is left alone"),
                            null,
                            false));
                  }
                }));
  }

  /** Disables the proxy host, keeping it (for {@code enabled: false}). */
  static Outcome disable(
      NpmInventories inventories,
      NpmDriver driver,
      Duration maxAge,
      String domain,
      OwnerMarker owner,
      boolean mayWrite) {
    return guarded(
        () ->
            inventories.with(
                driver,
                maxAge,
                domain,
                inventory -> {
                  Optional<ProxyHost> ours = inventory.owned(domain, owner.text());
                  if (ours.isPresent() && ours.get().enabled() && !mayWrite) {
                    return new NpmInventories.Result<>(
                        inventory,
                        new Outcome(
                            Verdict.unknown(
                                ConditionType.PROXY_HOST_READY,
                                Reason.WRITES_SUSPENDED,
                                "Writes are suspended; NPM would disable proxy host "
                                    + ours.get().id()),
                            (long) ours.get().id(),
                            false));
                  }
                  Optional<ProxyHost> disabled = driver.disable(inventory, domain, owner);
                  NpmInventory after = disabled.map(inventory::with).orElse(inventory);
                  return new NpmInventories.Result<>(
                      after,
                      new Outcome(
                          Verdict.isFalse(
                              ConditionType.PROXY_HOST_READY,
                              Reason.DISABLED,
                              disabled
                                  .map(h -> "NPM proxy host " + h.id() + " is disabled")
                                  .orElse("The Route is disabled; it has no NPM proxy host")),
                          disabled.map(h -> (long) h.id()).orElse(null),
                          false));
                }));
  }

  /** Deletes the proxy host; true when one was deleted. */
  static boolean delete(
      NpmInventories inventories,
      NpmDriver driver,
      Duration maxAge,
      String domain,
      OwnerMarker owner) {
    return inventories.with(
        driver,
        maxAge,
        domain,
        inventory -> {
          Optional<ProxyHost> ours = inventory.owned(domain, owner.text());
          boolean deleted = driver.delete(inventory, domain, owner);
          return new NpmInventories.Result<>(
              ours.map(h -> inventory.without(h.id())).orElse(inventory), deleted);
        });
  }

  private static Outcome ready(ProxyHost host) {
    if (!host.online()) {
      return new Outcome(
          Verdict.isFalse(
              ConditionType.PROXY_HOST_READY,
              Reason.NGINX_ERROR,
              "NPM's nginx refused proxy host "
                  + host.id()
                  + (host.nginxError() == null ? "" : ": " + host.nginxError())),
          (long) host.id(),
          false);
    }
    return new Outcome(
        Verdict.isTrue(
            ConditionType.PROXY_HOST_READY,
            Reason.ONLINE,
            "NPM proxy host "
                + host.id()
                + " forwards to "
                + host.forwardScheme()
                + "://"
                + host.forwardHost()
                + ":"
                + host.forwardPort()),
        (long) host.id(),
        false);
  }

  /** NPM's failures as the verdict they give; what was known of the host still holds. */
  private static Outcome guarded(java.util.function.Supplier<Outcome> call) {
    try {
      return call.get();
    } catch (NpmException.TwoFactorRequired e) {
      return failure(
          Reason.TWO_FACTOR_REQUIRED,
          e.getMessage()
              + ": the operator cannot answer the challenge; give it an account without 2FA",
          false);
    } catch (NpmException.NotNpm e) {
      return failure(NOT_NPM, e.getMessage(), false);
    } catch (NpmException.LoginRefused e) {
      return failure(
          LOGIN_FAILED,
          e.getMessage() + " (check identity and secret in the Tunnel's credentials Secret)",
          false);
    } catch (NpmException.Unavailable e) {
      return failure(Reason.NPM_UNAVAILABLE, e.getMessage(), true);
    } catch (NpmException.Rejected e) {
      return failure(Reason.NPM_REJECTED, e.getMessage(), false);
    }
  }

  private static Outcome failure(String reason, String message, boolean transientFailure) {
    return new Outcome(
        Verdict.isFalse(ConditionType.PROXY_HOST_READY, reason, message),
        null,
        transientFailure,
        false);
  }
}
