package io.homelab.operator.observability;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.config.OperatorSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the Kubernetes API answers a list of one Edge (in the first watched namespace, or in
 * all), as the operator's own permissions allow. The answer is kept for {@value #KEEP_SECONDS}
 * seconds, so frequent probes cost one request per that time. The informers' health is the operator
 * framework's own readiness check beside this one.
 */
@Readiness
@ApplicationScoped
public class KubernetesApiReadiness implements HealthCheck {

  static final String NAME = "Kubernetes API";
  static final long KEEP_SECONDS = 10;

  private record Answer(Instant at, HealthCheckResponse response) {}

  @Inject KubernetesClient client;
  @Inject OperatorSettings settings;
  @Inject Clock clock;

  private volatile Answer last;

  @Override
  public HealthCheckResponse call() {
    Answer answer = last;
    Instant now = clock.instant();
    if (answer == null || answer.at().plus(Duration.ofSeconds(KEEP_SECONDS)).isBefore(now)) {
      answer = new Answer(now, ask());
      last = answer;
    }
    return answer.response();
  }

  private HealthCheckResponse ask() {
    try {
      var edges = client.resources(Edge.class);
      var listOne = new ListOptionsBuilder().withLimit(1L).build();
      String namespace =
          settings.watchedNamespaces().filter(n -> !n.isEmpty()).map(n -> n.get(0)).orElse(null);
      if (namespace == null) {
        edges.inAnyNamespace().list(listOne);
      } else {
        edges.inNamespace(namespace).list(listOne);
      }
      return HealthCheckResponse.named(NAME).up().withData("server", server()).build();
    } catch (RuntimeException e) {
      return HealthCheckResponse.named(NAME)
          .down()
          .withData("server", server())
          .withData("error", String.valueOf(e.getMessage()))
          .build();
    }
  }

  private String server() {
    return String.valueOf(client.getMasterUrl());
  }
}
