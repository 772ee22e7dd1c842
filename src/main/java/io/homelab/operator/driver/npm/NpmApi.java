package io.homelab.operator.driver.npm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homelab.operator.driver.JsonHttp;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The thin transport to one NPM: one method per call of its REST API, under the API base a Tunnel
 * names ({@code http://npm.home:81/api}). Statuses become exceptions here: 5xx and no reply {@link
 * NpmException.Unavailable}, a refused token {@link TokenRefused} (NPM answers 403 without a valid
 * token and 400 {@code Token has expired}, never 401), any other 4xx {@link NpmException.Rejected}.
 */
final class NpmApi {

  /** A token and when it expires. */
  record Token(String token, Instant expires) {}

  /** NPM refused the token: 403, or 400 {@code Token has expired}. */
  static final class TokenRefused extends RuntimeException {
    TokenRefused(String message) {
      super(message, null, false, false);
    }
  }

  private static final TypeReference<List<ProxyHost>> PROXY_HOSTS = new TypeReference<>() {};
  private static final TypeReference<List<OtherHost>> OTHER_HOSTS = new TypeReference<>() {};

  private final JsonHttp http;

  NpmApi(JsonHttp http) {
    this.http = http;
  }

  /** {@code POST /api/tokens {identity, secret}}: a token, unless the account has 2FA on. */
  Token requestToken(NpmCredentials credentials) {
    JsonNode body;
    try {
      body =
          call(
              "POST",
              "/tokens",
              null,
              Map.of("identity", credentials.identity(), "secret", credentials.secret()));
    } catch (NpmException.Rejected e) {
      if (e.status() == 400 || e.status() == 401) {
        throw new NpmException.LoginRefused(credentials.identity(), e.reply());
      }
      throw e;
    }
    if (body.path("requires_2fa").asBoolean(false)) {
      throw new NpmException.TwoFactorRequired(credentials.identity());
    }
    return token(body);
  }

  /** {@code GET /api/tokens}: a fresh token for one still valid. */
  Token refreshToken(String token) {
    return token(call("GET", "/tokens", token, null));
  }

  /** {@code GET /api/nginx/proxy-hosts}. */
  List<ProxyHost> listProxyHosts(String token) {
    return JsonHttp.JSON.convertValue(call("GET", "/nginx/proxy-hosts", token, null), PROXY_HOSTS);
  }

  /** {@code GET /api/nginx/proxy-hosts/{hostID}}. */
  ProxyHost getProxyHost(String token, int id) {
    return proxyHost(call("GET", "/nginx/proxy-hosts/" + id, token, null));
  }

  /** {@code POST /api/nginx/proxy-hosts}. */
  ProxyHost createProxyHost(String token, ObjectNode host) {
    return proxyHost(call("POST", "/nginx/proxy-hosts", token, host));
  }

  /** {@code PUT /api/nginx/proxy-hosts/{hostID}}: the fields sent replace theirs, meta whole. */
  ProxyHost updateProxyHost(String token, int id, ObjectNode fields) {
    return proxyHost(call("PUT", "/nginx/proxy-hosts/" + id, token, fields));
  }

  /** {@code DELETE /api/nginx/proxy-hosts/{hostID}}. */
  void deleteProxyHost(String token, int id) {
    call("DELETE", "/nginx/proxy-hosts/" + id, token, null);
  }

  /** {@code POST /api/nginx/proxy-hosts/{hostID}/enable}. */
  void enableProxyHost(String token, int id) {
    call("POST", "/nginx/proxy-hosts/" + id + "/enable", token, null);
  }

  /** {@code POST /api/nginx/proxy-hosts/{hostID}/disable}. */
  void disableProxyHost(String token, int id) {
    call("POST", "/nginx/proxy-hosts/" + id + "/disable", token, null);
  }

  /** {@code GET /api/nginx/redirection-hosts}. */
  List<OtherHost> listRedirectionHosts(String token) {
    return JsonHttp.JSON.convertValue(
        call("GET", "/nginx/redirection-hosts", token, null), OTHER_HOSTS);
  }

  /** {@code GET /api/nginx/dead-hosts}. */
  List<OtherHost> listDeadHosts(String token) {
    return JsonHttp.JSON.convertValue(call("GET", "/nginx/dead-hosts", token, null), OTHER_HOSTS);
  }

  private Token token(JsonNode body) {
    if (!body.path("token").isTextual() || !body.path("expires").isTextual()) {
      throw notNpm("/tokens with no token");
    }
    try {
      return new Token(body.get("token").asText(), Instant.parse(body.get("expires").asText()));
    } catch (java.time.format.DateTimeParseException e) {
      throw notNpm("/tokens with no expiry time");
    }
  }

  private NpmException.NotNpm notNpm(String what) {
    return new NpmException.NotNpm(
        http.base()
            + " answered "
            + what
            + ": it is not the API of Nginx Proxy Manager (proxyManager.url is NPM's admin"
            + " port, 81 by default, with the path /api)");
  }

  private static ProxyHost proxyHost(JsonNode body) {
    return JsonHttp.JSON.convertValue(body, ProxyHost.class);
  }

  private JsonNode call(String method, String path, String token, Object body) {
    JsonHttp.Reply reply;
    try {
      reply =
          http.send(
              method,
              path,
              token == null ? Map.of() : Map.of("Authorization", "Bearer " + token),
              body);
    } catch (IOException e) {
      throw new NpmException.Unavailable(
          "NPM at " + http.base() + " did not answer " + method + " " + path + ": " + e, e);
    }
    if (reply.status() == 404 && !reply.body().isObject()) {
      throw notNpm(method + " " + path + " with 404 and no JSON");
    }
    if (reply.ok()) {
      return reply.body();
    }
    String message = reply.body().path("error").path("message").asText("");
    if (reply.status() >= 500 || reply.status() == 429) {
      throw new NpmException.Unavailable(
          "NPM answered " + reply.status() + " to " + method + " " + path + " " + message, null);
    }
    if (token != null
        && (reply.status() == 403
            || (reply.status() == 400 && message.equalsIgnoreCase("Token has expired")))) {
      throw new TokenRefused(message);
    }
    throw new NpmException.Rejected(reply.status(), message);
  }
}
