/**
 * Drivers: one package per external system, each a small domain interface over a thin transport (a
 * REST client or an SSH session). Reconcilers reach external systems only through them.
 */
package io.homelab.operator.driver;
