/** Cloudflare's DNS API: the records of an Edge's zone, written in batches. */
package io.homelab.operator.driver.cloudflare;
