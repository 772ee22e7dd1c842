package io.homelab.operator.model;

import java.util.List;

/**
 * One Secret an object needs, in the object's own namespace.
 *
 * @param name the Secret's name
 * @param keys the keys it must hold
 * @param field where the object names it, as {@code spec.ssh.privateKeySecretRef}
 */
public record SecretUse(String name, List<String> keys, String field) {}
