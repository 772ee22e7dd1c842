package io.homelab.operator.driver.npm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homelab.operator.driver.ExternalCalls;
import io.homelab.operator.driver.ExternalChanges;
import io.homelab.operator.driver.JsonHttp;
import io.homelab.operator.model.OwnerMarker;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link NpmDriver} over NPM's REST API. The token is taken with the credentials and renewed before
 * it expires (when nine tenths of its life are gone, read from its {@code expires}), and once more
 * whenever NPM refuses it, so a token that expired early or was revoked costs one extra login.
 */
public final class HttpNpmDriver implements NpmDriver {

  private final NpmApi api;
  private final NpmCredentials credentials;
  private final Clock clock;
  private NpmApi.Token token;
  private Instant renewAt = Instant.MIN;

  /** A driver for the NPM whose API base is {@code apiUrl}, e.g. {@code http://npm.home:81/api}. */
  public HttpNpmDriver(URI apiUrl, NpmCredentials credentials, Clock clock, Duration timeout) {
    this.api = new NpmApi(new JsonHttp(apiUrl, timeout, ExternalCalls.NPM));
    this.credentials = credentials;
    this.clock = clock;
  }

  @Override
  public NpmInventory inventory() {
    return new NpmInventory(
        authed(api::listProxyHosts), authed(api::listRedirectionHosts), authed(api::listDeadHosts));
  }

  @Override
  public ProxyHost proxyHost(int id) {
    return authed(t -> api.getProxyHost(t, id));
  }

  @Override
  public ProxyHost ensure(NpmInventory observed, ProxyHostSpec spec, OwnerMarker owner) {
    String marker = owner.text();
    Optional<ProxyHost> ours = observed.owned(spec.domain(), marker);
    Optional<String> foreign = observed.foreignHolder(spec.domain(), marker);
    if (foreign.isPresent()) {
      throw new NpmException.Conflict(spec.domain(), foreign.get());
    }
    if (ours.isEmpty()) {
      return create(spec, owner);
    }
    ProxyHost host = ours.get();
    if (!spec.matches(host)) {
      ObjectNode fields = fields(spec, host.meta(), marker);
      host = authed(t -> api.updateProxyHost(t, ours.get().id(), fields));
      ExternalChanges.changed(
          "ProxyHostUpdated",
          String.format(
              "NPM: updated proxy host %d for %s (%s)", host.id(), spec.domain(), who(owner)));
    }
    if (!host.enabled()) {
      int id = host.id();
      authed(t -> run(() -> api.enableProxyHost(t, id)));
      ExternalChanges.changed(
          "ProxyHostEnabled",
          String.format("NPM: enabled proxy host %d for %s (%s)", id, spec.domain(), who(owner)));
      host = authed(t -> api.getProxyHost(t, id));
    }
    return host;
  }

  @Override
  public Optional<ProxyHost> disable(NpmInventory observed, String domain, OwnerMarker owner) {
    Optional<ProxyHost> ours = observed.owned(domain, owner.text());
    if (ours.isEmpty() || !ours.get().enabled()) {
      return ours;
    }
    int id = ours.get().id();
    authed(t -> run(() -> api.disableProxyHost(t, id)));
    ExternalChanges.changed(
        "ProxyHostDisabled",
        String.format("NPM: disabled proxy host %d for %s (%s)", id, domain, who(owner)));
    return Optional.of(authed(t -> api.getProxyHost(t, id)));
  }

  @Override
  public boolean delete(NpmInventory observed, String domain, OwnerMarker owner) {
    Optional<ProxyHost> ours = observed.owned(domain, owner.text());
    if (ours.isEmpty()) {
      return false;
    }
    int id = ours.get().id();
    try {
      authed(t -> run(() -> api.deleteProxyHost(t, id)));
    } catch (NpmException.Rejected e) {
      if (e.status() != 404) {
        throw e;
      }
      return false; // gone already: that is what was asked
    }
    ExternalChanges.changed(
        "ProxyHostDeleted",
        String.format("NPM: deleted proxy host %d for %s (%s)", id, domain, who(owner)));
    return true;
  }

  private ProxyHost create(ProxyHostSpec spec, OwnerMarker owner) {
    ObjectNode fields = fields(spec, Map.of(), owner.text());
    try {
      ProxyHost host = authed(t -> api.createProxyHost(t, fields));
      ExternalChanges.changed(
          "ProxyHostCreated",
          String.format(
              "NPM: created proxy host %d for %s (%s)", host.id(), spec.domain(), who(owner)));
      return host;
    } catch (NpmException.Unavailable e) {
      // NPM can save the row and still answer 500 (or the reply can be lost): look before a retry
      // would create a second host for the domain.
      Optional<ProxyHost> saved =
          new NpmInventory(authed(api::listProxyHosts), java.util.List.of(), java.util.List.of())
              .owned(spec.domain(), owner.text());
      if (saved.isEmpty()) {
        throw e;
      }
      ExternalChanges.changed(
          "ProxyHostCreated",
          String.format(
              "NPM: created proxy host %d for %s (%s), found after a failed reply",
              saved.get().id(), spec.domain(), who(owner)));
      return saved.get();
    }
  }

  /** The writable fields of a host for {@code spec}, with {@code meta} merged, never replaced. */
  private static ObjectNode fields(ProxyHostSpec spec, Map<String, Object> meta, String marker) {
    Map<String, Object> merged = new LinkedHashMap<>(meta);
    merged.put(ProxyHost.OWNER_KEY, marker);
    ObjectNode fields = JsonHttp.JSON.createObjectNode();
    fields.putArray("domain_names").add(spec.domain());
    fields
        .put("forward_scheme", spec.forwardScheme())
        .put("forward_host", spec.forwardHost())
        .put("forward_port", spec.forwardPort())
        .put("allow_websocket_upgrade", spec.allowWebsocketUpgrade())
        .put("block_exploits", spec.blockExploits())
        // TLS ends at Caddy: keep its X-Forwarded-Proto, and never force SSL (a redirect loop).
        .put("trust_forwarded_proto", true)
        .put("ssl_forced", false);
    fields.set("meta", JsonHttp.JSON.valueToTree(merged));
    return fields;
  }

  /**
   * Runs a call with a valid token; when NPM refuses the token, logs in again and retries once.
   * Calls run side by side; only the token is shared under the lock.
   */
  private <T> T authed(Function<String, T> call) {
    String current = token();
    try {
      return call.apply(current);
    } catch (NpmApi.TokenRefused e) {
      return call.apply(renew(current));
    }
  }

  /** A new token in place of {@code refused}, unless another call renewed it already. */
  private synchronized String renew(String refused) {
    if (token != null && token.token().equals(refused)) {
      token = null;
    }
    return token();
  }

  private synchronized String token() {
    Instant now = clock.instant();
    if (token != null && now.isBefore(renewAt)) {
      return token.token();
    }
    NpmApi.Token fresh = null;
    if (token != null && now.isBefore(token.expires())) {
      try {
        fresh = api.refreshToken(token.token());
      } catch (NpmApi.TokenRefused e) {
        fresh = null;
      }
    }
    token = fresh != null ? fresh : api.requestToken(credentials);
    Duration life = Duration.between(now, token.expires());
    renewAt = token.expires().minus(life.dividedBy(10));
    return token.token();
  }

  private static Void run(Runnable call) {
    call.run();
    return null;
  }

  private static String who(OwnerMarker owner) {
    return owner.namespace() + "/" + owner.name();
  }
}
