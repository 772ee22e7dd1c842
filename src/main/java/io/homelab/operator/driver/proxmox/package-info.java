/** Proxmox VE's REST API: guests, their configuration, power and tasks. */
package io.homelab.operator.driver.proxmox;
