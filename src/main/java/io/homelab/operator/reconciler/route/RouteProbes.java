package io.homelab.operator.reconciler.route;

import io.homelab.operator.api.Condition;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.config.OperatorSettings;
import io.homelab.operator.driver.probe.ProbeResult;
import io.homelab.operator.driver.probe.ProbeTrust;
import io.homelab.operator.driver.probe.RouteProber;
import io.homelab.operator.driver.probe.TlsSocketProber;
import io.homelab.operator.model.ProbeTarget;
import io.homelab.operator.model.Verdict;
import io.homelab.operator.status.ConditionStatus;
import io.homelab.operator.status.ConditionType;
import io.homelab.operator.status.Reason;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The end-to-end probes of Ready Routes. They start from the Route's reconcile, which JOSDK runs on
 * the leader only, so only the leader probes, with no leadership check of its own: each reconcile
 * of a Ready Route starts a probe when one is due (on a pool of its own, never on the reconcile
 * thread) and reads the last result. A result that changes the condition wakes the Route through
 * {@link #events()}; one that does not only moves the gauges, so a steady result writes nothing.
 *
 * <p>Metrics per probed Route, tagged {@code namespace} and {@code route}: {@code
 * homelab_route_probe_up} (1 or 0) and {@code homelab_route_probe_duration_seconds}; both go when
 * the Route goes, stops being Ready or has its probe turned off.
 */
@ApplicationScoped
public class RouteProbes {

  private static final Logger LOG = Logger.getLogger(RouteProbes.class);

  /** Probes at once; a healthy probe takes milliseconds, a failing one up to the timeout. */
  static final int THREADS = 8;

  static final String UP = "homelab.route.probe.up";
  static final String DURATION = "homelab.route.probe.duration";

  @Inject OperatorSettings settings;
  @Inject MeterRegistry meters;
  @Inject Clock clock;

  private final SimpleInboundEventSource<Route> events = new SimpleInboundEventSource<>("probes");
  private final Map<ResourceID, Probe> probes = new ConcurrentHashMap<>();
  private volatile RouteProber prober;
  private volatile ExecutorService pool;

  /** One Route's probe: what it asks, its last result and its gauges. */
  private final class Probe {
    final ResourceID id;
    final ProbeTarget target;
    volatile Verdict verdict;
    volatile double up;
    volatile double seconds;
    volatile Instant due = Instant.MIN;
    volatile boolean running;
    Gauge upGauge;
    Gauge durationGauge;

    Probe(ResourceID id, ProbeTarget target) {
      this.id = id;
      this.target = target;
    }
  }

  /** The event source that wakes a Route whose probe result changed. */
  SimpleInboundEventSource<Route> events() {
    return events;
  }

  /** Whether the operator probes at all (homelab.probe.enabled). */
  boolean enabled() {
    return config().enabled();
  }

  /**
   * The ProbeSucceeded verdict of a Ready Route that wants its probe, starting a probe when one is
   * due. Before the first result of this operator (just started, or the target changed), the
   * Route's own condition stands as it is, so a restart moves no lastTransitionTime.
   *
   * @return the verdict, or empty when there is nothing to show yet
   */
  Optional<Verdict> observe(Route route, ProbeTarget.Plan plan) {
    ResourceID id = ResourceID.fromResource(route);
    if (plan.target() == null) {
      forget(id);
      return Optional.of(
          Verdict.isFalse(ConditionType.PROBE_SUCCEEDED, Reason.INVALID_PROBE, plan.problem()));
    }
    Probe probe =
        probes.compute(
            id,
            (k, old) -> {
              if (old != null && old.target.equals(plan.target())) {
                return old;
              }
              if (old != null) {
                unregister(old);
              }
              return new Probe(k, plan.target());
            });
    Instant now = clock.instant();
    synchronized (probe) {
      if (!probe.running && !now.isBefore(probe.due)) {
        probe.running = true;
        probe.due = now.plus(config().interval());
        pool().execute(() -> run(probe));
      }
    }
    if (probe.verdict != null) {
      return Optional.of(probe.verdict);
    }
    return previous(route).map(RouteProbes::asVerdict);
  }

  /** How soon the Route's reconcile should come back for its next probe; empty when not probed. */
  Optional<Duration> dueIn(Route route) {
    Probe probe = probes.get(ResourceID.fromResource(route));
    if (probe == null) {
      return Optional.empty();
    }
    Duration left = Duration.between(clock.instant(), probe.due);
    return Optional.of(left.isNegative() ? Duration.ofSeconds(1) : left.plusMillis(100));
  }

  /** Stops probing a Route and removes its gauges (it went, is not Ready, or opted out). */
  void forget(ResourceID id) {
    Probe probe = probes.remove(id);
    if (probe != null) {
      unregister(probe);
    }
  }

  private void run(Probe probe) {
    ProbeResult result;
    try {
      result = prober().probe(probe.target);
    } catch (RuntimeException e) {
      result =
          ProbeResult.failed(ProbeResult.Outcome.CONNECTION_FAILED, Duration.ZERO, e.toString());
    }
    Verdict verdict = verdict(probe.target, result);
    boolean changed;
    synchronized (probe) {
      probe.running = false;
      if (probes.get(probe.id) != probe) {
        return; // forgotten while it ran
      }
      changed = !verdict.equals(probe.verdict);
      probe.verdict = verdict;
      probe.up = verdict.holds() ? 1 : 0;
      probe.seconds = result.duration().toNanos() / 1e9;
      register(probe);
    }
    if (changed) {
      LOG.debugf("Route %s: probe %s: %s", probe.id, verdict.reason(), verdict.message());
      events.propagateEvent(probe.id);
    }
  }

  /** The condition a probe result gives. Its message holds no latency, so it stays the same. */
  static Verdict verdict(ProbeTarget target, ProbeResult result) {
    String what = "GET " + target.url() + " through " + target.via();
    return switch (result.outcome()) {
      case ANSWERED ->
          target.expected().accepts(result.status())
              ? Verdict.isTrue(
                  ConditionType.PROBE_SUCCEEDED,
                  Reason.ANSWERED,
                  what + " answered " + result.status() + " (expected " + target.expected() + ")")
              : Verdict.isFalse(
                  ConditionType.PROBE_SUCCEEDED,
                  Reason.UNEXPECTED_STATUS,
                  what
                      + " answered "
                      + result.status()
                      + ", expected "
                      + target.expected()
                      + " (spec.probe.expectedStatus)");
      case TIMEOUT ->
          Verdict.isFalse(
              ConditionType.PROBE_SUCCEEDED, Reason.PROBE_TIMEOUT, what + ": " + result.detail());
      case TLS_FAILED ->
          Verdict.isFalse(
              ConditionType.PROBE_SUCCEEDED,
              Reason.TLS_FAILED,
              what + ": the TLS handshake failed: " + result.detail());
      case CONNECTION_FAILED ->
          Verdict.isFalse(
              ConditionType.PROBE_SUCCEEDED,
              Reason.CONNECTION_FAILED,
              what + ": " + result.detail());
    };
  }

  private void register(Probe probe) {
    if (probe.upGauge != null) {
      return;
    }
    String namespace = probe.id.getNamespace().orElse("");
    probe.upGauge =
        Gauge.builder(UP, probe, p -> p.up)
            .description("1 when the Route's end-to-end probe got an expected status, else 0")
            .tag("namespace", namespace)
            .tag("route", probe.id.getName())
            .register(meters);
    probe.durationGauge =
        Gauge.builder(DURATION, probe, p -> p.seconds)
            .description("How long the Route's last end-to-end probe took")
            .baseUnit("seconds")
            .tag("namespace", namespace)
            .tag("route", probe.id.getName())
            .register(meters);
  }

  private void unregister(Probe probe) {
    synchronized (probe) {
      if (probe.upGauge != null) {
        meters.remove(probe.upGauge);
        meters.remove(probe.durationGauge);
        probe.upGauge = null;
        probe.durationGauge = null;
      }
    }
  }

  private static Optional<Condition> previous(Route route) {
    return route.getStatus() == null || route.getStatus().getConditions() == null
        ? Optional.empty()
        : route.getStatus().getConditions().stream()
            .filter(c -> ConditionType.PROBE_SUCCEEDED.equals(c.getType()))
            .findFirst();
  }

  private static Verdict asVerdict(Condition c) {
    return new Verdict(
        c.getType(), ConditionStatus.valueOf(c.getStatus()), c.getReason(), c.getMessage());
  }

  /** The operator's probe settings. */
  OperatorSettings.Probe config() {
    return settings.probe();
  }

  /** Puts another prober in place (a test's). */
  void useProber(RouteProber replacement) {
    prober = replacement;
  }

  /** The prober, made on first use. */
  RouteProber prober() {
    RouteProber p = prober;
    if (p == null) {
      synchronized (this) {
        if (prober == null) {
          prober = new TlsSocketProber(config().timeout(), new ProbeTrust(config().caFile()));
        }
        p = prober;
      }
    }
    return p;
  }

  private ExecutorService pool() {
    ExecutorService p = pool;
    if (p == null) {
      synchronized (this) {
        if (pool == null) {
          AtomicInteger n = new AtomicInteger();
          pool =
              Executors.newFixedThreadPool(
                  THREADS,
                  r -> {
                    Thread t = new Thread(r, "route-probe-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                  });
        }
        p = pool;
      }
    }
    return p;
  }

  @PreDestroy
  void stop() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
