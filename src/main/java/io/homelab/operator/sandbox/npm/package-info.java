/** A stateful Nginx Proxy Manager API simulator. */
package io.homelab.operator.sandbox.npm;
