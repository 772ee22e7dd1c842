package io.homelab.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.homelab.operator.api.SecretKeyRef;
import io.homelab.operator.api.SecretRef;
import io.homelab.operator.api.SshAccess;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeDns;
import io.homelab.operator.api.edge.EdgeSpec;
import io.homelab.operator.api.edge.EdgeWireGuard;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.guest.GuestSpec;
import io.homelab.operator.api.guest.ProxmoxConnection;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.route.RouteAccess;
import io.homelab.operator.api.route.RouteSpec;
import io.homelab.operator.api.tunnel.HomeMode;
import io.homelab.operator.api.tunnel.ProxyManager;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.api.tunnel.TunnelHome;
import io.homelab.operator.api.tunnel.TunnelSpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SecretUsesTest {

  @Test
  void anEdgeNamesItsSshKeyItsWireGuardKeyAndItsDnsToken() {
    EdgeSpec spec = new EdgeSpec();
    spec.setSsh(ssh("vps-ssh", "id_ed25519"));
    EdgeWireGuard wireguard = new EdgeWireGuard();
    wireguard.setPrivateKeySecretRef(new SecretKeyRef("vps-wg", "privatekey"));
    spec.setWireguard(wireguard);
    EdgeDns dns = new EdgeDns();
    dns.setApiTokenSecretRef(new SecretKeyRef("cloudflare", "token"));
    spec.setDns(dns);

    assertThat(SecretUses.of(edge(spec)))
        .containsExactly(
            new SecretUse("vps-ssh", List.of("id_ed25519"), "spec.ssh.privateKeySecretRef"),
            new SecretUse("vps-wg", List.of("privatekey"), "spec.wireguard.privateKeySecretRef"),
            new SecretUse("cloudflare", List.of("token"), "spec.dns.apiTokenSecretRef"));
  }

  @Test
  void anEdgeWithAGeneratedWireGuardKeyAndNoDnsNamesOnlyItsSshKey() {
    EdgeSpec spec = new EdgeSpec();
    spec.setSsh(ssh("vps-ssh", "id_ed25519"));
    spec.setWireguard(new EdgeWireGuard());

    assertThat(SecretUses.of(edge(spec)))
        .containsExactly(
            new SecretUse("vps-ssh", List.of("id_ed25519"), "spec.ssh.privateKeySecretRef"));
  }

  @Test
  void aTunnelNamesItsNpmCredentialsAndItsHomeSshKey() {
    TunnelSpec spec = new TunnelSpec();
    ProxyManager npm = new ProxyManager();
    npm.setCredentialsSecretRef(new SecretRef("npm"));
    spec.setProxyManager(npm);
    TunnelHome home = new TunnelHome();
    home.setMode(HomeMode.SSH);
    home.setSsh(ssh("home-ssh", "key"));
    spec.setHome(home);

    assertThat(SecretUses.of(tunnel(spec)))
        .containsExactly(
            new SecretUse(
                "npm", List.of("identity", "secret"), "spec.proxyManager.credentialsSecretRef"),
            new SecretUse("home-ssh", List.of("key"), "spec.home.ssh.privateKeySecretRef"));
  }

  @Test
  void aTunnelInSecretModeWithoutNpmNamesNoSecret() {
    TunnelSpec spec = new TunnelSpec();
    TunnelHome home = new TunnelHome();
    home.setMode(HomeMode.Secret);
    // The Secret the operator writes the home config into is an output, not a reference.
    home.setSecretName("home-wg");
    spec.setHome(home);

    assertThat(SecretUses.of(tunnel(spec))).isEmpty();
    assertThat(SecretUses.of(tunnel(new TunnelSpec()))).isEmpty();
  }

  @Test
  void aRouteNamesItsBasicAuthSecretWithUsernameAndPassword() {
    RouteSpec spec = new RouteSpec();
    RouteAccess access = new RouteAccess();
    access.setBasicAuthSecretRef(new SecretRef("app-auth"));
    spec.setAccess(access);

    assertThat(SecretUses.of(route(spec)))
        .containsExactly(
            new SecretUse(
                "app-auth", List.of("username", "password"), "spec.access.basicAuthSecretRef"));
  }

  @Test
  void aRouteWithoutBasicAuthNamesNoSecret() {
    RouteSpec cidrsOnly = new RouteSpec();
    RouteAccess access = new RouteAccess();
    access.setAllowedCidrs(List.of("192.168.0.0/16"));
    cidrsOnly.setAccess(access);

    assertThat(SecretUses.of(route(cidrsOnly))).isEmpty();
    assertThat(SecretUses.of(route(new RouteSpec()))).isEmpty();
  }

  @Test
  void aGuestNamesItsProxmoxConnection() {
    GuestSpec spec = new GuestSpec();
    ProxmoxConnection proxmox = new ProxmoxConnection();
    proxmox.setConnectionSecretRef(new SecretRef("pve"));
    spec.setProxmox(proxmox);

    // caBundle and fingerprint are alternatives, so they are checked by the Guest reconciler.
    assertThat(SecretUses.of(guest(spec)))
        .containsExactly(
            new SecretUse(
                "pve",
                List.of("url", "tokenId", "tokenSecret"),
                "spec.proxmox.connectionSecretRef"));
  }

  @ParameterizedTest
  @MethodSource
  void objectsWithoutSpecOrOfOtherKindsNameNoSecret(HasMetadata object) {
    assertThat(SecretUses.of(object)).isEmpty();
    assertThat(SecretUses.names(object)).isEmpty();
  }

  static Stream<HasMetadata> objectsWithoutSpecOrOfOtherKindsNameNoSecret() {
    return Stream.of(
        edge(null),
        tunnel(null),
        route(null),
        guest(null),
        guest(new GuestSpec()),
        edge(new EdgeSpec()),
        new ConfigMap());
  }

  @Test
  void namesListsASecretUsedTwiceOnce() {
    EdgeSpec spec = new EdgeSpec();
    spec.setSsh(ssh("vps", "ssh-key"));
    EdgeDns dns = new EdgeDns();
    dns.setApiTokenSecretRef(new SecretKeyRef("vps", "cloudflare-token"));
    spec.setDns(dns);
    Edge edge = edge(spec);

    assertThat(SecretUses.of(edge)).hasSize(2);
    assertThat(SecretUses.names(edge)).containsExactly("vps");
  }

  private static SshAccess ssh(String secret, String key) {
    SshAccess ssh = new SshAccess();
    ssh.setHost("vps.example.com");
    ssh.setPrivateKeySecretRef(new SecretKeyRef(secret, key));
    return ssh;
  }

  private static Edge edge(EdgeSpec spec) {
    Edge edge = new Edge();
    edge.setMetadata(new ObjectMetaBuilder().withNamespace("infra").withName("vps").build());
    edge.setSpec(spec);
    return edge;
  }

  private static Tunnel tunnel(TunnelSpec spec) {
    Tunnel tunnel = new Tunnel();
    tunnel.setMetadata(new ObjectMetaBuilder().withNamespace("infra").withName("home").build());
    tunnel.setSpec(spec);
    return tunnel;
  }

  private static Route route(RouteSpec spec) {
    Route route = new Route();
    route.setMetadata(new ObjectMetaBuilder().withNamespace("apps").withName("app").build());
    route.setSpec(spec);
    return route;
  }

  private static Guest guest(GuestSpec spec) {
    Guest guest = new Guest();
    guest.setMetadata(new ObjectMetaBuilder().withNamespace("apps").withName("web").build());
    guest.setSpec(spec);
    return guest;
  }
}
