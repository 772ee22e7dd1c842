/** A stateful Cloudflare DNS API simulator with pagination, batches and a rate budget. */
package io.homelab.operator.sandbox.cloudflare;
