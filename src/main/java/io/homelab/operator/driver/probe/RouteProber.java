package io.homelab.operator.driver.probe;

import io.homelab.operator.model.ProbeTarget;

/** Requests a Route's public URL the way a client on the internet does. */
public interface RouteProber {

  /**
   * {@code GET https://<hostname><path>} sent to {@code target.address():target.port()}, with SNI
   * and Host set to the host name and the certificate verified against it. Never throws: every
   * failure is a result.
   */
  ProbeResult probe(ProbeTarget target);
}
