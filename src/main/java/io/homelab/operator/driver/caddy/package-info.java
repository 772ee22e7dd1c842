/**
 * Caddy's admin API on the VPS, reached through the Edge's SSH port forward: the operator's server
 * and routes.
 */
package io.homelab.operator.driver.caddy;
