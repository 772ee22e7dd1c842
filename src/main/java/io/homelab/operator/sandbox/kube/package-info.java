/**
 * The sandbox's embedded Kubernetes API server: the fabric8 mock server in CRUD mode with
 * server-side apply emulated, plus discovery, server-side tables and OpenAPI v3, so that the real
 * kubectl and the operator both work against it.
 */
package io.homelab.operator.sandbox.kube;
