/**
 * The end-to-end probe of a Route: one HTTPS request to its public URL through the Edge, over a
 * plain TLS socket so that the address can be the one the DNS record gives while SNI, Host and the
 * certificate check use the host name.
 */
package io.homelab.operator.driver.probe;
