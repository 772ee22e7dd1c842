package io.homelab.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.sandbox.npm.NpmSimulator;
import io.homelab.operator.status.ConditionType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Route's NPM proxy host against the NPM simulator, with the Edge offline (its Caddy and DNS do
 * not matter here): tokens that expire, a create that fails after saving, an account with 2FA, and
 * an nginx that refuses the host's config.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class RouteProxyHostTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static NpmSimulator npm;

  @Inject KubernetesClient client;

  private final List<String> namespaces = new java.util.ArrayList<>();

  @BeforeAll
  static void startNpm() {
    npm = new NpmSimulator(Clock.systemUTC());
    npm.addUser("admin@example.com", "npm-password", false);
    npm.addUser("guarded@example.com", "npm-password", true);
  }

  /** Routes first: their cleanup needs the Tunnel, whose cleanup needs the Edge. */
  @org.junit.jupiter.api.AfterEach
  void deleteWhatTheTestMade() {
    npm.failAfterSave(0);
    for (Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> kind :
        List.of(Route.class, Tunnel.class, io.homelab.operator.api.edge.Edge.class)) {
      for (String namespace : namespaces) {
        client.resources(kind).inNamespace(namespace).delete();
        await(kind.getSimpleName() + "s of " + namespace + " gone")
            .atMost(DEADLINE)
            .until(() -> client.resources(kind).inNamespace(namespace).list().getItems().isEmpty());
      }
    }
    namespaces.clear();
  }

  @AfterAll
  static void stopNpm() {
    npm.close();
  }

  @Test
  void anExpiredTokenIsRenewedAndTheWorkGoesOn() {
    npm.tokenLifetime(Duration.ofSeconds(3));
    try {
      Homelab lab = homelab("npm-token", "admin@example.com");
      lab.route("app", "npm-token.example.com", r -> {});
      lab.awaitCondition(Route.class, "app", ConditionType.PROXY_HOST_READY, "True", "Online");
      int tokens = npm.tokensIssued();

      await().pollDelay(Duration.ofSeconds(4)).until(() -> true);
      lab.edit(Route.class, "app", r -> r.getSpec().getBackend().setAddress("192.168.1.20:6000"));
      await("the port changed through a new token")
          .atMost(DEADLINE)
          .until(() -> host("npm-token.example.com").path("forward_port").asInt() == 6000);
      assertThat(npm.tokensIssued()).isGreaterThan(tokens);
      lab.awaitCondition(Route.class, "app", ConditionType.PROXY_HOST_READY, "True", "Online");
    } finally {
      npm.tokenLifetime(Duration.ofHours(24));
    }
  }

  @Test
  void aCreateThatFailsAfterSavingLeavesExactlyOneProxyHost() {
    Homelab lab = homelab("npm-500", "admin@example.com");
    npm.failAfterSave(1);
    lab.route("app", "npm-500.example.com", r -> {});
    lab.awaitCondition(Route.class, "app", ConditionType.PROXY_HOST_READY, "True", "Online");
    await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
    assertThat(hosts("npm-500.example.com")).hasSize(1);
    assertThat(lab.get(Route.class, "app").getStatus().getProxyHostId())
        .isEqualTo(host("npm-500.example.com").path("id").asLong());
  }

  @Test
  void anAccountWithTwoFactorAuthenticationIsExplained() {
    Homelab lab = homelab("npm-2fa", "guarded@example.com");
    lab.route("app", "npm-2fa.example.com", r -> {});
    var condition =
        lab.awaitCondition(
            Route.class, "app", ConditionType.PROXY_HOST_READY, "False", "TwoFactorRequired");
    assertThat(condition.getMessage()).contains("guarded@example.com").doesNotContain("password");
    assertThat(hosts("npm-2fa.example.com")).isEmpty();
  }

  @Test
  void nginxRefusingTheConfigShowsNpmsMessage() {
    Homelab lab = homelab("npm-nginx", "admin@example.com");
    npm.failNginx("npm-nginx.example.com", "nginx: [emerg] unknown directive \"proxy_pas\"");
    lab.route("app", "npm-nginx.example.com", r -> {});
    var condition =
        lab.awaitCondition(
            Route.class, "app", ConditionType.PROXY_HOST_READY, "False", "NginxError");
    assertThat(condition.getMessage()).contains("unknown directive");
    assertThat(hosts("npm-nginx.example.com")).hasSize(1);
  }

  @Test
  void aMissingLoginSecretIsNamedAndNpmIsNotAsked() {
    Homelab lab = new Homelab(client, "npm-nologin").npmAt(npm.apiUrl());
    namespaces.add("npm-nologin");
    lab.secrets();
    client
        .resources(io.fabric8.kubernetes.api.model.Secret.class)
        .inNamespace("npm-nologin")
        .withName("npm-login")
        .delete();
    lab.edge(e -> {});
    lab.tunnel("home", t -> {});
    long requests = npm.server().requests().size();
    lab.route("app", "npm-nologin.example.com", r -> {});
    var condition =
        lab.awaitCondition(
            Route.class, "app", ConditionType.PROXY_HOST_READY, "False", "SecretNotFound");
    assertThat(condition.getMessage()).contains("npm-nologin/npm-login");
    assertThat(npm.server().requests().size()).isEqualTo(requests);
  }

  private Homelab homelab(String namespace, String identity) {
    Homelab lab = new Homelab(client, namespace).npmAt(npm.apiUrl());
    namespaces.add(namespace);
    lab.secrets();
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("npm-" + identity.substring(0, identity.indexOf('@')))
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(Map.of("identity", identity, "secret", "npm-password"))
                .build())
        .create();
    lab.edge(e -> {});
    lab.tunnel(
        "home",
        t ->
            t.getSpec()
                .getProxyManager()
                .getCredentialsSecretRef()
                .setName("npm-" + identity.substring(0, identity.indexOf('@'))));
    return lab;
  }

  private static List<ObjectNode> hosts(String domain) {
    return npm.hosts(NpmSimulator.HostKind.PROXY).values().stream()
        .filter(h -> h.path("domain_names").toString().contains("\"" + domain + "\""))
        .toList();
  }

  private static ObjectNode host(String domain) {
    List<ObjectNode> hosts = hosts(domain);
    assertThat(hosts).as("proxy hosts of " + domain).hasSize(1);
    return hosts.get(0);
  }
}
