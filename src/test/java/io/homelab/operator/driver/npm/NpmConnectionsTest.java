package io.homelab.operator.driver.npm;

import static org.assertj.core.api.Assertions.assertThat;

import io.homelab.operator.testing.ManualClock;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A driver per NPM URL and login, kept while they stay the same. */
class NpmConnectionsTest {

  private final NpmConnections connections = new NpmConnections(new ManualClock());
  private final URI url = URI.create("http://127.0.0.1:81/api");
  private final Duration timeout = Duration.ofSeconds(5);

  @Test
  void theSameUrlAndLoginGetTheSameDriver() {
    NpmDriver first = connections.forUrl(url, new NpmCredentials("a@example.com", "s"), timeout);

    assertThat(connections.forUrl(url, new NpmCredentials("a@example.com", "s"), timeout))
        .isSameAs(first);
  }

  @Test
  void aChangedSecretOrAForgottenUrlGetsANewDriver() {
    NpmDriver first = connections.forUrl(url, new NpmCredentials("a@example.com", "s"), timeout);

    assertThat(connections.forUrl(url, new NpmCredentials("a@example.com", "t"), timeout))
        .isNotSameAs(first);
    connections.forget(url);
    assertThat(connections.forUrl(url, new NpmCredentials("a@example.com", "s"), timeout))
        .isNotSameAs(first);
  }
}
