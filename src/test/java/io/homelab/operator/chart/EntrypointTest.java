package io.homelab.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's entry point chooses between the operator and the simulators (sandbox mode). The
 * script runs for real with {@code sh}; a {@code java} of the test's own, first on the PATH, prints
 * the command line it was given instead of starting a JVM.
 */
class EntrypointTest {

  static final Path SCRIPT = Path.of("src", "main", "docker", "entrypoint.sh");

  @TempDir Path dir;

  @Test
  void byDefaultItRunsTheOperatorWithTheJavaOptions() throws Exception {
    Result r = run(Map.of("JAVA_OPTS", "-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"));
    assertThat(r.exit).isZero();
    assertThat(r.out)
        .isEqualTo(
            "java -XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError -jar /app/quarkus-run.jar");
  }

  @Test
  void theOperatorUsesTheImagesAotCacheWithTheOptionsItWasTrainedWith() throws Exception {
    Path app = Files.createDirectories(dir.resolve("app"));
    Map<String, String> env =
        Map.of(
            "HOMELAB_APP_DIR", app.toString(),
            "HOMELAB_JVM_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
            "JAVA_OPTS", "-XX:MaxRAMPercentage=50");
    String without =
        "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:MaxRAMPercentage=50 -jar "
            + app.resolve("quarkus-run.jar");
    assertThat(run(env).out).as("no cache in the image").isEqualTo(without);
    Files.writeString(Files.createDirectories(app.resolve("aot")).resolve("app.aot"), "cache");
    assertThat(run(env).out)
        .as("a cache in the image")
        .isEqualTo(
            without.replace(
                "-XX:MaxRAMPercentage=50",
                "-XX:AOTCache=" + app.resolve("aot/app.aot") + " -XX:MaxRAMPercentage=50"));
  }

  @Test
  void sandboxModeRunsTheSimulatorsFromTheVariableOrTheFirstArgument() throws Exception {
    String simulators =
        "java -Djava.util.logging.manager=org.jboss.logmanager.LogManager"
            + " -cp /app/app/*:/app/lib/main/*:/app/lib/boot/*"
            + " io.homelab.operator.sandbox.Simulators /app/k8s-samples /tmp/simulators";
    assertThat(run(Map.of("HOMELAB_MODE", "sandbox")).out).isEqualTo(simulators);
    assertThat(run(Map.of(), "sandbox").out).isEqualTo(simulators);
    assertThat(run(Map.of("HOMELAB_SANDBOX_DIR", "/data/simulators"), "sandbox", "--extra").out)
        .isEqualTo(simulators.replace("/tmp/simulators", "/data/simulators") + " --extra");
    assertThat(run(Map.of("HOMELAB_MODE", "sandbox"), "operator").out)
        .as("the argument wins over the variable")
        .isEqualTo("java -jar /app/quarkus-run.jar");
  }

  @Test
  void anUnknownModeIsRefusedWithoutStartingAnything() throws Exception {
    Result r = run(Map.of("HOMELAB_MODE", "simulator"));
    assertThat(r.exit).isEqualTo(64);
    assertThat(r.out).isEmpty();
    assertThat(r.err).contains("HOMELAB_MODE is 'simulator': it must be operator or sandbox");
  }

  record Result(int exit, String out, String err) {}

  Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\necho java \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> command = new java.util.ArrayList<>(List.of("sh", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("HOMELAB_") || k.equals("JAVA_OPTS"));
    pb.environment().put("PATH", bin + ":/usr/bin:/bin");
    pb.environment().put("HOMELAB_APP_DIR", "/app");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out, err);
  }
}
