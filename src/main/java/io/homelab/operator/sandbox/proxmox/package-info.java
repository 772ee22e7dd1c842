/** A stateful Proxmox VE API simulator with asynchronous tasks. */
package io.homelab.operator.sandbox.proxmox;
