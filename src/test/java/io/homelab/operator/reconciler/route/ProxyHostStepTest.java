package io.homelab.operator.reconciler.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.homelab.operator.api.LocalObjectRef;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.guest.GuestStatus;
import io.homelab.operator.api.route.Backend;
import io.homelab.operator.api.route.BackendScheme;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.route.RouteSpec;
import io.homelab.operator.driver.npm.ProxyHostSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What NPM is asked to forward a Route to. */
class ProxyHostStepTest {

  @Test
  void aGuestsFirstAddressWithoutItsPrefixAndTheRoutesPort() {
    Backend backend = new Backend();
    backend.setGuestRef(new LocalObjectRef("app"));
    backend.setPort(8080);
    Guest guest = new Guest();
    GuestStatus status = new GuestStatus();
    status.setAddresses(List.of("192.168.1.30/24", "192.168.1.31"));
    guest.setStatus(status);

    ProxyHostSpec spec = ProxyHostStep.spec(route(backend), guest);

    assertThat(spec)
        .isEqualTo(new ProxyHostSpec("app.example.com", "http", "192.168.1.30", 8080, false, true));
  }

  @Test
  void aPlainAddressIncludingIpv6InBrackets() {
    Backend backend = new Backend();
    backend.setAddress("[fd00::5]:8443");
    backend.setScheme(BackendScheme.HTTPS);
    Route route = route(backend);
    route.getSpec().setWebsockets(true);
    route.getSpec().setBlockExploits(false);

    assertThat(ProxyHostStep.spec(route, null))
        .isEqualTo(new ProxyHostSpec("app.example.com", "https", "fd00::5", 8443, true, false));
  }

  private static Route route(Backend backend) {
    Route route = new Route();
    route.setMetadata(new ObjectMetaBuilder().withName("app").withNamespace("web").build());
    RouteSpec spec = new RouteSpec();
    spec.setHostname("app.example.com");
    spec.setBackend(backend);
    route.setSpec(spec);
    return route;
  }
}
