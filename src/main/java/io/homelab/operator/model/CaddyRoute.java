package io.homelab.operator.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homelab.operator.api.route.RouteAccess;
import io.homelab.operator.api.route.RouteSpec;
import io.homelab.operator.api.route.RouteTls;
import java.util.List;

/**
 * The Caddy route of one Route: a host matcher, then in order the access checks (client networks,
 * basic auth), the HSTS header when asked, and a reverse proxy to the Tunnel's upstream through the
 * tunnel. Caddy keeps the client's Host and sets X-Forwarded-For and X-Forwarded-Proto itself, so
 * the application sees the client's address. Pure: the same Route always renders the same JSON,
 * which is what lets an unchanged set of routes cost no write.
 */
public final class CaddyRoute {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CaddyRoute() {}

  /**
   * A basic-auth account as Caddy takes it: the user and the base64 of the password's bcrypt hash.
   */
  public record Account(String username, String hashedPasswordBase64) {}

  /**
   * Renders the route.
   *
   * @param id the route's {@code @id} (from its owner marker)
   * @param upstream {@code host:port} Caddy dials through the tunnel (NPM at home)
   * @param account the basic-auth account, or null when the Route asks for none
   */
  public static ObjectNode render(String id, RouteSpec spec, String upstream, Account account) {
    ObjectNode route = JSON.createObjectNode();
    route.put("@id", id);
    route.putArray("match").addObject().putArray("host").add(spec.getHostname());
    ArrayNode steps =
        route.putArray("handle").addObject().put("handler", "subroute").putArray("routes");
    RouteAccess access = spec.getAccess();
    if (access != null && access.getAllowedCidrs() != null && !access.getAllowedCidrs().isEmpty()) {
      ObjectNode refuse = steps.addObject();
      ArrayNode ranges =
          refuse
              .putArray("match")
              .addObject()
              .putArray("not")
              .addObject()
              .putObject("remote_ip")
              .putArray("ranges");
      access.getAllowedCidrs().forEach(ranges::add);
      refuse
          .putArray("handle")
          .addObject()
          .put("handler", "static_response")
          .put("status_code", 403)
          .put("body", "Forbidden");
      refuse.put("terminal", true);
    }
    if (account != null) {
      ObjectNode accountNode =
          steps
              .addObject()
              .putArray("handle")
              .addObject()
              .put("handler", "authentication")
              .putObject("providers")
              .putObject("http_basic")
              .putArray("accounts")
              .addObject();
      accountNode.put("username", account.username());
      accountNode.put("password", account.hashedPasswordBase64());
    }
    RouteTls tls = spec.getTls();
    if (tls != null && Boolean.TRUE.equals(tls.getHsts())) {
      String value =
          "max-age="
              + (tls.getHstsMaxAgeSeconds() == null ? 31536000 : tls.getHstsMaxAgeSeconds())
              + (Boolean.TRUE.equals(tls.getHstsIncludeSubdomains()) ? "; includeSubDomains" : "");
      steps
          .addObject()
          .putArray("handle")
          .addObject()
          .put("handler", "headers")
          .putObject("response")
          .putObject("set")
          .putArray("Strict-Transport-Security")
          .add(value);
    }
    steps
        .addObject()
        .putArray("handle")
        .addObject()
        .put("handler", "reverse_proxy")
        .putArray("upstreams")
        .addObject()
        .put("dial", upstream);
    route.put("terminal", true);
    return route;
  }

  /** The TLS automation policy for an Edge's host names, with its issuer. */
  public static ObjectNode tlsPolicy(
      List<String> hostnames, boolean internal, String acmeEmail, String acmeCaUrl) {
    ObjectNode policy = JSON.createObjectNode();
    ArrayNode subjects = policy.putArray("subjects");
    // Caddy refuses a name twice (500: one automation policy per host), so each goes in once.
    hostnames.stream().distinct().sorted().forEach(subjects::add);
    ObjectNode issuer = policy.putArray("issuers").addObject();
    if (internal) {
      issuer.put("module", "internal");
    } else {
      issuer.put("module", "acme");
      if (acmeEmail != null) {
        issuer.put("email", acmeEmail);
      }
      if (acmeCaUrl != null) {
        issuer.put("ca", acmeCaUrl);
      }
    }
    return policy;
  }
}
