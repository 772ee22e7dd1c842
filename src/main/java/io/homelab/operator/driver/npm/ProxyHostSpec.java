package io.homelab.operator.driver.npm;

import java.util.Objects;

/**
 * What one Route wants of its NPM proxy host. TLS ends at Caddy, so the host always trusts the
 * forwarded protocol and never forces SSL (forcing it at NPM makes a redirect loop).
 */
public record ProxyHostSpec(
    String domain,
    String forwardScheme,
    String forwardHost,
    int forwardPort,
    boolean allowWebsocketUpgrade,
    boolean blockExploits) {

  public ProxyHostSpec {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(forwardScheme, "forwardScheme");
    Objects.requireNonNull(forwardHost, "forwardHost");
  }

  /** Whether {@code host} already forwards and behaves as this spec asks. */
  public boolean matches(ProxyHost host) {
    return host.domainNames().size() == 1
        && host.serves(domain)
        && forwardScheme.equals(host.forwardScheme())
        && forwardHost.equals(host.forwardHost())
        && forwardPort == host.forwardPort()
        && allowWebsocketUpgrade == host.allowWebsocketUpgrade()
        && blockExploits == host.blockExploits()
        && host.trustForwardedProto()
        && !host.sslForced();
  }
}
