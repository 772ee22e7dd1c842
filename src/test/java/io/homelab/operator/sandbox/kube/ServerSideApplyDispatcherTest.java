package io.homelab.operator.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.homelab.operator.api.schema.Crds;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The server-side apply emulation of the sandbox API server. */
class ServerSideApplyDispatcherTest {

  static final ResourceDefinitionContext EDGES =
      new ResourceDefinitionContext.Builder()
          .withGroup("homelab.io")
          .withVersion("v1alpha1")
          .withKind("Edge")
          .withPlural("edges")
          .withNamespaced(true)
          .build();
  static final String NS = "apply";

  static SandboxApiServer api;
  static KubernetesClient client;

  @BeforeAll
  static void startServer() {
    api = SandboxApiServer.start(SandboxApiServer.readCrds(Crds.files(Crds.CRD_DIR, ".yml")));
    client = api.client();
  }

  @AfterAll
  static void stopServer() {
    api.close();
  }

  @Test
  void applyCreatesAnAbsentObjectLikeAPost(TestInfo test) {
    GenericKubernetesResource created = edges(name(test)).serverSideApply();

    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(created.getMetadata().getUid()).isNotBlank();
    assertThat(created.getMetadata().getCreationTimestamp()).isNotBlank();
    assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
    assertThat(created.get("spec", "ssh", "host").toString()).isEqualTo("203.0.113.10");
  }

  @Test
  void applyDeepMergesIntoTheStoredObjectAndUnionsFinalizers(TestInfo test) {
    GenericKubernetesResource stored = edges(name(test)).create();
    stored.getMetadata().setFinalizers(List.of("other.io/keep"));
    stored = resource(stored).update();

    GenericKubernetesResource applied = edge(name(test));
    applied.setAdditionalProperty("spec", Map.of("ssh", Map.of("port", 2222)));
    applied.getMetadata().setFinalizers(List.of("homelab.io/finalizer"));
    GenericKubernetesResource merged = resource(applied).serverSideApply();

    assertThat((Object) merged.get("spec", "ssh", "host")).isEqualTo("203.0.113.10");
    assertThat((Object) merged.get("spec", "ssh", "port")).isEqualTo(2222);
    assertThat(merged.getMetadata().getFinalizers())
        .containsExactly("other.io/keep", "homelab.io/finalizer");
    assertThat(merged.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(merged.getMetadata().getUid()).isEqualTo(stored.getMetadata().getUid());
  }

  @Test
  void applyingOnlyAFinalizerKeepsSpecAndGenerationAsJosdkSendsIt(TestInfo test) {
    GenericKubernetesResource stored = edges(name(test)).create();

    // JOSDK's addFinalizerWithSSA sends a new, empty object: its spec serialises as null.
    GenericKubernetesResource finalizerOnly = edge(name(test));
    finalizerOnly.setAdditionalProperty("spec", null);
    finalizerOnly.getMetadata().setFinalizers(List.of("edges.homelab.io/finalizer"));
    GenericKubernetesResource after = resource(finalizerOnly).serverSideApply();

    assertThat((Object) after.get("spec")).isEqualTo(stored.get("spec"));
    assertThat(after.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(after.getMetadata().getFinalizers()).containsExactly("edges.homelab.io/finalizer");
    assertThat(after.getMetadata().getResourceVersion())
        .isNotEqualTo(stored.getMetadata().getResourceVersion());
  }

  @Test
  void anApplyThatChangesNothingKeepsTheResourceVersion(TestInfo test) {
    GenericKubernetesResource stored = edges(name(test)).create();

    GenericKubernetesResource again = edges(name(test)).serverSideApply();

    assertThat(again.getMetadata().getResourceVersion())
        .isEqualTo(stored.getMetadata().getResourceVersion());
  }

  @Test
  void statusApplyReplacesTheStatusWholeWithoutTouchingGeneration(TestInfo test) {
    edges(name(test)).create();
    GenericKubernetesResource first = edge(name(test));
    first.setAdditionalProperty(
        "status",
        Map.of(
            "observedGeneration",
            1,
            "publicKey",
            "abc",
            "conditions",
            List.of(Map.of("type", "Accepted"), Map.of("type", "Ready"))));
    resource(first).subresource("status").patch(PatchContext.of(PatchType.SERVER_SIDE_APPLY));

    GenericKubernetesResource second = edge(name(test));
    second.setAdditionalProperty(
        "status",
        Map.of("observedGeneration", 1, "conditions", List.of(Map.of("type", "Accepted"))));
    GenericKubernetesResource after =
        resource(second).subresource("status").patch(PatchContext.of(PatchType.SERVER_SIDE_APPLY));

    assertThat((Object) after.get("status"))
        .isEqualTo(
            Map.of("observedGeneration", 1, "conditions", List.of(Map.of("type", "Accepted"))));
    assertThat(after.getMetadata().getGeneration()).isEqualTo(1L);
  }

  @Test
  void applyToTheMainResourceLeavesTheStatusSubresourceAlone(TestInfo test) {
    edges(name(test)).create();
    GenericKubernetesResource withStatus = edge(name(test));
    withStatus.setAdditionalProperty("status", Map.of("observedGeneration", 7));

    GenericKubernetesResource after = resource(withStatus).serverSideApply();

    assertThat((Object) after.get("status")).isNull();
  }

  @Test
  void statusApplyToAnAbsentObjectIsNotFound(TestInfo test) {
    GenericKubernetesResource absent = edge(name(test));
    absent.setAdditionalProperty("status", Map.of("observedGeneration", 1));

    assertThatThrownBy(
            () ->
                resource(absent)
                    .subresource("status")
                    .patch(PatchContext.of(PatchType.SERVER_SIDE_APPLY)))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  @Test
  void aStaleResourceVersionInTheAppliedObjectIsAConflict(TestInfo test) {
    GenericKubernetesResource stored = edges(name(test)).create();
    byName(name(test)).edit(e -> withLabel(e, "changed", "yes"));

    GenericKubernetesResource stale = edge(name(test));
    stale.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
    stale.setAdditionalProperty("status", Map.of("observedGeneration", 1));

    assertThatThrownBy(
            () ->
                resource(stale)
                    .subresource("status")
                    .patch(PatchContext.of(PatchType.SERVER_SIDE_APPLY)))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void deletionWaitsForFinalizersAndAnApplyCannotAddNewOnes(TestInfo test) {
    GenericKubernetesResource withFinalizer = edge(name(test));
    withFinalizer.getMetadata().setFinalizers(List.of("homelab.io/finalizer"));
    resource(withFinalizer).create();

    edges(name(test)).delete();
    GenericKubernetesResource deleting = edges(name(test)).get();
    assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotBlank();

    GenericKubernetesResource sameFinalizer = edge(name(test));
    sameFinalizer.getMetadata().setFinalizers(List.of("homelab.io/finalizer"));
    assertThat(resource(sameFinalizer).serverSideApply().getMetadata().getDeletionTimestamp())
        .isEqualTo(deleting.getMetadata().getDeletionTimestamp());

    GenericKubernetesResource newFinalizer = edge(name(test));
    newFinalizer.getMetadata().setFinalizers(List.of("other.io/late"));
    assertThatThrownBy(() -> resource(newFinalizer).serverSideApply())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));

    byName(name(test))
        .edit(
            e -> {
              e.getMetadata().setFinalizers(List.of());
              return e;
            });
    assertThat(edges(name(test)).get()).isNull();
  }

  @Test
  void aHeldStatusWriteIsNeitherAnsweredNorApplied(TestInfo test) {
    edges(name(test)).create();
    String statusPath = "/apis/homelab.io/v1alpha1/namespaces/" + NS + "/edges/" + name(test);
    api.dispatcher().holdStatusWritesAfter(1);
    try {
      MockResponse passed = api.dispatcher().dispatch(statusApply(statusPath, 1));
      MockResponse held = api.dispatcher().dispatch(statusApply(statusPath, 2));

      assertThat(passed.code()).isEqualTo(200);
      assertThat(held.code()).isEqualTo(503);
      assertThat(held.getBodyDelay()).isGreaterThan(Duration.ofMinutes(1));
      assertThat(api.dispatcher().heldWrites()).hasSize(1);
      assertThat((Object) edges(name(test)).get().get("status", "observedGeneration")).isEqualTo(1);
    } finally {
      api.dispatcher().stopHolding();
    }
  }

  @Test
  void leasesForLeaderElectionWork() throws Exception {
    Lease lease =
        client
            .leases()
            .inNamespace(NS)
            .resource(
                new LeaseBuilder()
                    .withNewMetadata()
                    .withName("manual")
                    .endMetadata()
                    .withNewSpec()
                    .withHolderIdentity("a")
                    .endSpec()
                    .build())
            .create();
    lease.getSpec().setHolderIdentity("b");
    client.leases().inNamespace(NS).resource(lease).update();
    lease.getSpec().setHolderIdentity("c");
    assertThatThrownBy(() -> client.leases().inNamespace(NS).resource(lease).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

    CompletableFuture<Void> leading = new CompletableFuture<>();
    LeaderElector elector =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName("elector")
                    .withLock(new LeaseLock(NS, "elector", "me"))
                    .withLeaseDuration(Duration.ofSeconds(15))
                    .withRenewDeadline(Duration.ofSeconds(10))
                    .withRetryPeriod(Duration.ofMillis(200))
                    .withLeaderCallbacks(
                        new LeaderCallbacks(() -> leading.complete(null), () -> {}, id -> {}))
                    .build())
            .build();
    CompletableFuture<?> running = elector.start();
    try {
      leading.get(10, TimeUnit.SECONDS);
      assertThat(client.leases().inNamespace(NS).withName("elector").get().getSpec())
          .satisfies(spec -> assertThat(spec.getHolderIdentity()).isEqualTo("me"));
    } finally {
      running.cancel(true);
    }
  }

  private static RecordedRequest statusApply(String objectPath, int observedGeneration) {
    String body =
        Serialization.asJson(
            Map.of(
                "apiVersion",
                "homelab.io/v1alpha1",
                "kind",
                "Edge",
                "metadata",
                Map.of("name", objectPath.substring(objectPath.lastIndexOf('/') + 1)),
                "status",
                Map.of("observedGeneration", observedGeneration)));
    return new RecordedRequest(
        "HTTP/1.1",
        HttpMethod.PATCH,
        objectPath + "/status?fieldManager=test&force=true",
        Headers.builder().add("Content-Type", ServerSideApplyDispatcher.APPLY_PATCH).build(),
        new Buffer(body.getBytes(StandardCharsets.UTF_8)));
  }

  private static String name(TestInfo test) {
    return test.getTestMethod().orElseThrow().getName().toLowerCase(Locale.ROOT);
  }

  private static GenericKubernetesResource edge(String name) {
    GenericKubernetesResource edge = new GenericKubernetesResource();
    edge.setApiVersion("homelab.io/v1alpha1");
    edge.setKind("Edge");
    edge.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    edge.getMetadata().setName(name);
    edge.getMetadata().setNamespace(NS);
    edge.setAdditionalProperty("spec", Map.of("ssh", Map.of("host", "203.0.113.10")));
    return edge;
  }

  private static Resource<GenericKubernetesResource> edges(String name) {
    return resource(edge(name));
  }

  /** The stored object: edits start from what the server has. */
  private static Resource<GenericKubernetesResource> byName(String name) {
    return client.genericKubernetesResources(EDGES).inNamespace(NS).withName(name);
  }

  private static Resource<GenericKubernetesResource> resource(GenericKubernetesResource edge) {
    return client.genericKubernetesResources(EDGES).inNamespace(NS).resource(edge);
  }

  private static GenericKubernetesResource withLabel(
      GenericKubernetesResource resource, String key, String value) {
    resource.getMetadata().setLabels(Map.of(key, value));
    return resource;
  }
}
