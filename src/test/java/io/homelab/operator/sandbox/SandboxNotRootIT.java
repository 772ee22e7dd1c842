package io.homelab.operator.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.homelab.operator.sandbox.edge.LoopbackCaddy;
import io.homelab.operator.sandbox.lab.Sh;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox started as a user who is not root ({@code nobody}, through {@code setpriv}): it says
 * that the edge is simulated, and the operator brings the samples to Ready against the simulated
 * edge. The test runs as root; the class path, the CRDs, the samples and the packaged operator are
 * copied to a folder {@code nobody} can read, where the sandbox runs.
 */
class SandboxNotRootIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @TempDir Path work;

  private SandboxProcess sandbox;

  @AfterEach
  void stopAnyway() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void notRootTheEdgeIsSimulatedAndEverythingBecomesReady() throws Exception {
    assertThat(Sh.bash("id -u").out().trim())
        .as("this test runs as root, to start the sandbox as nobody")
        .isEqualTo("0");
    assertThat(Sh.bash("command -v setpriv && command -v kubectl").exit())
        .as("setpriv (util-linux) and kubectl on the PATH")
        .isZero();
    // What the sandbox reads from the project root, where nobody can read it whatever the
    // checkout's permissions: the CRDs, the samples and the packaged operator.
    Path project = work.resolve("run/project");
    Files.createDirectories(project.resolve("target"));
    Sh.bash(
            "cp -r crds k8s-samples "
                + project
                + " && cp -r target/quarkus-app "
                + project.resolve("target"))
        .orFail("copying what the sandbox reads");
    String classPath = copyClassPath(work.resolve("cp"));
    Path dir = work.resolve("run/sandbox");
    Files.createDirectories(dir);
    Sh.bash("chmod -R a+rX " + work + " && chown -R nobody " + work.resolve("run"))
        .orFail("giving the folder to nobody");

    sandbox =
        SandboxProcess.start(
            List.of(
                "setpriv",
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                "env",
                "HOME=" + work.resolve("run"),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classPath,
                Sandbox.class.getName(),
                dir.toString()),
            project,
            Duration.ofMinutes(3));
    String banner = sandbox.output();
    assertThat(banner).contains("sandbox | " + Sandbox.SIMULATED_EDGE_NOTICE);
    assertThat(banner).doesNotContain("curl").doesNotContain("ip netns");

    JsonNode endpoints = JSON.readTree(dir.resolve("endpoints.json").toFile());
    String kubeconfig = endpoints.path("kubeconfig").asText();
    boolean caddy = LoopbackCaddy.find().isPresent();
    await("Tunnel home Ready (a handshake on the simulated edge)")
        .atMost(DEADLINE)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> condition(kubeconfig, "tunnel", "home", "Ready"), "True"::equals);
    await("Edge vps WireGuardReady")
        .atMost(DEADLINE)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> condition(kubeconfig, "edge", "vps", "WireGuardReady"), "True"::equals);
    // The real caddy on loopback when installed, else the admin API simulated: Ready either way.
    await("Edge vps CaddyReady" + (caddy ? "" : " (admin API simulated)"))
        .atMost(DEADLINE)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> condition(kubeconfig, "edge", "vps", "CaddyReady"), "True"::equals);
    await("Route app Ready")
        .atMost(DEADLINE)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> condition(kubeconfig, "rt", "app", "Ready"), "True"::equals);

    long operator = endpoints.path("operatorPid").asLong();
    assertThat(sandbox.interrupt(Duration.ofSeconds(90))).as("the sandbox stopped").isTrue();
    assertThat(sandbox.output()).contains("The sandbox is stopped.");
    assertThat(ProcessHandle.of(operator).map(ProcessHandle::isAlive))
        .as("the operator after the stop")
        .isNotEqualTo(Optional.of(true));
    assertThat(Sh.bash("pgrep -u nobody -f " + dir + " || true").out().trim())
        .as("processes of nobody using the sandbox's folder (caddy)")
        .isEmpty();
  }

  private static String condition(String kubeconfig, String kind, String name, String type) {
    Sh.Result result =
        Sh.run(
            List.of(
                "kubectl",
                "--kubeconfig",
                kubeconfig,
                "-n",
                Sandbox.NAMESPACE,
                "get",
                kind,
                name,
                "-o",
                "jsonpath={.status.conditions[?(@.type==\"" + type + "\")].status}"),
            null,
            Duration.ofSeconds(30));
    return result.out().trim();
  }

  /** Copies every entry of this JVM's class path into {@code to}; returns the new class path. */
  private static String copyClassPath(Path to) throws IOException {
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path from = Path.of(entry);
      if (!Files.exists(from)) {
        continue;
      }
      Path target = to.resolve((n++) + "-" + from.getFileName());
      if (Files.isDirectory(from)) {
        try (Stream<Path> files = Files.walk(from)) {
          for (Path file : files.toList()) {
            Path copy = target.resolve(from.relativize(file).toString());
            if (Files.isDirectory(file)) {
              Files.createDirectories(copy);
            } else {
              Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
            }
          }
        }
      } else {
        Files.createDirectories(to);
        Files.copy(from, target, StandardCopyOption.REPLACE_EXISTING);
      }
      entries.add(target.toString());
    }
    return String.join(File.pathSeparator, entries);
  }
}
