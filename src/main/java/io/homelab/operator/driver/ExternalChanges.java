package io.homelab.operator.driver;

import org.jboss.logging.Logger;

/**
 * Where the drivers report every change they make to an external system (a proxy host created, the
 * Caddy routes written, DNS records changed, a WireGuard config applied): each change is logged
 * once, at info, and handed to the listener, which records it as a Kubernetes Event on the object
 * being reconciled. Drivers know nothing of Kubernetes objects; the listener finds the object in
 * the logging context the reconcile runs under.
 */
public final class ExternalChanges {

  /** Receives every change. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param reason a CamelCase event reason ({@code ProxyHostCreated})
     * @param message what changed, with no credential
     */
    void changed(String reason, String message);
  }

  private static final Logger LOG = Logger.getLogger(ExternalChanges.class);
  private static volatile Listener listener = (reason, message) -> {};

  private ExternalChanges() {}

  /** Makes {@code next} the one listener (the operator's event recorder, at startup). */
  public static void listen(Listener next) {
    listener = next;
  }

  /** Reports one change: logged at info, then handed to the listener. */
  public static void changed(String reason, String message) {
    LOG.info(message);
    listener.changed(reason, message);
  }
}
