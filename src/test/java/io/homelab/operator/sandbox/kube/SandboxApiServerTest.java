package io.homelab.operator.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.homelab.operator.api.schema.Crds;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code kubectl} against the sandbox API server started with the project's CRDs: after
 * {@code kubectl apply -f k8s-samples/}, the category, short names, printer columns, apply, get,
 * delete and explain work as on a cluster. Every kubectl runs as a child process with its own
 * kubeconfig, cache and home under a temporary folder. Without kubectl on the PATH the test fails.
 */
class SandboxApiServerTest {

  static final String NAMESPACE = "homelab";
  static final Duration KUBECTL_DEADLINE = Duration.ofSeconds(30);
  static final ResourceDefinitionContext ROUTES =
      new ResourceDefinitionContext.Builder()
          .withGroup("homelab.io")
          .withVersion("v1alpha1")
          .withKind("Route")
          .withPlural("routes")
          .withNamespaced(true)
          .build();

  @TempDir static Path dir;
  static Path kubectl;
  static SandboxApiServer api;
  static KubernetesClient client;
  static Path kubeconfig;
  static Kubectl samplesApplied;

  @BeforeAll
  static void startServerAndApplySamples() {
    kubectl = kubectlOnPath();
    api = SandboxApiServer.start(SandboxApiServer.readCrds(Crds.files(Crds.CRD_DIR, ".yml")));
    client = api.client();
    kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"));
    samplesApplied = kubectl("apply", "-f", Crds.SAMPLE_DIR.toString());
  }

  @AfterAll
  static void stopServer() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void applyOfTheSamplesCreatesEveryObject() {
    samplesApplied.assertSucceeded();
    List<String> expected = new ArrayList<>();
    for (Path file : Crds.files(Crds.SAMPLE_DIR, ".yaml")) {
      for (JsonNode doc : Crds.readDocuments(file)) {
        String kind = doc.path("kind").asText().toLowerCase(Locale.ROOT);
        String group = doc.path("apiVersion").asText().contains("/") ? ".homelab.io" : "";
        expected.add(kind + group + "/" + doc.at("/metadata/name").asText() + " created");
      }
    }
    assertThat(samplesApplied.lines()).containsAll(expected);
    assertThat(client.namespaces().withName(NAMESPACE).get()).isNotNull();
    assertThat(client.genericKubernetesResources(ROUTES).inNamespace(NAMESPACE).list().getItems())
        .extracting(r -> r.getMetadata().getName())
        .containsExactlyInAnyOrder("app", "nas");
  }

  @Test
  void secretsStoreTheirStringDataAsData() {
    samplesApplied.assertSucceeded();
    Secret login = client.secrets().inNamespace(NAMESPACE).withName("npm-login").get();
    assertThat(login.getStringData()).isNullOrEmpty();
    assertThat(login.getType()).isEqualTo("Opaque");
    assertThat(decode(login.getData().get("identity"))).isEqualTo("admin@example.com");

    Kubectl secrets = kubectl("get", "secrets", "-n", NAMESPACE).assertSucceeded();
    assertThat(cells(secrets.lines().get(0))).containsExactly("NAME", "TYPE", "DATA", "AGE");
    assertThat(secrets.row("npm-login")).startsWith("npm-login", "Opaque", "2");
    // A second apply of an unchanged Secret sends a strategic merge patch.
    kubectl("apply", "-f", Crds.SAMPLE_DIR.resolve("01-secrets.yaml").toString()).assertSucceeded();
  }

  @Test
  void theHomelabCategoryListsAllFourKinds() {
    samplesApplied.assertSucceeded();
    Kubectl all = kubectl("get", "homelab", "-A").assertSucceeded();

    assertThat(all.out())
        .contains(
            "edge.homelab.io/vps",
            "tunnel.homelab.io/home",
            "guest.homelab.io/app",
            "guest.homelab.io/media",
            "route.homelab.io/app",
            "route.homelab.io/nas");
    assertThat(all.lines())
        .filteredOn(l -> l.startsWith("NAMESPACE"))
        .as("one table per kind")
        .hasSize(4);
  }

  @Test
  void aShortNameListsRoutesWithTheCrdsPrinterColumns() {
    samplesApplied.assertSucceeded();
    GenericKubernetesResource nas =
        client.genericKubernetesResources(ROUTES).inNamespace(NAMESPACE).withName("nas").get();
    nas.setAdditionalProperty(
        "status",
        Map.of(
            "url",
            "https://nas.example.com",
            "conditions",
            List.of(
                Map.of("type", "Accepted", "status", "True"),
                Map.of("type", "Ready", "status", "False"))));
    client.genericKubernetesResources(ROUTES).inNamespace(NAMESPACE).resource(nas).updateStatus();

    Kubectl routes = kubectl("get", "rt", "-n", NAMESPACE).assertSucceeded();

    List<String> headers = new ArrayList<>(List.of("NAME"));
    printerColumns("Route").forEach(c -> headers.add(c.toUpperCase(Locale.ROOT)));
    assertThat(cells(routes.lines().get(0))).containsExactlyElementsOf(headers);
    assertThat(routes.row("app")).containsSequence("app", "app.example.com");
    assertThat(routes.row("nas"))
        .containsSequence("nas", "False", "nas.example.com", "https://nas.example.com");
    assertThat(routes.row("nas").get(headers.indexOf("AGE"))).matches("\\d+s");
  }

  @Test
  void applyGetAndDeleteOfANewRoute() throws IOException {
    samplesApplied.assertSucceeded();
    Path file = dir.resolve("extra-route.yaml");
    Files.writeString(file, route("extra", "extra.example.com"));

    assertThat(kubectl("apply", "-f", file.toString()).assertSucceeded().out())
        .isEqualTo("route.homelab.io/extra created\n");
    assertThat(storedRoute("extra")).map(r -> hostname(r)).contains("extra.example.com");

    Files.writeString(file, route("extra", "extra2.example.com"));
    assertThat(kubectl("apply", "-f", file.toString()).assertSucceeded().out())
        .isEqualTo("route.homelab.io/extra configured\n");
    assertThat(kubectl("apply", "-f", file.toString()).assertSucceeded().out())
        .isEqualTo("route.homelab.io/extra unchanged\n");
    assertThat(storedRoute("extra")).map(r -> hostname(r)).contains("extra2.example.com");
    assertThat(storedRoute("extra").orElseThrow().getMetadata().getGeneration()).isEqualTo(2L);

    Kubectl yaml = kubectl("get", "rt", "extra", "-n", NAMESPACE, "-o", "yaml").assertSucceeded();
    assertThat(yaml.lines())
        .contains(
            "apiVersion: homelab.io/v1alpha1",
            "kind: Route",
            "  name: extra",
            "  namespace: homelab",
            "  hostname: extra2.example.com",
            "    address: 192.168.1.30:8080");

    assertThat(kubectl("delete", "-f", file.toString()).assertSucceeded().out())
        .isEqualTo("route.homelab.io \"extra\" deleted\n");
    assertThat(storedRoute("extra")).isEmpty();
    Kubectl gone = kubectl("get", "rt", "extra", "-n", NAMESPACE);
    assertThat(gone.exitValue()).isEqualTo(1);
    assertThat(gone.err()).contains("Error from server (NotFound): routes.homelab.io \"extra\"");
  }

  @Test
  void deleteWaitsUntilTheLastFinalizerIsGone() throws Exception {
    samplesApplied.assertSucceeded();
    Path file = dir.resolve("held-route.yaml");
    Files.writeString(file, route("held", "held.example.com"));
    kubectl("apply", "-f", file.toString()).assertSucceeded();
    GenericKubernetesResource held = storedRoute("held").orElseThrow();
    held.getMetadata().setFinalizers(List.of("homelab.io/test"));
    client.genericKubernetesResources(ROUTES).inNamespace(NAMESPACE).resource(held).update();

    CompletableFuture<Kubectl> delete =
        CompletableFuture.supplyAsync(() -> kubectl("delete", "-f", file.toString()));
    awaitDeletionTimestamp("held");
    assertThat(delete).as("kubectl delete while the finalizer stays").isNotDone();

    GenericKubernetesResource deleting = storedRoute("held").orElseThrow();
    deleting.getMetadata().setFinalizers(List.of());
    client.genericKubernetesResources(ROUTES).inNamespace(NAMESPACE).resource(deleting).update();

    Kubectl deleted = delete.get(KUBECTL_DEADLINE.toSeconds(), TimeUnit.SECONDS).assertSucceeded();
    assertThat(deleted.out()).isEqualTo("route.homelab.io \"held\" deleted\n");
    assertThat(storedRoute("held")).isEmpty();
  }

  @Test
  void deletingANamespaceDeletesItsContentAndThenTheNamespace() throws IOException {
    String doomed = "doomed";
    Path file = dir.resolve("doomed.yaml");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: doomed
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: token
          namespace: doomed
        stringData:
          token: abc
        ---
        """
            + route("kept", doomed, "kept.example.com"));
    kubectl("apply", "-f", file.toString()).assertSucceeded();
    var routes = client.genericKubernetesResources(ROUTES).inNamespace(doomed);
    GenericKubernetesResource kept = routes.withName("kept").get();
    kept.getMetadata().setFinalizers(List.of("homelab.io/test"));
    routes.resource(kept).update();

    assertThat(kubectl("delete", "namespace", doomed, "--wait=false").assertSucceeded().out())
        .isEqualTo("namespace \"doomed\" deleted\n");

    assertThat(client.secrets().inNamespace(doomed).list().getItems()).isEmpty();
    assertThat(routes.withName("kept").get().getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(client.namespaces().withName(doomed).get().getStatus().getPhase())
        .isEqualTo("Terminating");
    Files.writeString(file, route("late", doomed, "late.example.com"));
    Kubectl late = kubectl("apply", "-f", file.toString());
    assertThat(late.exitValue()).isEqualTo(1);
    assertThat(late.err()).contains("because it is being terminated");

    GenericKubernetesResource deleting = routes.withName("kept").get();
    deleting.getMetadata().setFinalizers(List.of());
    routes.resource(deleting).update();
    assertThat(routes.withName("kept").get()).isNull();
    assertThat(client.namespaces().withName(doomed).get()).isNull();
  }

  @Test
  void explainShowsTheFieldDescriptionsOfTheCrd() {
    Kubectl explain = kubectl("explain", "route.spec.backend").assertSucceeded();

    JsonNode backend =
        Crds.schemaOf(Crds.byKind().get("Route")).at("/properties/spec/properties/backend");
    String text = oneLine(explain.out());
    assertThat(explain.lines()).contains("KIND:       Route", "VERSION:    v1alpha1");
    assertThat(text).contains("FIELD: backend <Object>");
    assertThat(text).contains(oneLine(backend.path("description").asText()));
    backend
        .path("properties")
        .properties()
        .forEach(
            field ->
                assertThat(text)
                    .contains(field.getKey())
                    .contains(oneLine(field.getValue().path("description").asText())));
  }

  // --- helpers

  /** What one kubectl run printed, and how it ended. */
  record Kubectl(List<String> command, int exitValue, String out, String err) {

    Kubectl assertSucceeded() {
      if (exitValue != 0) {
        fail(
            "%s exited with %d%n--- stdout ---%n%s--- stderr ---%n%s",
            String.join(" ", command), exitValue, out, err);
      }
      return this;
    }

    List<String> lines() {
      return out.lines().toList();
    }

    /** The cells of the table row whose first cell is {@code name}. */
    List<String> row(String name) {
      return lines().stream()
          .map(SandboxApiServerTest::cells)
          .filter(c -> !c.isEmpty() && c.get(0).equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no row " + name + " in\n" + out));
    }
  }

  /** Runs kubectl against the server; fails the test when it does not end in time. */
  static Kubectl kubectl(String... args) {
    List<String> command = new ArrayList<>();
    command.add(kubectl.toString());
    command.addAll(
        List.of(
            "--kubeconfig", kubeconfig.toString(), "--cache-dir", dir.resolve("cache").toString()));
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("KUBE"));
    builder.environment().put("HOME", dir.resolve("home").toString());
    try {
      Path out = Files.createTempFile(dir, "kubectl-", ".out");
      Path err = Files.createTempFile(dir, "kubectl-", ".err");
      builder.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process process = builder.start();
      if (!process.waitFor(KUBECTL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        fail("%s did not end within %s", String.join(" ", command), KUBECTL_DEADLINE);
      }
      return new Kubectl(
          List.copyOf(command),
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** kubectl from the PATH; fails (never skips) when it is missing. */
  static Path kubectlOnPath() {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Stream.of(path.split(File.pathSeparator))
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, "kubectl"))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseGet(
            () ->
                fail(
                    "kubectl is not on the PATH (%s). SandboxApiServerTest runs the real kubectl"
                        + " (1.32) against the sandbox API server: install kubectl and run the"
                        + " tests again.",
                    path));
  }

  static List<String> cells(String line) {
    String trimmed = line.strip();
    return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s{2,}"));
  }

  static List<String> printerColumns(String kind) {
    List<String> names = new ArrayList<>();
    Crds.byKind()
        .get(kind)
        .at("/spec/versions/0/additionalPrinterColumns")
        .forEach(c -> names.add(c.path("name").asText()));
    return names;
  }

  static Optional<GenericKubernetesResource> storedRoute(String name) {
    return Optional.ofNullable(
        client.genericKubernetesResources(ROUTES).inNamespace(NAMESPACE).withName(name).get());
  }

  static String hostname(GenericKubernetesResource route) {
    return String.valueOf(route.<Object>get("spec", "hostname"));
  }

  static void awaitDeletionTimestamp(String name) throws InterruptedException {
    long deadline = System.nanoTime() + KUBECTL_DEADLINE.toNanos();
    while (storedRoute(name).map(r -> r.getMetadata().getDeletionTimestamp()).isEmpty()) {
      if (System.nanoTime() > deadline) {
        fail("kubectl delete did not mark %s for deletion within %s", name, KUBECTL_DEADLINE);
      }
      Thread.sleep(50);
    }
  }

  static String route(String name, String hostname) {
    return route(name, NAMESPACE, hostname);
  }

  static String route(String name, String namespace, String hostname) {
    return """
        apiVersion: homelab.io/v1alpha1
        kind: Route
        metadata:
          name: %s
          namespace: %s
        spec:
          hostname: %s
          tunnelRef:
            name: home
          backend:
            address: 192.168.1.30:8080
        """
        .formatted(name, namespace, hostname);
  }

  static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }

  static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
