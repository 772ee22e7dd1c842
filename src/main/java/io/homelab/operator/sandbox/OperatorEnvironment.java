package io.homelab.operator.sandbox;

import java.nio.file.Path;
import java.util.Map;

/** The environment of an operator started as a child process by the sandbox or a harness. */
public final class OperatorEnvironment {

  private OperatorEnvironment() {}

  /**
   * Removes whatever could point the operator elsewhere (every {@code QUARKUS_*}, {@code HOMELAB_*}
   * and {@code KUBE*} variable, the JVM option variables) and makes sure it can never reach a real
   * cluster: a kubeconfig that does not exist, no in-cluster service account.
   */
  public static void isolate(Map<String, String> environment, Path workDir) {
    environment
        .keySet()
        .removeIf(
            key ->
                key.startsWith("QUARKUS_")
                    || key.startsWith("HOMELAB_")
                    || key.startsWith("KUBE")
                    || key.endsWith("JAVA_OPTIONS")
                    || key.equals("JAVA_TOOL_OPTIONS"));
    environment.put("KUBECONFIG", workDir.resolve("no-kubeconfig").toString());
    environment.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    environment.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
  }
}
