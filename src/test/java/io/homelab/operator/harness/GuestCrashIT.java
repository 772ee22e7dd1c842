package io.homelab.operator.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.schema.Crds;
import io.homelab.operator.sandbox.kube.SandboxApiServer;
import io.homelab.operator.sandbox.proxmox.ProxmoxSimulator;
import io.homelab.operator.sandbox.proxmox.SimulatedCluster.SimGuest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator, killed with SIGKILL while Proxmox clones its guest, finds that guest after
 * a restart instead of cloning again: exactly one guest in the end, and it becomes Ready. The
 * simulator runs in this JVM; the operator reaches it through the connection Secret.
 */
class GuestCrashIT {

  static final String NAMESPACE = "crash-guest";
  static final String TOKEN = "homelab@pve!operator";
  static final Duration DEADLINE = Duration.ofSeconds(60);

  private ProxmoxSimulator pve;
  private SandboxApiServer api;
  private OperatorProcess operator;

  @AfterEach
  void stop() {
    // The operator first: it must not see its Proxmox or its API server go away under it.
    Stream.of(operator, api, pve).filter(Objects::nonNull).forEach(GuestCrashIT::close);
  }

  private static void close(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot stop " + resource, e);
    }
  }

  @Test
  void aSigkillDuringACloneLeavesExactlyOneGuest() {
    pve = ProxmoxSimulator.start(TOKEN, "crash-token-secret", Duration.ofMillis(50), "pve1");
    pve.cluster().addTemplate("pve1", 9000, "qemu", "debian-12-cloud");
    pve.cluster().holdTasks(true);
    api = SandboxApiServer.start(SandboxApiServer.readCrds(Crds.files(Crds.CRD_DIR, ".yml")));
    KubernetesClient client = api.client();
    client
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    client.resource(pve.connectionSecret(NAMESPACE, "proxmox")).create();
    operator =
        OperatorProcess.against("guest-crash", api.url(), NAMESPACE)
            .with("HOMELAB_POLL_PROXMOX", "1s")
            .with("HOMELAB_PROXMOX_TASK_POLL", "100ms")
            .start();

    Guest guest =
        Serialization.unmarshal(
            Crds.readDocuments(Path.of("k8s-samples", "30-guest-vm.yaml")).get(0).toString(),
            Guest.class);
    guest.getMetadata().setNamespace(NAMESPACE);
    client.resource(guest).create();
    awaitOrFail(
        "the operator to start the clone",
        () -> pve.requests().stream().anyMatch(r -> r.endsWith("/clone")));

    operator.kill();
    assertThat(clones()).as("guests being cloned at kill time").hasSize(1);
    pve.cluster().holdTasks(false);
    operator.start();
    awaitOrFail(
        "the Guest to become Ready after the restart",
        () -> {
          Guest g = client.resources(Guest.class).inNamespace(NAMESPACE).withName("app").get();
          return g.getStatus() != null
              && g.getStatus().getConditions() != null
              && g.getStatus().getConditions().stream()
                  .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        });

    assertThat(pve.cluster().guests()).as("guests in Proxmox").hasSize(1);
    assertThat(pve.requests().stream().filter(r -> r.endsWith("/clone")))
        .as("clone calls, before and after the kill")
        .hasSize(1);
    Guest ready = client.resources(Guest.class).inNamespace(NAMESPACE).withName("app").get();
    assertThat(ready.getStatus().getVmid()).isEqualTo(clones().get(0).vmid());
  }

  private List<SimGuest> clones() {
    return pve.cluster().guests();
  }

  /** Waits for {@code what}; on timeout the failure carries the operator's last log lines. */
  private void awaitOrFail(String what, Callable<Boolean> condition) {
    ConditionFactory wait = await(what).atMost(DEADLINE).pollInterval(Duration.ofMillis(100));
    try {
      wait.until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(what + " did not happen within " + DEADLINE + operator.tail(), e);
    }
  }
}
