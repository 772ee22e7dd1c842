package io.homelab.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.homelab.operator.api.SecretKeyRef;
import io.homelab.operator.api.SshAccess;
import io.homelab.operator.driver.DriverException;
import io.homelab.operator.driver.HostAccess;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.Optional;

/** A spec's SSH access with its private key read from the Secret, for a driver. */
public final class SshAccesses {

  private SshAccesses() {}

  /** A value of a Secret of the namespace, from the reconciler's Secret informer. */
  public static Optional<String> secretValue(
      Context<?> context, String namespace, SecretKeyRef ref) {
    return Sources.cache(context, Secret.class, "secrets")
        .get(new ResourceID(ref.getName(), namespace))
        .map(GeneratedSecrets::decode)
        .map(data -> data.get(ref.getKey()));
  }

  public static HostAccess of(Context<?> context, String namespace, SshAccess ssh) {
    String key =
        secretValue(context, namespace, ssh.getPrivateKeySecretRef())
            .orElseThrow(
                () ->
                    new DriverException(
                        "SecretNotFound",
                        "The SSH key Secret " + ssh.getPrivateKeySecretRef().getName() + " is gone",
                        true));
    return new HostAccess(
        ssh.getHost(),
        ssh.getPort() == null ? 22 : ssh.getPort(),
        ssh.getUser() == null ? "root" : ssh.getUser(),
        Boolean.TRUE.equals(ssh.getSudo()),
        key,
        ssh.getHostKey(),
        Duration.ofSeconds(
            ssh.getConnectTimeoutSeconds() == null ? 10 : ssh.getConnectTimeoutSeconds()),
        Duration.ofSeconds(
            ssh.getCommandTimeoutSeconds() == null ? 60 : ssh.getCommandTimeoutSeconds()));
  }
}
