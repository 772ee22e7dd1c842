package io.homelab.operator.driver.npm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homelab.operator.driver.JsonHttp;
import io.homelab.operator.model.OwnerMarker;
import io.homelab.operator.sandbox.npm.NpmSimulator;
import io.homelab.operator.sandbox.npm.NpmSimulator.HostKind;
import io.homelab.operator.testing.ManualClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The NPM driver against the NPM simulator: every operation and every way NPM fails. */
class HttpNpmDriverTest {

  private static final OwnerMarker OWNER = new OwnerMarker("test", "Route", "apps", "web");
  private static final ProxyHostSpec SPEC =
      new ProxyHostSpec("app.example.com", "http", "192.168.1.20", 8080, true, false);

  private final ManualClock clock = new ManualClock();
  private NpmSimulator npm;
  private HttpNpmDriver driver;

  @BeforeEach
  void start() {
    npm = new NpmSimulator(clock);
    npm.addUser("admin@example.com", "changeme", false);
    driver = driver(clock, Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    npm.close();
  }

  private HttpNpmDriver driver(java.time.Clock driverClock, Duration timeout) {
    return new HttpNpmDriver(
        npm.apiUrl(), new NpmCredentials("admin@example.com", "changeme"), driverClock, timeout);
  }

  private HttpNpmDriver driverFor(String identity, String secret) {
    return new HttpNpmDriver(
        npm.apiUrl(), new NpmCredentials(identity, secret), clock, Duration.ofSeconds(5));
  }

  private ObjectNode onlyHost() {
    assertThat(npm.hosts(HostKind.PROXY)).hasSize(1);
    return npm.hosts(HostKind.PROXY).values().iterator().next();
  }

  @Test
  void ensureCreatesOneHostWithTheForwardFieldsAndTheMarkerInMeta() {
    ProxyHost host = driver.ensure(SPEC, OWNER);

    ObjectNode stored = onlyHost();
    assertThat(host.id()).isEqualTo(stored.get("id").asInt());
    assertThat(stored.get("domain_names").toString()).isEqualTo("[\"app.example.com\"]");
    assertThat(stored.get("forward_scheme").asText()).isEqualTo("http");
    assertThat(stored.get("forward_host").asText()).isEqualTo("192.168.1.20");
    assertThat(stored.get("forward_port").asInt()).isEqualTo(8080);
    assertThat(stored.get("allow_websocket_upgrade").asBoolean()).isTrue();
    assertThat(stored.get("block_exploits").asBoolean()).isFalse();
    assertThat(stored.get("trust_forwarded_proto").asBoolean()).isTrue();
    assertThat(stored.get("ssl_forced").asBoolean()).isFalse();
    assertThat(stored.get("meta").get(ProxyHost.OWNER_KEY).asText()).isEqualTo(OWNER.text());
    assertThat(host.owner()).isEqualTo(OWNER.text());
    assertThat(host.online()).isTrue();
    assertThat(host.nginxError()).isNull();
  }

  @Test
  void ensureAtSteadyStateWritesNothing() {
    driver.ensure(SPEC, OWNER);
    long writes = npm.server().writes();

    ProxyHost again = driver.ensure(SPEC, OWNER);

    assertThat(npm.server().writes()).isEqualTo(writes);
    assertThat(again.id()).isEqualTo(onlyHost().get("id").asInt());
  }

  @Test
  void aNewPortIsOneUpdateThatKeepsNpmsKeysInMeta() {
    driver.ensure(SPEC, OWNER);
    long writes = npm.server().writes();

    ProxyHost host =
        driver.ensure(
            new ProxyHostSpec("app.example.com", "http", "192.168.1.20", 9090, true, false), OWNER);

    assertThat(npm.server().writes()).isEqualTo(writes + 1);
    assertThat(host.forwardPort()).isEqualTo(9090);
    assertThat(onlyHost().get("meta").fieldNames())
        .toIterable()
        .contains(ProxyHost.OWNER_KEY, "nginx_online", "nginx_err");
  }

  @Test
  void anUpdateKeepsEveryKeyOthersPutInMeta() {
    ObjectNode fields =
        JsonHttp.JSON
            .createObjectNode()
            .put("forward_scheme", "http")
            .put("forward_host", "192.168.1.20")
            .put("forward_port", 80);
    fields.putObject("meta").put(ProxyHost.OWNER_KEY, OWNER.text()).put("letsencrypt_agree", false);
    npm.seed(HostKind.PROXY, "app.example.com", fields);

    driver.ensure(SPEC, OWNER);

    ObjectNode meta = (ObjectNode) onlyHost().get("meta");
    assertThat(onlyHost().get("forward_port").asInt()).isEqualTo(8080);
    assertThat(meta.get("letsencrypt_agree").asBoolean(true)).isFalse();
    assertThat(meta.get(ProxyHost.OWNER_KEY).asText()).isEqualTo(OWNER.text());
  }

  @Test
  void sslForcedByHandOnOurHostIsTurnedOffAgain() {
    ObjectNode fields =
        JsonHttp.JSON
            .createObjectNode()
            .put("forward_scheme", "http")
            .put("forward_host", "192.168.1.20")
            .put("forward_port", 8080)
            .put("allow_websocket_upgrade", true)
            .put("trust_forwarded_proto", true)
            .put("ssl_forced", true);
    fields.putObject("meta").put(ProxyHost.OWNER_KEY, OWNER.text());
    npm.seed(HostKind.PROXY, "app.example.com", fields);

    driver.ensure(SPEC, OWNER);

    assertThat(onlyHost().get("ssl_forced").asBoolean()).isFalse();
  }

  @Test
  void proxyHostReadsOneHostBack() {
    ProxyHost created = driver.ensure(SPEC, OWNER);

    assertThat(driver.proxyHost(created.id())).isEqualTo(created);
  }

  @Test
  void aTokenIsRenewedBeforeItExpiresWithoutANewLogin() {
    npm.tokenLifetime(Duration.ofHours(24));
    driver.inventory();
    clock.advance(Duration.ofHours(23));
    long writes = npm.server().writes();

    driver.inventory();

    // The renewal is GET /api/tokens, a read: no second login (a POST) was needed.
    assertThat(npm.tokensIssued()).isEqualTo(2);
    assertThat(npm.server().writes()).isEqualTo(writes);
  }

  @Test
  void aTokenThatExpiredMidRunIsReplacedByANewLogin() {
    npm.tokenLifetime(Duration.ofHours(24));
    driver.ensure(SPEC, OWNER);
    clock.advance(Duration.ofHours(25));

    driver.ensure(
        new ProxyHostSpec("app.example.com", "http", "192.168.1.20", 9090, true, false), OWNER);

    assertThat(npm.tokensIssued()).isEqualTo(2);
    assertThat(onlyHost().get("forward_port").asInt()).isEqualTo(9090);
  }

  @Test
  void aTokenNpmRefusesEarlyCostsOneLoginAndTheCallSucceeds() {
    // NPM's clock runs ahead of the driver's: the driver believes its token valid, NPM answers 400
    // Token has expired.
    ManualClock driverClock = new ManualClock(clock.instant());
    driver = driver(driverClock, Duration.ofSeconds(5));
    driver.inventory();
    clock.advance(Duration.ofHours(25));

    assertThat(driver.inventory().proxyHosts()).isEmpty();
    assertThat(npm.tokensIssued()).isEqualTo(2);
  }

  @Test
  void anAccountWithTwoFactorIsATypedError() {
    npm.addUser("2fa@example.com", "changeme", true);
    HttpNpmDriver twoFactor = driverFor("2fa@example.com", "changeme");

    assertThatThrownBy(twoFactor::inventory).isInstanceOf(NpmException.TwoFactorRequired.class);
  }

  @Test
  void wrongCredentialsAreRejected() {
    HttpNpmDriver wrong = driverFor("admin@example.com", "wrong");

    assertThatThrownBy(wrong::inventory)
        .isInstanceOf(NpmException.LoginRefused.class)
        .hasMessage("NPM refused the login of admin@example.com: Invalid email or password");
  }

  @Test
  void aUrlThatIsNotNpmsApiIsSaidToBeSo() throws Exception {
    var page =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    page.createContext(
        "/",
        x -> {
          byte[] html = "<html>NPM's login page</html>".getBytes();
          x.sendResponseHeaders(200, html.length);
          x.getResponseBody().write(html);
          x.close();
        });
    page.start();
    try {
      String base = "http://127.0.0.1:" + page.getAddress().getPort();
      HttpNpmDriver notNpm =
          new HttpNpmDriver(
              java.net.URI.create(base + "/api"),
              new NpmCredentials("admin@example.com", "x"),
              clock,
              Duration.ofSeconds(5));
      assertThatThrownBy(notNpm::inventory)
          .isInstanceOf(NpmException.NotNpm.class)
          .hasMessageContaining(base + "/api answered /tokens with no token")
          .hasMessageContaining("not the API of Nginx Proxy Manager");
    } finally {
      page.stop(0);
    }
  }

  @Test
  void a500AfterSavingLeavesExactlyOneHost() {
    npm.failAfterSave(1);

    ProxyHost host = driver.ensure(SPEC, OWNER);
    driver.ensure(SPEC, OWNER);

    assertThat(host.id()).isEqualTo(onlyHost().get("id").asInt());
  }

  @Test
  void a500WithNothingSavedIsUnavailable() {
    npm.server().failNext(1, 502);
    NpmInventory empty =
        new NpmInventory(java.util.List.of(), java.util.List.of(), java.util.List.of());

    assertThatThrownBy(() -> driver.ensure(empty, SPEC, OWNER))
        .isInstanceOf(NpmException.Unavailable.class);
  }

  @ParameterizedTest
  @EnumSource(HostKind.class)
  void aDomainHeldByAForeignHostIsAConflictAndThatHostIsUntouched(HostKind kind) {
    ObjectNode fields = JsonHttp.JSON.createObjectNode();
    if (kind == HostKind.PROXY) {
      fields.put("forward_host", "10.0.0.9").put("forward_port", 80);
    } else if (kind == HostKind.REDIRECTION) {
      fields.put("forward_http_code", 301).put("forward_domain_name", "elsewhere.example.com");
    }
    int id = npm.seed(kind, "app.example.com", fields);
    Map<Integer, ObjectNode> before = npm.hosts(kind);
    long writes = npm.server().writes();

    assertThatThrownBy(() -> driver.ensure(SPEC, OWNER))
        .isInstanceOfSatisfying(
            NpmException.Conflict.class,
            e -> {
              assertThat(e.domain()).isEqualTo("app.example.com");
              assertThat(e.holder()).endsWith(" host " + id);
            });
    assertThat(npm.hosts(kind)).isEqualTo(before);
    // Only the login was written.
    assertThat(npm.server().writes()).isEqualTo(writes + 1);
    assertThat(driver.delete(driver.inventory(), "app.example.com", OWNER)).isFalse();
    assertThat(npm.hosts(kind)).isEqualTo(before);
  }

  @Test
  void aHostOfAnotherRouteOfThisInstallationIsAConflictToo() {
    driver.ensure(SPEC, new OwnerMarker("test", "Route", "apps", "other"));

    assertThatThrownBy(() -> driver.ensure(SPEC, OWNER)).isInstanceOf(NpmException.Conflict.class);
  }

  @Test
  void aConfigNginxRejectsShowsOfflineWithNpmsMessage() {
    npm.failNginx("app.example.com", "nginx: [emerg] host not found in upstream");

    ProxyHost host = driver.ensure(SPEC, OWNER);

    assertThat(host.online()).isFalse();
    assertThat(host.nginxError()).isEqualTo("nginx: [emerg] host not found in upstream");
    assertThat(driver.proxyHost(host.id()).online()).isFalse();
  }

  @Test
  void disableKeepsTheHostAndEnsureEnablesItAgain() {
    driver.ensure(SPEC, OWNER);

    ProxyHost disabled = driver.disable(driver.inventory(), "app.example.com", OWNER).orElseThrow();
    assertThat(disabled.enabled()).isFalse();
    assertThat(onlyHost().get("enabled").asBoolean()).isFalse();
    long writes = npm.server().writes();
    assertThat(driver.disable(driver.inventory(), "app.example.com", OWNER)).isPresent();
    assertThat(npm.server().writes()).as("disabling twice writes once").isEqualTo(writes);

    assertThat(driver.ensure(SPEC, OWNER).enabled()).isTrue();
    assertThat(onlyHost().get("enabled").asBoolean()).isTrue();
  }

  /** The NPM user SECURITY.md asks for: proxy hosts managed, redirection and 404 hosts seen. */
  static final Map<String, String> LEAST =
      Map.of(
          "visibility", "all",
          "proxy_hosts", "manage",
          "redirection_hosts", "view",
          "dead_hosts", "view",
          "streams", "hidden",
          "access_lists", "hidden",
          "certificates", "hidden");

  /**
   * With exactly the permissions SECURITY.md names, everything the operator does in NPM works: the
   * inventory (proxy, redirection and 404 hosts), create, update, disable, delete. The simulator
   * holds each call to the scope the contract names for it.
   */
  @Test
  void theUserSecurityMdAsksForIsEnoughForEveryCall() throws Exception {
    npm.addUser("operator@example.com", "changeme", LEAST);
    HttpNpmDriver least = driverFor("operator@example.com", "changeme");

    ProxyHost created = least.ensure(SPEC, OWNER);
    assertThat(least.proxyHost(created.id()).forwardPort()).isEqualTo(8080);
    least.ensure(
        new ProxyHostSpec("app.example.com", "http", "192.168.1.20", 8081, true, false), OWNER);
    assertThat(onlyHost().get("forward_port").asInt()).isEqualTo(8081);
    assertThat(least.disable(least.inventory(), "app.example.com", OWNER)).isPresent();
    assertThat(least.delete(least.inventory(), "app.example.com", OWNER)).isTrue();
    assertThat(npm.hosts(HostKind.PROXY)).isEmpty();

    String security =
        java.nio.file.Files.readString(java.nio.file.Path.of("SECURITY.md"))
            .replaceAll("\\s+", " ");
    assertThat(security)
        .as("SECURITY.md's NPM user")
        .contains("**Proxy Hosts: Manage**")
        .contains("visibility **All Items**")
        .contains("give **Redirection Hosts** and **404 Hosts** at least **View Only**")
        .contains("no access to certificates, streams, access lists or users");
  }

  /**
   * One level less anywhere the operator reads or writes is NPM's 403 on that call, and nothing is
   * written.
   */
  @ParameterizedTest(name = "{0}: {1}")
  @org.junit.jupiter.params.provider.CsvSource({
    "proxy_hosts, view",
    "proxy_hosts, hidden",
    "redirection_hosts, hidden",
    "dead_hosts, hidden"
  })
  void lessThanThatIsRefused(String section, String level) {
    Map<String, String> less = new java.util.HashMap<>(LEAST);
    less.put(section, level);
    npm.addUser("less@example.com", "changeme", less);
    HttpNpmDriver driver = driverFor("less@example.com", "changeme");

    // NPM answers 403 both to a token it does not know and to a missing permission.
    assertThatThrownBy(() -> driver.ensure(SPEC, OWNER)).hasMessageContaining("Permission Denied");
    assertThat(npm.hosts(HostKind.PROXY)).isEmpty();
  }

  @Test
  void disableWithoutAHostIsEmpty() {
    assertThat(driver.disable(driver.inventory(), "app.example.com", OWNER)).isEmpty();
  }

  @Test
  void deleteRemovesOurHostAndIsDoneWhenItIsGone() {
    driver.ensure(SPEC, OWNER);
    NpmInventory observed = driver.inventory();

    assertThat(driver.delete(observed, "app.example.com", OWNER)).isTrue();
    assertThat(npm.hosts(HostKind.PROXY)).isEmpty();
    // A stale inventory still names the host: NPM's 404 counts as done.
    assertThat(driver.delete(observed, "app.example.com", OWNER)).isFalse();
  }

  @Test
  void a5xxIsUnavailable() {
    npm.server().failNext(1, 503);

    assertThatThrownBy(driver::inventory).isInstanceOf(NpmException.Unavailable.class);
  }

  @Test
  void aTimeoutIsUnavailable() {
    driver = driver(clock, Duration.ofMillis(200));
    npm.server().hangNext(1);

    assertThatThrownBy(driver::inventory).isInstanceOf(NpmException.Unavailable.class);
  }
}
