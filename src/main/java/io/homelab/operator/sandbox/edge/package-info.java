/**
 * The sandbox's edge for users who are not root: an SSH server on loopback with simulated {@code
 * wg} and {@code ip}, and the real Caddy on loopback when it is installed.
 */
package io.homelab.operator.sandbox.edge;
