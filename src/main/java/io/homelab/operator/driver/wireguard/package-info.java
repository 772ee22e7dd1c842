/** WireGuard on the VPS and at home: keys, interface configuration, peers and their handshakes. */
package io.homelab.operator.driver.wireguard;
