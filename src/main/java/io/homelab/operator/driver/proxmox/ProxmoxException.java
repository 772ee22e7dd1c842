package io.homelab.operator.driver.proxmox;

/**
 * A Proxmox VE call that did not succeed: the HTTP status (0 when no answer came) and Proxmox's
 * message. Transient ones (no answer, 5xx, 429) are worth retrying later; the rest are not.
 */
public class ProxmoxException extends RuntimeException {

  private final int status;

  public ProxmoxException(int status, String message) {
    super(message);
    this.status = status;
  }

  public ProxmoxException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
  }

  /** The HTTP status, or 0 when Proxmox did not answer. */
  public int status() {
    return status;
  }

  /** Proxmox answers 500 with "does not exist" for a guest that is not there. */
  public boolean notFound() {
    return status == 500 && getMessage() != null && getMessage().contains("does not exist");
  }

  /** Another clone or task holds the guest's lock; trying again later is the answer. */
  public boolean locked() {
    return getMessage() != null
        && (getMessage().contains("can't lock file") || getMessage().contains("is locked"));
  }

  /**
   * The server's certificate failed the check the connection Secret asks for (the pinned
   * fingerprint, or the caBundle): the TLS handshake stopped, so nothing was sent, the token
   * neither.
   */
  public boolean untrusted() {
    return tlsFailure() != null;
  }

  /** What the TLS check found wrong, innermost first; null when TLS did not fail. */
  public String tlsProblem() {
    Throwable failure = tlsFailure();
    if (failure == null) {
      return null;
    }
    Throwable inner = failure;
    while (inner.getCause() != null) {
      inner = inner.getCause();
    }
    return inner.getMessage() == null ? failure.getMessage() : inner.getMessage();
  }

  private Throwable tlsFailure() {
    for (Throwable t = getCause(); t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLHandshakeException
          || t instanceof java.security.cert.CertificateException) {
        return t;
      }
    }
    return null;
  }

  public boolean isTransient() {
    return status == 0 || status == 429 || (status >= 500 && !notFound());
  }
}
