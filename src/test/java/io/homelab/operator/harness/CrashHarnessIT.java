package io.homelab.operator.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.homelab.operator.api.schema.Crds;
import io.homelab.operator.sandbox.kube.SandboxApiServer;
import io.homelab.operator.sandbox.kube.ServerSideApplyDispatcher;
import io.homelab.operator.testing.OfflineSamples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator, killed with SIGKILL in the middle of reconciling the whole of {@code
 * k8s-samples/}, finishes the work after a restart, and never touches a spec.
 *
 * <p>How the kill is known to land mid-way: the mock API server lets the first {@value
 * #WRITES_BEFORE_CRASH} status writes through and holds every later one unanswered, so when the
 * kill comes, the operator has finished some objects and is stuck in the status write of at least
 * one other. The test asserts both facts on the API server's state at kill time.
 */
class CrashHarnessIT {

  static final String NAMESPACE = "homelab";
  static final String GROUP_VERSION = "homelab.io/v1alpha1";
  static final int WRITES_BEFORE_CRASH = 2;
  static final Duration WORK_DEADLINE = Duration.ofSeconds(60);
  static final List<String> KINDS = List.of("Edge", "Tunnel", "Guest", "Route");

  private SandboxApiServer api;
  private OperatorProcess operator;

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
    if (api != null) {
      api.close();
    }
  }

  @Test
  void theOperatorFinishesItsWorkAfterASigkillMidReconcile() {
    assertThat(OperatorProcess.JAR)
        .as("the packaged operator: run `mvn -B verify`, which builds it before the *IT tests")
        .isRegularFile();
    List<JsonNode> samples = samples();
    Map<String, JsonNode> specs = homelabSpecs(samples);
    assertThat(specs).as("homelab.io objects in k8s-samples/").hasSizeGreaterThanOrEqualTo(4);

    api = SandboxApiServer.start(SandboxApiServer.readCrds(Crds.files(Crds.CRD_DIR, ".yml")));
    KubernetesClient client = api.client();
    operator = OperatorProcess.against("crash", api.url(), NAMESPACE).start();

    api.dispatcher().holdStatusWritesAfter(WRITES_BEFORE_CRASH);
    for (JsonNode sample : samples) {
      client.resource(Serialization.unmarshal(sample.toString(), HasMetadata.class)).create();
    }
    awaitOrFail(
        "the operator to send a status write that the API server holds",
        () -> !api.dispatcher().heldWrites().isEmpty());

    operator.kill();
    Map<String, GenericKubernetesResource> atKill = homelabObjects(client);
    Map<Boolean, List<String>> hadStatus =
        atKill.entrySet().stream()
            .collect(
                Collectors.partitioningBy(
                    e -> observedGeneration(e.getValue()) != null,
                    Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
    assertThat(api.dispatcher().heldWrites())
        .as("status writes in flight when the operator was killed, by server-side apply")
        .isNotEmpty()
        .allMatch(write -> write.contains(ServerSideApplyDispatcher.APPLY_PATCH));
    assertThat(hadStatus.get(true))
        .as("objects with a status at kill time: %s", summary(atKill))
        .isNotEmpty();
    assertThat(hadStatus.get(false))
        .as("objects without a status at kill time: %s", summary(atKill))
        .isNotEmpty();

    api.dispatcher().stopHolding();
    operator.start();
    awaitOrFail(
        "every homelab.io object to report Accepted=True for its generation",
        () -> homelabObjects(client).values().stream().allMatch(CrashHarnessIT::done));

    assertThat(client.leases().inNamespace(NAMESPACE).list().getItems())
        .as("the Lease of the operator's leader election (active in the prod profile)")
        .anySatisfy(
            lease ->
                assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(operator.identity()));

    Map<String, GenericKubernetesResource> after = homelabObjects(client);
    assertThat(after.keySet()).containsExactlyInAnyOrderElementsOf(specs.keySet());
    after.forEach(
        (key, object) -> {
          JsonNode spec = Serialization.jsonMapper().valueToTree(object.get("spec"));
          assertThat(spec)
              .as("spec of %s, which the operator must never write", key)
              .isEqualTo(specs.get(key));
          assertThat(object.getMetadata().getGeneration()).as("generation of %s", key).isEqualTo(1);
        });
  }

  /** Every YAML document of k8s-samples/, in file order, as kubectl apply -f would send them. */
  static List<JsonNode> samples() {
    List<JsonNode> documents = new ArrayList<>();
    for (Path file : Crds.files(Crds.SAMPLE_DIR, ".yaml")) {
      Crds.readDocuments(file).stream().map(OfflineSamples::localize).forEach(documents::add);
    }
    return documents;
  }

  static Map<String, JsonNode> homelabSpecs(List<JsonNode> samples) {
    return samples.stream()
        .filter(s -> GROUP_VERSION.equals(s.path("apiVersion").asText()))
        .collect(
            Collectors.toMap(
                s -> s.path("kind").asText() + "/" + s.at("/metadata/name").asText(),
                s -> s.path("spec"),
                (a, b) -> {
                  throw new IllegalStateException("duplicate sample " + a);
                },
                LinkedHashMap::new));
  }

  /** The homelab.io objects in the namespace, by "Kind/name". */
  static Map<String, GenericKubernetesResource> homelabObjects(KubernetesClient client) {
    Map<String, GenericKubernetesResource> objects = new LinkedHashMap<>();
    KINDS.forEach(
        kind ->
            client
                .genericKubernetesResources(
                    new ResourceDefinitionContext.Builder()
                        .withGroup("homelab.io")
                        .withVersion("v1alpha1")
                        .withKind(kind)
                        .withPlural(kind.toLowerCase(Locale.ROOT) + "s")
                        .withNamespaced(true)
                        .build())
                .inNamespace(NAMESPACE)
                .list()
                .getItems()
                .forEach(o -> objects.put(kind + "/" + o.getMetadata().getName(), o)));
    return objects;
  }

  static boolean done(GenericKubernetesResource object) {
    Object observed = observedGeneration(object);
    return observed != null
        && ((Number) observed).longValue() == object.getMetadata().getGeneration()
        && "True".equals(conditionStatus(object, "Accepted"));
  }

  static Object observedGeneration(GenericKubernetesResource object) {
    return object.get("status", "observedGeneration");
  }

  @SuppressWarnings("unchecked")
  static String conditionStatus(GenericKubernetesResource object, String type) {
    Object conditions = object.get("status", "conditions");
    if (!(conditions instanceof List<?> list)) {
      return null;
    }
    return list.stream()
        .map(c -> (Map<String, Object>) c)
        .filter(c -> type.equals(c.get("type")))
        .map(c -> String.valueOf(c.get("status")))
        .findFirst()
        .orElse(null);
  }

  private void awaitOrFail(String what, Callable<Boolean> condition) {
    try {
      await()
          .atMost(WORK_DEADLINE)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(100))
          .until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "Timed out after "
              + WORK_DEADLINE
              + " waiting for "
              + what
              + ". Objects: "
              + summary(homelabObjects(api.client()))
              + operator.tail(),
          e);
    }
  }

  static String summary(Map<String, GenericKubernetesResource> objects) {
    return objects.entrySet().stream()
        .map(
            e ->
                e.getKey()
                    + "(generation "
                    + e.getValue().getMetadata().getGeneration()
                    + ", observedGeneration "
                    + observedGeneration(e.getValue())
                    + ", Accepted "
                    + conditionStatus(e.getValue(), "Accepted")
                    + ")")
        .collect(Collectors.joining(", "));
  }
}
