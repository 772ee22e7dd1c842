package io.homelab.operator.driver.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rendering and reading of the WireGuard texts, without any program. */
class WireGuardTextTest {

  static final String KEY_A = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
  static final String KEY_B = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
  static final String KEY_C = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=";

  @Test
  void rendersTheHeaderTheInterfaceAndOnePeerPerTunnelWithItsMarker() {
    InterfaceConfig config =
        new InterfaceConfig(
            "homelab-operator:test/Edge/ns/vps",
            "10.77.0.1/24",
            51820,
            KEY_A,
            1420,
            List.of(
                new PeerConfig(
                    "homelab-operator:test/Tunnel/ns/home",
                    KEY_B,
                    List.of("10.77.0.2/32", "192.168.1.0/24"),
                    null,
                    null),
                new PeerConfig(null, KEY_C, List.of("10.77.0.3/32"), "203.0.113.10:51820", 25)));
    assertThat(config.render())
        .isEqualTo(
            """
            # Managed by homelab-operator: edits here are overwritten.
            # Owner: homelab-operator:test/Edge/ns/vps
            [Interface]
            Address = 10.77.0.1/24
            ListenPort = 51820
            PrivateKey = %s
            MTU = 1420

            # homelab-operator:test/Tunnel/ns/home
            [Peer]
            PublicKey = %s
            AllowedIPs = 10.77.0.2/32, 192.168.1.0/24

            [Peer]
            PublicKey = %s
            AllowedIPs = 10.77.0.3/32
            Endpoint = 203.0.113.10:51820
            PersistentKeepalive = 25
            """
                .formatted(KEY_A, KEY_B, KEY_C));
    assertThat(InterfaceConfig.isOurs(config.render(), "homelab-operator:test/Edge/ns/vps"))
        .isTrue();
    assertThat(InterfaceConfig.ownerOf(config.render()))
        .isEqualTo("homelab-operator:test/Edge/ns/vps");
    // Another installation's file, or another Edge's, with the same header: not ours.
    assertThat(InterfaceConfig.isOurs(config.render(), "homelab-operator:other/Edge/ns/vps"))
        .isFalse();
    assertThat(InterfaceConfig.isOurs(config.render(), "homelab-operator:test/Edge/ns/vps2"))
        .isFalse();
    assertThat(InterfaceConfig.peersOf(config.render())).isEqualTo(config.peers());
  }

  @Test
  void aConfigWithoutOurHeaderIsSomeoneElses() {
    String foreign =
        """
        [Interface]
        PrivateKey = %s
        # a comment of the admin
        [Peer]
        PublicKey = %s
        AllowedIPs = 10.9.0.2/32,10.9.1.0/24
        """
            .formatted(KEY_A, KEY_B);
    String owner = "homelab-operator:test/Edge/ns/vps";
    assertThat(InterfaceConfig.isOurs(foreign, owner)).isFalse();
    assertThat(InterfaceConfig.isOurs(null, owner)).isFalse();
    assertThat(InterfaceConfig.isOurs("# Managed by homelab-operator", owner)).isFalse();
    assertThat(InterfaceConfig.ownerOf(foreign)).isNull();
    assertThat(InterfaceConfig.peersOf(foreign))
        .containsExactly(
            new PeerConfig(
                "a comment of the admin",
                KEY_B,
                List.of("10.9.0.2/32", "10.9.1.0/24"),
                null,
                null));
  }

  @Test
  void readsTheDumpOfWgShow() {
    String dump =
        String.join(
            "\n",
            String.join("\t", KEY_A, KEY_B, "51820", "off"),
            String.join(
                "\t",
                KEY_C,
                "(none)",
                "10.213.1.2:40123",
                "10.77.0.2/32,192.168.1.0/24",
                "1764322000",
                "1234",
                "5678",
                "25"),
            String.join("\t", KEY_B, "(none)", "(none)", "(none)", "0", "0", "0", "off"),
            "");
    WireGuardDump parsed = WireGuardDump.parse(dump).orElseThrow();
    assertThat(parsed.publicKey()).isEqualTo(KEY_B);
    assertThat(parsed.listenPort()).isEqualTo(51820);
    assertThat(parsed.peers())
        .containsExactly(
            new PeerState(
                KEY_C,
                "10.213.1.2:40123",
                List.of("10.77.0.2/32", "192.168.1.0/24"),
                Instant.ofEpochSecond(1764322000),
                1234,
                5678),
            new PeerState(KEY_B, null, List.of(), null, 0, 0));
    assertThat(WireGuardDump.parse("")).isEmpty();
    assertThatThrownBy(() -> WireGuardDump.parse("garbage"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsOneObservationOfAHost() {
    String mark = WireGuardHost.MARK;
    String output =
        String.join(
            "\n",
            mark + "missing",
            "wg-quick",
            mark + "config",
            "[Interface]",
            "",
            mark + "link",
            "7: wg0: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1420 qdisc fq_codel state UNKNOWN",
            mark + "dump",
            String.join("\t", KEY_A, KEY_B, "51820", "off"),
            mark + "routes",
            "192.168.1.0/24 scope link ",
            "10.9.0.0/16 scope link ",
            "");
    WireGuardHost host = WireGuardHost.parse(output);
    assertThat(host.missingTools()).containsExactly("wg-quick");
    assertThat(host.config()).isEqualTo("[Interface]\n");
    assertThat(host.linkExists()).isTrue();
    assertThat(host.linkUp()).isTrue();
    assertThat(host.dump()).isPresent();
    assertThat(host.routes()).containsExactly("192.168.1.0/24", "10.9.0.0/16");

    WireGuardHost down =
        WireGuardHost.parse(
            String.join(
                "\n",
                mark + "missing",
                mark + "link",
                "7: wg0: <POINTOPOINT,NOARP> mtu 1420 qdisc noop state DOWN",
                mark + "dump",
                mark + "routes",
                ""));
    assertThat(down.config()).isNull();
    assertThat(down.linkExists()).isTrue();
    assertThat(down.linkUp()).isFalse();

    WireGuardHost absent =
        WireGuardHost.parse(String.join("\n", mark + "missing", mark + "link", mark + "dump", ""));
    assertThat(absent.linkExists()).isFalse();
    assertThat(absent.dump()).isEmpty();
  }

  @Test
  void theApplyScriptQuotesEveryValueAndDeletesOnlyStaleRoutes() {
    String script =
        WireGuardScripts.apply(
            "/etc/wireguard",
            "wg0",
            "10.77.0.1/24",
            1420,
            List.of("10.0.0.0/8"),
            List.of("10.1.0.0/16"),
            false);
    assertThat(script)
        .contains("umask 077")
        .contains("wg-quick strip '/etc/wireguard/wg0.conf' | wg syncconf 'wg0' /dev/stdin")
        .contains("ip route replace '10.0.0.0/8' dev 'wg0'")
        .contains("ip route del '10.1.0.0/16' dev 'wg0'")
        .contains("ip link set dev 'wg0' mtu 1420");
  }
}
