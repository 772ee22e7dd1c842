package io.homelab.operator.driver.probe;

import java.time.Duration;

/**
 * What one probe request found.
 *
 * @param outcome how far the request got
 * @param status the HTTP status code, when the Edge answered; 0 otherwise
 * @param duration from the start of the connection to the status line, or to the failure
 * @param detail why it failed (the TLS or socket error), without any secret; empty on an answer
 */
public record ProbeResult(Outcome outcome, int status, Duration duration, String detail) {

  /** How far a probe request got. */
  public enum Outcome {
    /** An HTTP status line came back. */
    ANSWERED,
    /** Connecting, the TLS handshake or the answer took longer than the timeout. */
    TIMEOUT,
    /** The TLS handshake failed: an untrusted certificate, one for another name, no certificate. */
    TLS_FAILED,
    /** The connection was refused or reset, or what came back was not HTTP. */
    CONNECTION_FAILED
  }

  public static ProbeResult answered(int status, Duration duration) {
    return new ProbeResult(Outcome.ANSWERED, status, duration, "");
  }

  public static ProbeResult failed(Outcome outcome, Duration duration, String detail) {
    return new ProbeResult(outcome, 0, duration, detail);
  }
}
