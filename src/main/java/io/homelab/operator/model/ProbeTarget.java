package io.homelab.operator.model;

import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.route.RouteProbe;
import java.util.List;

/**
 * Where and how a Route's end-to-end probe asks: {@code GET https://<hostname><path>} sent to the
 * address the Route's DNS record points at (its Edge's public address), on the port the Edge's
 * Caddy serves HTTPS on, with SNI and Host set to the host name and the certificate checked against
 * it.
 *
 * @param hostname the Route's host name
 * @param address the Edge's public IPv4 address (IPv6 when it has none)
 * @param port 443, or the HTTPS port the Edge's {@code caddy.listen} names
 * @param path what is requested, starting with '/'
 * @param expected the status codes that count as success
 */
public record ProbeTarget(
    String hostname, String address, int port, String path, ExpectedStatus expected) {

  public static final int HTTPS_PORT = 443;
  private static final int HTTP_PORT = 80;

  /**
   * A target, or the reason why the Route cannot be probed.
   *
   * @param target null when {@code problem} says why not
   */
  public record Plan(ProbeTarget target, String problem) {}

  /** Whether the Route asks to be probed (the operator-wide switch aside). */
  public static boolean wanted(Route route) {
    RouteProbe probe = route.getSpec().getProbe();
    return probe == null || !Boolean.FALSE.equals(probe.getEnabled());
  }

  /**
   * The target of a Route served by {@code edge}.
   *
   * @param defaults the operator's expected status codes, for a Route without basic auth that names
   *     none
   */
  public static Plan of(Route route, Edge edge, List<String> defaults) {
    RouteProbe probe = route.getSpec().getProbe();
    String path = probe == null || probe.getPath() == null ? "/" : probe.getPath();
    List<String> expected;
    if (probe != null
        && probe.getExpectedStatus() != null
        && !probe.getExpectedStatus().isEmpty()) {
      expected = probe.getExpectedStatus();
    } else if (route.getSpec().getAccess() != null
        && route.getSpec().getAccess().getBasicAuthSecretRef() != null) {
      // The probe has no password: the Edge asking for one is the sign the path works.
      expected = List.of("401");
    } else {
      expected = defaults;
    }
    ExpectedStatus statuses;
    try {
      statuses = ExpectedStatus.parse(expected);
    } catch (IllegalArgumentException e) {
      return new Plan(null, "spec.probe.expectedStatus: " + e.getMessage());
    }
    String address = null;
    if (edge.getSpec().getPublicAddress() != null) {
      address = edge.getSpec().getPublicAddress().getIpv4();
      if (address == null) {
        address = edge.getSpec().getPublicAddress().getIpv6();
      }
    }
    if (address == null) {
      return new Plan(null, "Edge " + edge.getMetadata().getName() + " has no public address");
    }
    return new Plan(
        new ProbeTarget(route.getSpec().getHostname(), address, httpsPort(edge), path, statuses),
        null);
  }

  /**
   * The port the Edge's Caddy serves HTTPS on: 443 when its listen addresses name it or none are
   * given; otherwise the first that is not port 80 (Caddy's HTTP port, which only redirects).
   */
  static int httpsPort(Edge edge) {
    List<String> listen =
        edge.getSpec().getCaddy() == null ? null : edge.getSpec().getCaddy().getListen();
    if (listen == null || listen.isEmpty()) {
      return HTTPS_PORT;
    }
    List<Integer> ports =
        listen.stream().map(l -> Integer.parseInt(l.substring(l.lastIndexOf(':') + 1))).toList();
    if (ports.contains(HTTPS_PORT)) {
      return HTTPS_PORT;
    }
    return ports.stream().filter(p -> p != HTTP_PORT).findFirst().orElse(HTTPS_PORT);
  }

  /** The URL as a browser would write it. */
  public String url() {
    return "https://" + hostname + (port == HTTPS_PORT ? "" : ":" + port) + path;
  }

  /** Where the request goes, for messages. */
  public String via() {
    return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
  }
}
