package io.homelab.operator.driver;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Measures every call the drivers make to an external system: one timer {@value #METER} (exported
 * as {@code homelab_external_calls_seconds}, with a latency histogram of fixed buckets) tagged by
 * system, operation and outcome. Each transport measures in its one place of exchange ({@link
 * JsonHttp}, the Proxmox and Caddy clients, the SSH connection), never per call site.
 *
 * <p>Labels never name an object: an operation is the method and the path template ({@code GET
 * /nginx/proxy-hosts/{id}}), so the number of series is bounded by the calls the drivers know, not
 * by the objects they manage. The timers go to Micrometer's global registry, which Quarkus backs
 * with the Prometheus registry of {@code /q/metrics}; outside Quarkus (a unit test) nothing is
 * kept.
 */
public final class ExternalCalls {

  public static final String METER = "homelab.external.calls";

  public static final String PROXMOX = "proxmox";
  public static final String NPM = "npm";
  public static final String CLOUDFLARE = "cloudflare";
  public static final String CADDY = "caddy";
  public static final String SSH = "ssh";

  /** The outcome of one call. */
  public enum Outcome {
    /** A 2xx answer, or a command that ran (whatever its exit status). */
    SUCCESS("success"),
    /** A 4xx answer other than 429: the system refused the request. */
    REJECTED("rejected"),
    /** 429: the system asked to slow down. */
    RATE_LIMITED("rate_limited"),
    /** A 5xx answer. */
    SERVER_ERROR("server_error"),
    /** No answer at all: refused connection, timeout, reset. */
    UNREACHABLE("unreachable");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    /** The outcome of an HTTP answer with this status. */
    public static Outcome ofStatus(int status) {
      if (status >= 200 && status < 300) {
        return SUCCESS;
      }
      if (status == 429) {
        return RATE_LIMITED;
      }
      return status >= 500 ? SERVER_ERROR : REJECTED;
    }
  }

  /** Path segments after which comes a name or an ID of the user's, never a label value. */
  private static final Set<String> NAMED_BY_NEXT = Set.of("nodes", "zones", "tasks", "servers");

  /**
   * The latency histogram's buckets: from a loopback answer to a Proxmox call near its timeout, a
   * dozen per series instead of Micrometer's seventy.
   */
  private static final Duration[] BUCKETS =
      java.util.stream.Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000)
          .map(Duration::ofMillis)
          .toArray(Duration[]::new);

  private ExternalCalls() {}

  /** Records one call that took {@code nanos}. */
  public static void record(String system, String operation, Outcome outcome, long nanos) {
    record(Metrics.globalRegistry, system, operation, outcome, nanos);
  }

  /** Records one HTTP call that started at {@code startNanos} ({@link System#nanoTime()}). */
  public static void http(
      String system, String method, String pathAndQuery, Outcome outcome, long startNanos) {
    record(system, operation(method, pathAndQuery), outcome, System.nanoTime() - startNanos);
  }

  static void record(
      MeterRegistry registry, String system, String operation, Outcome outcome, long nanos) {
    Timer.builder(METER)
        .description("Calls to external systems, by system, operation and outcome")
        .tag("system", system)
        .tag("operation", operation)
        .tag("outcome", outcome.label())
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The operation of an HTTP call: the method and the path without its query, with every name and
   * ID replaced by a placeholder ({@code PUT /nodes/{}/qemu/{}/config}).
   */
  public static String operation(String method, String pathAndQuery) {
    int query = pathAndQuery.indexOf('?');
    String path = query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    StringBuilder template = new StringBuilder(method).append(' ');
    String previous = "";
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty()) {
        continue;
      }
      template.append('/');
      boolean named =
          NAMED_BY_NEXT.contains(previous)
              || segment.chars().allMatch(Character::isDigit)
              || segment.startsWith("@")
              || segment.contains(":")
              || segment.contains("%");
      template.append(named ? "{}" : segment);
      previous = segment;
    }
    if (template.charAt(template.length() - 1) == ' ') {
      template.append('/');
    }
    return template.toString();
  }
}
