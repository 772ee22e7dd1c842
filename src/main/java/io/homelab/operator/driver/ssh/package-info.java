/** SSH to the VPS and to home hosts: pinned host keys, commands with timeouts, port forwarding. */
package io.homelab.operator.driver.ssh;
