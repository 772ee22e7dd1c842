package io.homelab.operator.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.homelab.operator.sandbox.lab.Sh;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox as a newcomer uses it: its main class started the way {@code mvn -Psandbox package}
 * starts it (after the package phase, from the project root), then the real {@code kubectl} against
 * its API, the simulators checked after each step through their own HTTP APIs, a request through
 * the whole path from the client namespace, and at the end a stop that leaves nothing running.
 */
class SandboxIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_DEADLINE = Duration.ofMinutes(4);
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @TempDir Path work;

  private SandboxProcess sandbox;
  private JsonNode endpoints;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stopAnyway() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void kubectlDrivesTheSandboxAndCtrlCLeavesNothingBehind() throws Exception {
    assertThat(Sh.bash("command -v kubectl").exit())
        .as("kubectl on the PATH (the sandbox test runs the real one)")
        .isZero();
    Path dir = work.resolve("sandbox");
    start(dir);
    endpoints = JSON.readTree(dir.resolve("endpoints.json").toFile());
    String kubeconfig = endpoints.path("kubeconfig").asText();

    String all = kubectl(kubeconfig, "get", "homelab");
    assertThat(all)
        .contains("edge.homelab.io/vps")
        .contains("tunnel.homelab.io/home")
        .contains("route.homelab.io/app")
        .contains("guest.homelab.io/app");
    String routes = kubectl(kubeconfig, "get", "rt");
    assertThat(routes.lines().findFirst().orElse("")).contains("NAME").contains("HOSTNAME");
    assertThat(routes).contains("app.example.com");

    await("Route app Ready")
        .atMost(DEADLINE)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                kubectl(
                    kubeconfig,
                    "get",
                    "rt",
                    "app",
                    "-o",
                    "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"),
            "True"::equals);
    String answer =
        await("the application through the whole path")
            .atMost(DEADLINE)
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> curl("app.example.com"), r -> r.contains("hello from the home lan"));
    assertThat(answer).contains("Host: app.example.com");

    // A new Route, applied and deleted with kubectl: NPM and Cloudflare follow.
    Path route = work.resolve("new-route.yaml");
    Files.writeString(
        route,
        String.join(
            "\n",
            "apiVersion: homelab.io/v1alpha1",
            "kind: Route",
            "metadata:",
            "  name: new",
            "  namespace: homelab",
            "spec:",
            "  hostname: new.example.com",
            "  tunnelRef:",
            "    name: home",
            "  backend:",
            "    guestRef:",
            "      name: app",
            "    port: 8080",
            ""));
    assertThat(kubectl(kubeconfig, "apply", "-f", route.toString()))
        .contains("route.homelab.io/new");
    await("NPM has a proxy host for new.example.com")
        .atMost(DEADLINE)
        .until(() -> npmHosts().contains("new.example.com"));
    await("Cloudflare has a record for new.example.com")
        .atMost(DEADLINE)
        .until(() -> cloudflareRecords().contains("new.example.com"));
    assertThat(kubectl(kubeconfig, "get", "rt", "new", "-o", "yaml"))
        .contains("hostname: new.example.com")
        .contains("proxyHostId:");
    assertThat(kubectl(kubeconfig, "delete", "-f", route.toString())).contains("deleted");
    await("the record gone").atMost(DEADLINE).until(() -> !cloudflareRecords().contains("new."));
    await("the proxy host gone").atMost(DEADLINE).until(() -> !npmHosts().contains("new."));

    assertThat(kubectl(kubeconfig, "explain", "route.spec.backend"))
        .contains("guestRef")
        .contains("Where NPM at home forwards the requests");

    // Ctrl-C: nothing it started stays.
    long operator = endpoints.path("operatorPid").asLong();
    long nginx = endpoints.path("nginxPid").asLong();
    assertThat(ProcessHandle.of(operator).map(ProcessHandle::isAlive))
        .as("the operator child while the sandbox runs")
        .contains(true);
    assertThat(sandbox.interrupt(Duration.ofSeconds(90))).as("the sandbox stopped").isTrue();
    assertThat(sandbox.output()).contains("The sandbox is stopped.");
    assertThat(Sh.bash("ip netns list").out())
        .as("namespaces of the sandbox's lab")
        .doesNotContain(endpoints.path("lab").path("edgeNamespace").asText())
        .doesNotContain(endpoints.path("lab").path("clientNamespace").asText());
    assertThat(ProcessHandle.of(operator).map(ProcessHandle::isAlive))
        .as("the operator after the stop")
        .isNotEqualTo(java.util.Optional.of(true));
    assertThat(ProcessHandle.of(nginx).map(ProcessHandle::isAlive))
        .as("nginx after the stop")
        .isNotEqualTo(java.util.Optional.of(true));
  }

  private void start(Path dir) throws IOException {
    sandbox =
        SandboxProcess.start(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Sandbox.class.getName(),
                dir.toString()),
            Path.of("").toAbsolutePath(),
            START_DEADLINE);
  }

  private static String kubectl(String kubeconfig, String... args) {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig));
    command.addAll(List.of(args));
    Sh.Result result = Sh.run(command, null, Duration.ofSeconds(30));
    assertThat(result.exit()).as(String.join(" ", command) + "\n" + result.err()).isZero();
    return result.out().trim();
  }

  private String curl(String hostname) {
    JsonNode lab = endpoints.path("lab");
    return Sh.bash(
            "ip netns exec "
                + lab.path("clientNamespace").asText()
                + " curl -sS -i --max-time 5 --cacert "
                + lab.path("caddyRoot").asText()
                + " --resolve "
                + hostname
                + ":"
                + lab.path("httpsPort").asInt()
                + ":"
                + lab.path("edgePublicAddress").asText()
                + " https://"
                + hostname
                + ":"
                + lab.path("httpsPort").asInt()
                + "/")
        .out();
  }

  private String npmHosts() throws Exception {
    JsonNode npm = endpoints.path("npm");
    String login =
        JSON.createObjectNode()
            .put("identity", npm.path("identity").asText())
            .put("secret", npm.path("secret").asText())
            .toString();
    JsonNode token =
        JSON.readTree(
            http.send(
                    HttpRequest.newBuilder(URI.create(npm.path("url").asText() + "/tokens"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(login))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    return http.send(
            HttpRequest.newBuilder(URI.create(npm.path("url").asText() + "/nginx/proxy-hosts"))
                .header("Authorization", "Bearer " + token.path("token").asText())
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private String cloudflareRecords() throws Exception {
    JsonNode cloudflare = endpoints.path("cloudflare");
    return http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        cloudflare.path("url").asText()
                            + "/zones/"
                            + cloudflare.path("zoneId").asText()
                            + "/dns_records"))
                .header("Authorization", "Bearer " + cloudflare.path("token").asText())
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
