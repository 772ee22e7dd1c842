package io.homelab.operator.driver.npm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * A proxy host as NPM returns it ({@code GET /api/nginx/proxy-hosts}), with the fields the operator
 * reads. {@code meta} holds NPM's own keys ({@code nginx_online}, {@code nginx_err}) and the owner
 * marker under {@link #OWNER_KEY}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ProxyHost(
    int id,
    List<String> domainNames,
    String forwardScheme,
    String forwardHost,
    int forwardPort,
    boolean allowWebsocketUpgrade,
    boolean blockExploits,
    boolean trustForwardedProto,
    boolean sslForced,
    boolean enabled,
    Map<String, Object> meta) {

  /** The key of the owner marker in {@code meta}. */
  public static final String OWNER_KEY = "homelab_owner";

  public ProxyHost {
    domainNames = domainNames == null ? List.of() : List.copyOf(domainNames);
    meta =
        meta == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(meta));
  }

  /** The owner marker's text, or null when the host carries none. */
  public String owner() {
    Object owner = meta.get(OWNER_KEY);
    return owner instanceof String text ? text : null;
  }

  /** Whether nginx took the host's config; NPM says so in {@code meta.nginx_online}. */
  public boolean online() {
    return !Boolean.FALSE.equals(meta.get("nginx_online"));
  }

  /** NPM's message when nginx rejected the config ({@code meta.nginx_err}), else null. */
  public String nginxError() {
    Object error = meta.get("nginx_err");
    return error == null ? null : error.toString();
  }

  /** Whether the host serves {@code domain} (NPM compares domains without case). */
  public boolean serves(String domain) {
    return domainNames.stream().anyMatch(d -> d.equalsIgnoreCase(domain));
  }
}
