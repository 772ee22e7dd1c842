package io.homelab.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.homelab.operator.api.Condition;
import io.homelab.operator.api.HomelabStatus;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.route.RouteStatus;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.testing.OfflineSamples;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The four reconcilers against the mock API server, fed with the tutorial in k8s-samples/: every
 * object gets a status for its current generation, status is written whole (nothing left over from
 * an earlier write), and no spec is ever written by the operator.
 *
 * <p>The mock server (fabric8 7.5, CRUD mode) keeps {@code metadata.generation} the way the API
 * server does for custom resources: 1 on create, +1 on a change to anything outside metadata and
 * status, unchanged by a status patch. The tests rely on that and check it where it matters.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ReconcilersTest {

  // Surefire runs the tests in the project directory.
  private static final Path SAMPLES = Path.of("k8s-samples");
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The kinds in the samples, in the order a person applies them: what is referred to first. */
  private static final List<String> ORDER =
      List.of("Namespace", "Secret", "Edge", "Tunnel", "Guest", "Route");

  private static final Map<String, Class<? extends HasMetadata>> TYPES =
      Map.of(
          "Namespace", Namespace.class,
          "Secret", Secret.class,
          "Edge", Edge.class,
          "Tunnel", Tunnel.class,
          "Guest", Guest.class,
          "Route", Route.class);

  @Inject KubernetesClient client;

  @Test
  void everySampleIsAcceptedObservedAndLeftAsWritten() throws IOException {
    List<JsonNode> documents = samples();
    assertThat(documents)
        .extracting(ReconcilersTest::kindOf)
        .as("kinds in the samples")
        .containsAll(ORDER);

    documents.forEach(this::create);

    List<JsonNode> homelabObjects =
        documents.stream().filter(d -> isHomelabKind(kindOf(d))).toList();
    for (JsonNode document : homelabObjects) {
      CustomResource<?, ? extends HomelabStatus> observed =
          awaitObserved(kindOf(document), namespaceOf(document), nameOf(document), 1);
      // The samples form a complete homelab: the Edge admits every Route of it.
      assertThat(observed.getStatus().getConditions())
          .as("Accepted of %s", describe(document))
          .anySatisfy(
              c -> {
                assertThat(c.getType()).isEqualTo(ConditionType.ACCEPTED);
                assertThat(c.getStatus()).isEqualTo("True");
              });
    }
    for (JsonNode document : homelabObjects) {
      assertThat(specOnServer(document))
          .as("spec of %s after reconciling", describe(document))
          .isEqualTo(document.get("spec"));
    }
  }

  @Test
  void observedGenerationFollowsAnEditedSpec() throws IOException {
    ObjectNode route = createSampleRouteCopy("edit");
    Condition readyBefore = readyOf(awaitObserved("Route", "edit", "app", 1));

    Route edited =
        client
            .resources(Route.class)
            .inNamespace("edit")
            .withName("app")
            .edit(
                r -> {
                  r.getSpec().getBackend().setPort(8081);
                  return r;
                });

    assertThat(edited.getMetadata().getGeneration())
        .as("generation after a spec change (the mock server must count it)")
        .isEqualTo(2L);
    Route observed = (Route) awaitObserved("Route", "edit", "app", 2);
    Condition readyAfter = readyOf(observed);
    // A port change does not change whether the Route is Ready (today it stays Unknown), and a
    // status that did not change keeps its transition time through the round trip to the server.
    if (readyAfter.getStatus().equals(readyBefore.getStatus())) {
      assertThat(readyAfter.getLastTransitionTime())
          .as("Ready lastTransitionTime while its status stays %s", readyAfter.getStatus())
          .isEqualTo(readyBefore.getLastTransitionTime());
    }

    JsonNode expected = route.get("spec").deepCopy();
    ((ObjectNode) expected.get("backend")).put("port", 8081);
    assertThat(specOnServer(route)).as("spec after the edit").isEqualTo(expected);
  }

  @Test
  void aStatusFieldTheOperatorNoLongerSetsVanishes() throws IOException {
    createSampleRouteCopy("stale");
    awaitObserved("Route", "stale", "app", 1);
    // What an older reconcile (or an older operator) left behind: an id and a condition that the
    // current one does not report.
    Condition stale = new Condition();
    stale.setType("Stale");
    stale.setStatus("True");
    stale.setReason("LeftBehind");
    // What the server stored, from its answer: the operator may already be rewriting it, since
    // a status change is an event too, so reading it back would race.
    Route stored =
        client
            .resources(Route.class)
            .inNamespace("stale")
            .withName("app")
            .editStatus(
                r -> {
                  r.getStatus().setUrl("https://left-behind.example.com");
                  r.getStatus().getConditions().add(stale);
                  return r;
                });
    assertThat(stored.getStatus())
        .as("the stale status as stored")
        .satisfies(
            s ->
                assertThat(((RouteStatus) s).getUrl())
                    .isEqualTo("https://left-behind.example.com"));

    // A spec change makes the operator write status again. A merge patch carries no
    // resourceVersion, so a status write of the operator in between is no conflict.
    client
        .resources(Route.class)
        .inNamespace("stale")
        .withName("app")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"websockets\":false}}");
    RouteStatus status = (RouteStatus) awaitObserved("Route", "stale", "app", 2).getStatus();

    assertThat(status.getUrl())
        .as("url left from before (the Route is not accepted: no Tunnel)")
        .isNull();
    assertThat(status.getConditions()).extracting(Condition::getType).doesNotContain("Stale");
  }

  /**
   * Creates, in a namespace of its own, a copy of the sample Route {@code app} with a hostname of
   * its own, so that the tests never see each other's objects nor compete for a hostname.
   */
  private ObjectNode createSampleRouteCopy(String namespace) throws IOException {
    ObjectNode route =
        (ObjectNode)
            samples().stream()
                .filter(d -> kindOf(d).equals("Route") && nameOf(d).equals("app"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Route app in " + SAMPLES))
                .deepCopy();
    ((ObjectNode) route.get("metadata")).put("namespace", namespace);
    ((ObjectNode) route.get("spec")).put("hostname", namespace + ".example.com");
    client
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    create(route);
    return route;
  }

  /**
   * Waits until the object's status speaks for its current generation: observedGeneration equal to
   * metadata.generation (at least {@code generation}), on the status and on every condition, with
   * Accepted=True and a Ready condition that has a reason.
   */
  private CustomResource<?, ? extends HomelabStatus> awaitObserved(
      String kind, String namespace, String name, long generation) {
    String what = kind + " " + namespace + "/" + name;
    AtomicReference<CustomResource<?, ? extends HomelabStatus>> seen = new AtomicReference<>();
    await(what + " observed at generation " + generation)
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              CustomResource<?, ? extends HomelabStatus> object = read(kind, namespace, name);
              assertThat(object).as(what).isNotNull();
              Long current = object.getMetadata().getGeneration();
              assertThat(current)
                  .as("%s metadata.generation", what)
                  .isGreaterThanOrEqualTo(generation);
              HomelabStatus status = object.getStatus();
              assertThat(status).as("%s status", what).isNotNull();
              assertThat(status.getObservedGeneration())
                  .as("%s status.observedGeneration", what)
                  .isEqualTo(current);
              assertThat(status.getConditions())
                  .as("%s conditions", what)
                  .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(current))
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo(ConditionType.ACCEPTED);
                        assertThat(c.getReason()).isNotBlank();
                      })
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo(ConditionType.READY);
                        assertThat(c.getReason()).isNotBlank();
                      });
              seen.set(object);
            });
    return seen.get();
  }

  private static Condition readyOf(CustomResource<?, ? extends HomelabStatus> object) {
    return object.getStatus().getConditions().stream()
        .filter(c -> ConditionType.READY.equals(c.getType()))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no Ready condition on " + object.getMetadata().getName()));
  }

  @SuppressWarnings("unchecked")
  private CustomResource<?, ? extends HomelabStatus> read(
      String kind, String namespace, String name) {
    return (CustomResource<?, ? extends HomelabStatus>)
        client.resources(TYPES.get(kind)).inNamespace(namespace).withName(name).get();
  }

  /**
   * Creates the object exactly as written in YAML: sent as a generic resource, not through our
   * POJOs, whose field defaults would otherwise add to the spec before the operator sees it.
   */
  private void create(JsonNode document) {
    GenericKubernetesResource resource =
        client.getKubernetesSerialization().convertValue(document, GenericKubernetesResource.class);
    String namespace = namespaceOf(document);
    if (namespace == null) {
      generic(document).resource(resource).create();
    } else {
      generic(document).inNamespace(namespace).resource(resource).create();
    }
  }

  private JsonNode specOnServer(JsonNode document) {
    GenericKubernetesResource object =
        generic(document).inNamespace(namespaceOf(document)).withName(nameOf(document)).get();
    assertThat(object).as(describe(document)).isNotNull();
    return JSON.valueToTree(object.getAdditionalProperties().get("spec"));
  }

  private MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      generic(JsonNode document) {
    return client.genericKubernetesResources(
        ResourceDefinitionContext.fromResourceType(TYPES.get(kindOf(document))));
  }

  /** Every document of every k8s-samples/*.yaml, in the order of {@link #ORDER}. */
  private static List<JsonNode> samples() throws IOException {
    if (!Files.isDirectory(SAMPLES)) {
      fail(
          "No folder "
              + SAMPLES
              + " under "
              + Path.of("").toAbsolutePath()
              + ": run the tests from the project directory (mvn does)");
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(SAMPLES)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).as("YAML files in %s", SAMPLES).isNotEmpty();
    List<JsonNode> documents = new ArrayList<>();
    for (Path file : files) {
      try (JsonParser parser = YAML.createParser(file.toFile())) {
        for (JsonNode document : YAML.readValues(parser, JsonNode.class).readAll()) {
          if (document == null || document.isEmpty()) {
            continue; // a document of comments only
          }
          assertThat(TYPES).as("kind of a document in %s", file).containsKey(kindOf(document));
          documents.add(OfflineSamples.localize(document));
        }
      }
    }
    documents.sort(Comparator.comparingInt(d -> ORDER.indexOf(kindOf(d))));
    return documents;
  }

  private static boolean isHomelabKind(String kind) {
    return CustomResource.class.isAssignableFrom(TYPES.get(kind));
  }

  private static String describe(JsonNode document) {
    return kindOf(document) + " " + namespaceOf(document) + "/" + nameOf(document);
  }

  private static String kindOf(JsonNode document) {
    return document.path("kind").asText();
  }

  private static String nameOf(JsonNode document) {
    return document.path("metadata").path("name").asText();
  }

  private static String namespaceOf(JsonNode document) {
    return Optional.ofNullable(document.path("metadata").get("namespace"))
        .map(JsonNode::asText)
        .orElse(null);
  }
}
