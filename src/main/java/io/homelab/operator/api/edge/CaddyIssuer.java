package io.homelab.operator.api.edge;

/** Where Caddy gets the Edge's certificates. */
public enum CaddyIssuer {
  /** An ACME CA (Let's Encrypt by default, or the one named by acmeCaUrl). */
  Acme,
  /** Caddy's own local CA: for tests and closed networks, trusted by nobody else. */
  Internal
}
