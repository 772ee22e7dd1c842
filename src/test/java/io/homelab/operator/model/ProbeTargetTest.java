package io.homelab.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.homelab.operator.api.SecretRef;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeCaddy;
import io.homelab.operator.api.edge.EdgeSpec;
import io.homelab.operator.api.edge.PublicAddress;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.route.RouteAccess;
import io.homelab.operator.api.route.RouteProbe;
import io.homelab.operator.api.route.RouteSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbeTargetTest {

  private static final List<String> DEFAULTS = List.of("200-399");

  @ParameterizedTest
  @CsvSource({
    "'200-399', 200, true",
    "'200-399', 399, true",
    "'200-399', 400, false",
    "'2xx', 204, true",
    "'2xx', 301, false",
    "'401', 401, true",
    "'401', 403, false",
    "'204;3xx', 302, true",
    "'204;3xx', 200, false"
  })
  void expectedStatusesAcceptCodesClassesAndRanges(String items, int status, boolean accepted) {
    assertThat(ExpectedStatus.parse(List.of(items.split(";"))).accepts(status)).isEqualTo(accepted);
  }

  @Test
  void aReversedRangeOrAnUnknownFormIsRefusedWithTheItemNamed() {
    assertThatThrownBy(() -> ExpectedStatus.parse(List.of("399-200")))
        .hasMessage("the range '399-200' is empty: write the lower code first");
    assertThatThrownBy(() -> ExpectedStatus.parse(List.of("ok")))
        .hasMessage("'ok' is not a status code (200), class (2xx) or range (200-399)");
  }

  @Test
  void aRouteIsProbedAtItsEdgesPublicAddressOnPort443ByDefault() {
    ProbeTarget target = ProbeTarget.of(route(null), edge(null), DEFAULTS).target();

    assertThat(target)
        .isEqualTo(
            new ProbeTarget(
                "app.example.com", "203.0.113.10", 443, "/", ExpectedStatus.parse(DEFAULTS)));
    assertThat(target.url()).isEqualTo("https://app.example.com/");
    assertThat(target.via()).isEqualTo("203.0.113.10:443");
  }

  @ParameterizedTest
  @CsvSource({
    "':80;:443', 443",
    "':80;:8443', 8443",
    "'0.0.0.0:8443', 8443",
    "':80', 443",
    "'[::]:443;:9443', 443"
  })
  void theHttpsPortComesFromTheEdgesCaddyListenAddresses(String listen, int port) {
    assertThat(ProbeTarget.httpsPort(edge(List.of(listen.split(";"))))).isEqualTo(port);
  }

  @Test
  void theRoutesPathAndStatusesWinAndBasicAuthExpects401() {
    RouteProbe probe = new RouteProbe();
    probe.setPath("/healthz?full=1");
    probe.setExpectedStatus(List.of("204"));
    ProbeTarget own = ProbeTarget.of(route(probe), edge(List.of(":8443")), DEFAULTS).target();
    assertThat(own.url()).isEqualTo("https://app.example.com:8443/healthz?full=1");
    assertThat(own.expected().toString()).isEqualTo("204");

    Route guarded = route(null);
    RouteAccess access = new RouteAccess();
    access.setBasicAuthSecretRef(new SecretRef("app-login"));
    guarded.getSpec().setAccess(access);
    assertThat(ProbeTarget.of(guarded, edge(null), DEFAULTS).target().expected().toString())
        .isEqualTo("401");
  }

  @Test
  void whatCannotBeProbedSaysWhy() {
    RouteProbe probe = new RouteProbe();
    probe.setExpectedStatus(List.of("500-200"));
    assertThat(ProbeTarget.of(route(probe), edge(null), DEFAULTS).problem())
        .isEqualTo(
            "spec.probe.expectedStatus: the range '500-200' is empty: write the lower code first");

    Edge bare = edge(null);
    bare.getSpec().setPublicAddress(new PublicAddress());
    assertThat(ProbeTarget.of(route(null), bare, DEFAULTS).problem())
        .isEqualTo("Edge vps has no public address");
  }

  @Test
  void onlyAnExplicitFalseTurnsTheProbeOff() {
    assertThat(ProbeTarget.wanted(route(null))).isTrue();
    RouteProbe off = new RouteProbe();
    off.setEnabled(false);
    assertThat(ProbeTarget.wanted(route(off))).isFalse();
  }

  private static Route route(RouteProbe probe) {
    Route route = new Route();
    route.getMetadata().setName("app");
    route.getMetadata().setNamespace("homelab");
    RouteSpec spec = new RouteSpec();
    spec.setHostname("app.example.com");
    spec.setProbe(probe);
    route.setSpec(spec);
    return route;
  }

  private static Edge edge(List<String> listen) {
    Edge edge = new Edge();
    edge.getMetadata().setName("vps");
    EdgeSpec spec = new EdgeSpec();
    PublicAddress address = new PublicAddress();
    address.setIpv4("203.0.113.10");
    spec.setPublicAddress(address);
    EdgeCaddy caddy = new EdgeCaddy();
    caddy.setListen(listen);
    spec.setCaddy(caddy);
    edge.setSpec(spec);
    return edge;
  }
}
