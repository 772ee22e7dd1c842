package io.homelab.operator.driver.caddy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The part of Caddy's config the operator owns on one Edge: one HTTP server ({@code homelab}, or
 * routes marked by {@code @id} inside a server the user named), and one TLS automation policy for
 * its host names. Everything else in Caddy's config is left as it was found.
 */
public interface CaddyDriver extends AutoCloseable {

  /** What a write did. */
  enum Change {
    NONE,
    CREATED,
    UPDATED,
    REMOVED
  }

  /** The apps of Caddy's running config, read in one request, and its ETag. */
  record Apps(JsonNode apps, String etag) {
    public JsonNode servers() {
      return apps.path("http").path("servers");
    }

    public JsonNode server(String name) {
      JsonNode server = servers().get(name);
      return server == null || server.isNull() ? null : server;
    }

    public JsonNode tlsPolicies() {
      return apps.path("tls").path("automation").path("policies");
    }

    /** True when Caddy runs with no apps at all (for example restarted without its config). */
    public boolean empty() {
      return apps.isNull() || apps.isMissingNode() || apps.isEmpty();
    }
  }

  /** {@code GET /config/apps}: the one read per poll, shared by the Edge and its Routes. */
  Apps read();

  /**
   * Makes the operator's own server exist with these listeners.
   *
   * @throws ListenerConflictException when another server already listens on one of them
   */
  Change ensureServer(Apps observed, List<String> listen);

  /**
   * Replaces the operator's routes in {@code server} with {@code routes}, in one write, or none
   * when they are already what Caddy has. In a server the user named, everyone else's routes stay.
   */
  Change replaceRoutes(Apps observed, String server, List<? extends JsonNode> routes);

  /**
   * Makes the operator's TLS automation policy (identified by its {@code @id}) be {@code policy},
   * or removes it when {@code policy} is null.
   */
  Change ensureTlsPolicy(Apps observed, String id, JsonNode policy);

  /** Removes the operator's own server, or its routes from the server the user named. */
  Change remove(Apps observed, String server);

  @Override
  void close();
}
