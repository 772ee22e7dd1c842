package io.homelab.operator.sandbox.npm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.homelab.operator.driver.JsonHttp;
import io.homelab.operator.sandbox.ContractFacts;
import io.homelab.operator.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The NPM simulator answers as the real one does, and what it answers conforms to the contract. */
class NpmSimulatorTest {

  private static final ContractFacts FACTS = ContractFacts.load("sandbox/npm/npm-api-facts.json");

  private final ManualClock clock = new ManualClock();
  private JsonHttp http;
  private NpmSimulator npm;
  private String token;

  @BeforeEach
  void start() throws IOException {
    npm = new NpmSimulator(clock);
    npm.addUser("admin@example.com", "changeme", false);
    http = new JsonHttp(npm.apiUrl(), Duration.ofSeconds(5));
    JsonHttp.Reply login =
        call(
            "POST", "/tokens", null, Map.of("identity", "admin@example.com", "secret", "changeme"));
    assertThat(login.status()).isEqualTo(200);
    token = login.body().get("token").asText();
  }

  @AfterEach
  void stop() {
    npm.close();
  }

  private JsonHttp.Reply call(String method, String path, String bearer, Object body)
      throws IOException {
    return http.send(
        method,
        path,
        bearer == null ? Map.of() : Map.of("Authorization", "Bearer " + bearer),
        body);
  }

  private static Map<String, Object> host(String domain) {
    return Map.of(
        "domain_names",
        java.util.List.of(domain),
        "forward_scheme",
        "http",
        "forward_host",
        "10.0.0.5",
        "forward_port",
        80);
  }

  private static String message(JsonHttp.Reply reply) {
    return reply.body().path("error").path("message").asText();
  }

  @Test
  void withoutATokenItIs403PermissionDenied() throws IOException {
    JsonHttp.Reply reply = call("GET", "/nginx/proxy-hosts", null, null);

    assertThat(reply.status()).isEqualTo(403);
    assertThat(message(reply)).isEqualTo("Permission Denied");
  }

  @Test
  void anExpiredTokenIs400TokenHasExpired() throws IOException {
    npm.tokenLifetime(Duration.ofMinutes(10));
    JsonHttp.Reply login =
        call(
            "POST", "/tokens", null, Map.of("identity", "admin@example.com", "secret", "changeme"));
    clock.advance(Duration.ofMinutes(10));

    JsonHttp.Reply reply =
        call("GET", "/nginx/proxy-hosts", login.body().get("token").asText(), null);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(message(reply)).isEqualTo("Token has expired");
  }

  @Test
  void aTwoFactorAccountGetsAChallengeNotAToken() throws IOException {
    npm.addUser("2fa@example.com", "pw", true);

    JsonHttp.Reply reply =
        call("POST", "/tokens", null, Map.of("identity", "2fa@example.com", "secret", "pw"));

    assertThat(reply.body().get("requires_2fa").asBoolean()).isTrue();
    assertThat(reply.body().has("token")).isFalse();
    assertThat(conforms("POST /tokens", reply.body())).isEmpty();
  }

  @Test
  void anUnknownFieldIs400() throws IOException {
    Map<String, Object> body = new java.util.HashMap<>(host("a.example.com"));
    body.put("ssl_redirect", true);

    JsonHttp.Reply reply = call("POST", "/nginx/proxy-hosts", token, body);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(message(reply)).contains("additional property 'ssl_redirect'");
  }

  @Test
  void aMissingRequiredFieldIs400() throws IOException {
    JsonHttp.Reply reply =
        call("POST", "/nginx/proxy-hosts", token, Map.of("domain_names", java.util.List.of("a.b")));

    assertThat(reply.status()).isEqualTo(400);
    assertThat(message(reply)).contains("required property 'forward_host'");
  }

  @Test
  void aDomainTakenByAnyKindOfHostIs400() throws IOException {
    assertThat(call("POST", "/nginx/proxy-hosts", token, host("a.example.com")).status())
        .isEqualTo(200);
    assertThat(
            call(
                    "POST",
                    "/nginx/dead-hosts",
                    token,
                    Map.of("domain_names", java.util.List.of("b.example.com")))
                .status())
        .isEqualTo(200);

    JsonHttp.Reply proxy = call("POST", "/nginx/proxy-hosts", token, host("A.example.com"));
    JsonHttp.Reply overDead = call("POST", "/nginx/proxy-hosts", token, host("b.example.com"));

    assertThat(proxy.status()).isEqualTo(400);
    assertThat(message(proxy)).isEqualTo("A.example.com is already in use");
    assertThat(overDead.status()).isEqualTo(400);
  }

  @Test
  void npmMergesItsKeysIntoMetaAndEveryHostConformsToTheContract() throws IOException {
    Map<String, Object> body = new java.util.HashMap<>(host("a.example.com"));
    body.put("meta", Map.of("mine", "kept"));
    JsonNode created = call("POST", "/nginx/proxy-hosts", token, body).body();

    assertThat(created.get("meta").get("mine").asText()).isEqualTo("kept");
    assertThat(created.get("meta").get("nginx_online").asBoolean()).isTrue();
    assertThat(created.get("meta").has("nginx_err")).isTrue();
    assertThat(conforms("GET /nginx/proxy-hosts/{hostID}", created)).isEmpty();
    JsonNode list = call("GET", "/nginx/proxy-hosts", token, null).body();
    assertThat(conforms("GET /nginx/proxy-hosts", list)).isEmpty();
    JsonNode refreshed = call("GET", "/tokens", token, null).body();
    assertThat(conforms("GET /tokens", refreshed)).isEmpty();
  }

  @Test
  void enablingAnEnabledHostIs400AndAMissingHostIs404() throws IOException {
    int id =
        call("POST", "/nginx/proxy-hosts", token, host("a.example.com")).body().get("id").asInt();

    assertThat(call("POST", "/nginx/proxy-hosts/" + id + "/enable", token, null).status())
        .isEqualTo(400);
    assertThat(call("POST", "/nginx/proxy-hosts/" + id + "/disable", token, null).status())
        .isEqualTo(200);
    assertThat(call("DELETE", "/nginx/proxy-hosts/" + id, token, null).status()).isEqualTo(200);
    assertThat(call("GET", "/nginx/proxy-hosts/" + id, token, null).status()).isEqualTo(404);
  }

  @Test
  void readsAndWritesAreCountedApart() throws IOException {
    long reads = npm.server().reads();
    long writes = npm.server().writes();

    call("GET", "/nginx/proxy-hosts", token, null);
    call("POST", "/nginx/proxy-hosts", token, host("a.example.com"));

    assertThat(npm.server().reads()).isEqualTo(reads + 1);
    assertThat(npm.server().writes()).isEqualTo(writes + 1);
  }

  private static java.util.List<String> conforms(String operation, JsonNode body) {
    return ContractFacts.violations(FACTS.operation(operation).get("response200"), body);
  }
}
