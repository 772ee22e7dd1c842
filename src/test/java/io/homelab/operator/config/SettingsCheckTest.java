package io.homelab.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsCheckTest {

  @ParameterizedTest
  @ValueSource(strings = {"home", "a", "0", "home-lab-2", "abcdefghijklmnopqrstuvwxyz012345"})
  void aValidOwnerIdHasNoProblem(String ownerId) {
    assertThat(SettingsCheck.problems(settings(ownerId))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Home",
        "HOME",
        "abcdefghijklmnopqrstuvwxyz0123456", // 33 characters
        "-home",
        "home-",
        "",
        "home lab",
        "home_lab",
        "home.lab"
      })
  void anInvalidOwnerIdIsNamed(String ownerId) {
    assertThat(SettingsCheck.problems(settings(ownerId)))
        .singleElement()
        .asString()
        .contains("homelab.owner-id")
        .contains("'" + ownerId + "'");
  }

  @Test
  void theLengthLimitIsThirtyTwo() {
    assertThat(SettingsCheck.problems(settings("a".repeat(32)))).isEmpty();
    assertThat(SettingsCheck.problems(settings("a".repeat(33)))).hasSize(1);
  }

  @Test
  void validWatchedNamespacesHaveNoProblem() {
    assertThat(
            SettingsCheck.problems(
                new Settings("home", Optional.of(List.of("homelab", "team-a")), new FakePoll())))
        .isEmpty();
  }

  @Test
  void aBadWatchedNamespaceIsNamed() {
    List<String> problems =
        SettingsCheck.problems(
            new Settings(
                "home", Optional.of(List.of("homelab", "Bad_Namespace", "-x")), new FakePoll()));

    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).contains("homelab.watched-namespaces").contains("Bad_Namespace");
    assertThat(problems.get(1)).contains("homelab.watched-namespaces").contains("'-x'");
  }

  @Test
  void aPollIntervalUnderOneSecondIsNamed() {
    FakePoll poll = new FakePoll();
    poll.npm = Duration.ofMillis(999);
    poll.wireguard = Duration.ZERO;

    List<String> problems = SettingsCheck.problems(new Settings("home", Optional.empty(), poll));

    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).contains("homelab.poll.npm");
    assertThat(problems.get(1)).contains("homelab.poll.wireguard");
  }

  @Test
  void onePollSecondIsEnough() {
    FakePoll poll = new FakePoll();
    poll.proxmox = Duration.ofSeconds(1);
    poll.guestConfig = Duration.ofSeconds(1);
    poll.npm = Duration.ofSeconds(1);
    poll.cloudflare = Duration.ofSeconds(1);
    poll.caddy = Duration.ofSeconds(1);
    poll.wireguard = Duration.ofSeconds(1);

    assertThat(SettingsCheck.problems(new Settings("home", Optional.empty(), poll))).isEmpty();
  }

  @Test
  void everyProblemIsReportedNotOnlyTheFirst() {
    FakePoll poll = new FakePoll();
    poll.cloudflare = Duration.ofMillis(10);

    List<String> problems =
        SettingsCheck.problems(new Settings("Home", Optional.of(List.of("UPPER")), poll));

    assertThat(problems).hasSize(3);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 10s, clone-concurrency-per-node",
    "33, 10s, clone-concurrency-per-node",
    "2, 0.5s, request-timeout",
    "2, 6m, request-timeout"
  })
  void proxmoxSettingsOutOfRangeAreNamed(int concurrency, String timeout, String named) {
    OperatorSettings settings =
        new Settings(
            "home",
            Optional.empty(),
            new FakePoll(),
            new FakeProxmox(concurrency, Duration.parse("PT" + timeout.toUpperCase())));
    assertThat(SettingsCheck.problems(settings))
        .singleElement()
        .asString()
        .contains("homelab.proxmox." + named);
  }

  @Test
  void theCloudflareApiUrlMustBeHttp() {
    assertThat(SettingsCheck.problems(settings("bad-url")))
        .containsExactly(
            "homelab.cloudflare.api-url must be an http(s) URL, not 'ftp://cloudflare'");
  }

  @Test
  void theWireGuardSettingsAreChecked() {
    assertThat(
            SettingsCheck.problems(
                new Settings(
                    "home",
                    Optional.empty(),
                    new FakePoll(),
                    new FakeWireGuard(Duration.ofMinutes(2), "etc/wireguard"))))
        .containsExactly(
            "homelab.wireguard.handshake-max-age must be more than 2m (WireGuard renews a live"
                + " session's handshake every 2 minutes), not PT2M",
            "homelab.wireguard.config-dir must be an absolute path without quotes, not"
                + " 'etc/wireguard'");
  }

  @Test
  void theProbeSettingsAreChecked() {
    assertThat(SettingsCheck.problems(settings("bad-probe")))
        .containsExactly(
            "homelab.probe.timeout must be between PT0.1S and PT1M, not PT0S",
            "homelab.probe.expected-status: the range '399-200' is empty: write the lower code"
                + " first");
  }

  @Test
  void aProbeTimeoutMustBeShorterThanItsInterval() {
    assertThat(SettingsCheck.problems(settings("slow-probe")))
        .containsExactly(
            "homelab.probe.timeout (PT10S) must be shorter than homelab.probe.interval (PT5S)");
  }

  private static OperatorSettings settings(String ownerId) {
    return new Settings(ownerId, Optional.empty(), new FakePoll());
  }

  /** Settings as SmallRye Config would hand them over, without starting Quarkus. */
  private record Settings(
      String ownerId,
      Optional<List<String>> watchedNamespaces,
      FakePoll poll,
      OperatorSettings.Proxmox proxmox,
      OperatorSettings.WireGuard wireguard)
      implements OperatorSettings {

    Settings(String ownerId, Optional<List<String>> watchedNamespaces, FakePoll poll) {
      this(ownerId, watchedNamespaces, poll, new FakeProxmox(2, Duration.ofSeconds(10)));
    }

    Settings(
        String ownerId,
        Optional<List<String>> watchedNamespaces,
        FakePoll poll,
        OperatorSettings.Proxmox proxmox) {
      this(
          ownerId,
          watchedNamespaces,
          poll,
          proxmox,
          new FakeWireGuard(Duration.ofMinutes(3), "/etc/wireguard"));
    }

    Settings(
        String ownerId,
        Optional<List<String>> watchedNamespaces,
        FakePoll poll,
        OperatorSettings.WireGuard wireguard) {
      this(ownerId, watchedNamespaces, poll, new FakeProxmox(2, Duration.ofSeconds(10)), wireguard);
    }

    @Override
    public boolean dryRun() {
      return false;
    }

    @Override
    public OperatorSettings.Cloudflare cloudflare() {
      return new FakeCloudflare(
          java.net.URI.create(
              ownerId.equals("bad-url") ? "ftp://cloudflare" : "https://api.cloudflare.com/v4"),
          Duration.ofSeconds(10));
    }

    @Override
    public OperatorSettings.Npm npm() {
      return () -> Duration.ofSeconds(10);
    }

    @Override
    public OperatorSettings.Probe probe() {
      return new FakeProbe(
          ownerId.equals("slow-probe") ? Duration.ofSeconds(5) : Duration.ofSeconds(60),
          ownerId.equals("bad-probe") ? Duration.ZERO : Duration.ofSeconds(10),
          ownerId.equals("bad-probe") ? List.of("2xx", "399-200") : List.of("200-399"));
    }
  }

  private record FakeProbe(Duration interval, Duration timeout, List<String> expectedStatus)
      implements OperatorSettings.Probe {
    @Override
    public boolean enabled() {
      return true;
    }

    @Override
    public Optional<java.nio.file.Path> caFile() {
      return Optional.empty();
    }
  }

  private record FakeCloudflare(java.net.URI apiUrl, Duration requestTimeout)
      implements OperatorSettings.Cloudflare {}

  /** Proxmox settings, defaults unless a test says otherwise. */
  private record FakeProxmox(int cloneConcurrencyPerNode, Duration requestTimeout)
      implements OperatorSettings.Proxmox {
    @Override
    public Duration taskPoll() {
      return Duration.ofSeconds(2);
    }
  }

  private record FakeWireGuard(Duration handshakeMaxAge, String configDir)
      implements OperatorSettings.WireGuard {}

  /** The defaults of {@link OperatorSettings.Poll}, each field open to change. */
  private static final class FakePoll implements OperatorSettings.Poll {
    Duration proxmox = Duration.ofSeconds(30);
    Duration guestConfig = Duration.ofMinutes(10);
    Duration npm = Duration.ofSeconds(60);
    Duration cloudflare = Duration.ofMinutes(5);
    Duration caddy = Duration.ofSeconds(60);
    Duration wireguard = Duration.ofSeconds(30);

    @Override
    public Duration proxmox() {
      return proxmox;
    }

    @Override
    public Duration guestConfig() {
      return guestConfig;
    }

    @Override
    public Duration npm() {
      return npm;
    }

    @Override
    public Duration cloudflare() {
      return cloudflare;
    }

    @Override
    public Duration caddy() {
      return caddy;
    }

    @Override
    public Duration wireguard() {
      return wireguard;
    }
  }
}
