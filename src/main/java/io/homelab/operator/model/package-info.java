/** Pure code: what should exist, computed from the objects' specs; no I/O. */
package io.homelab.operator.model;
