package io.homelab.operator.observability;

import io.fabric8.kubernetes.client.CustomResource;
import io.homelab.operator.api.Condition;
import io.homelab.operator.api.HomelabStatus;
import io.homelab.operator.api.guest.GuestStatus;
import io.homelab.operator.api.tunnel.TunnelStatus;
import io.homelab.operator.status.ConditionType;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gauges of the operator's objects, from the status each reconcile writes, gone with the object:
 *
 * <ul>
 *   <li>{@code homelab_object_ready{kind,namespace,name}}: 1 while Ready is True, else 0;
 *   <li>{@code homelab_tunnel_handshake_age_seconds{namespace,name}}: seconds since the Tunnel's
 *       latest WireGuard handshake (since its creation while it has had none);
 *   <li>{@code homelab_tunnel_received_bytes}, {@code homelab_tunnel_sent_bytes}: the peer's
 *       transfer counters as the Edge reports them (they restart with the interface);
 *   <li>{@code homelab_guests{state}}: Guests by the power state Proxmox reports.
 * </ul>
 *
 * <p>One series per object and gauge: the cardinality is the number of objects.
 */
@ApplicationScoped
public class ObjectMetrics {

  /** What one object last reported. */
  private static final class Tracked {
    final List<Meter> meters = new ArrayList<>();
    volatile boolean ready;
    volatile Instant lastHandshake;
    volatile Instant created;
    volatile long received;
    volatile long sent;
    volatile String guestState;
  }

  static final String UNKNOWN_STATE = "unknown";

  private final Map<String, Tracked> objects = new ConcurrentHashMap<>();
  private final Set<String> guestStates = ConcurrentHashMap.newKeySet();

  @Inject MeterRegistry registry;
  @Inject Clock clock;

  @PostConstruct
  void start() {
    // The usual states are there from the start, at 0.
    for (String state : List.of("running", "stopped")) {
      guestState(state);
    }
  }

  /** Takes what {@code status} (about to be written for {@code object}) says. */
  public void observe(CustomResource<?, ? extends HomelabStatus> object, HomelabStatus status) {
    String kind = object.getKind();
    String namespace = object.getMetadata().getNamespace();
    String name = object.getMetadata().getName();
    Tracked tracked =
        objects.computeIfAbsent(key(kind, namespace, name), k -> register(kind, namespace, name));
    tracked.ready = isReady(status);
    tracked.created = parse(object.getMetadata().getCreationTimestamp());
    if (status instanceof TunnelStatus tunnel) {
      Instant handshake = parse(tunnel.getLastHandshake());
      if (handshake != null) {
        tracked.lastHandshake = handshake;
      }
      tracked.received = tunnel.getReceivedBytes() == null ? 0 : tunnel.getReceivedBytes();
      tracked.sent = tunnel.getSentBytes() == null ? 0 : tunnel.getSentBytes();
    }
    if (status instanceof GuestStatus guest) {
      String state =
          guest.getState() == null ? UNKNOWN_STATE : guest.getState().toLowerCase(Locale.ROOT);
      guestState(state);
      tracked.guestState = state;
    }
  }

  /** The object is gone: so are its series. */
  public void forget(CustomResource<?, ?> object) {
    Tracked tracked =
        objects.remove(
            key(
                object.getKind(),
                object.getMetadata().getNamespace(),
                object.getMetadata().getName()));
    if (tracked != null) {
      tracked.meters.forEach(registry::remove);
    }
  }

  private Tracked register(String kind, String namespace, String name) {
    Tracked tracked = new Tracked();
    tracked.meters.add(
        Gauge.builder("homelab.object.ready", tracked, t -> t.ready ? 1 : 0)
            .description("1 while the object's Ready condition is True, else 0")
            .tags("kind", kind, "namespace", namespace, "name", name)
            .register(registry));
    if ("Tunnel".equals(kind)) {
      tracked.meters.add(
          Gauge.builder("homelab.tunnel.handshake.age", tracked, this::handshakeAge)
              .description(
                  "Seconds since the Tunnel's latest WireGuard handshake (since its creation"
                      + " while it has had none)")
              .baseUnit("seconds")
              .tags("namespace", namespace, "name", name)
              .register(registry));
      tracked.meters.add(
          bytes(tracked, "received", "received from", t -> t.received, namespace, name));
      tracked.meters.add(bytes(tracked, "sent", "sent to", t -> t.sent, namespace, name));
    }
    return tracked;
  }

  /**
   * A Tunnel's byte counter, {@code homelab.tunnel.<direction>}, as the Edge's WireGuard counts.
   */
  private Gauge bytes(
      Tracked tracked,
      String direction,
      String verb,
      java.util.function.ToDoubleFunction<Tracked> value,
      String namespace,
      String name) {
    return Gauge.builder("homelab.tunnel." + direction, tracked, value)
        .description("Bytes the Edge " + verb + " the Tunnel's peer")
        .baseUnit("bytes")
        .tags("namespace", namespace, "name", name)
        .register(registry);
  }

  private void guestState(String state) {
    if (guestStates.add(state)) {
      Gauge.builder("homelab.guests", this, m -> m.guestsIn(state))
          .description("Guests by the power state Proxmox VE reports")
          .tag("state", state)
          .register(registry);
    }
  }

  private double guestsIn(String state) {
    return objects.values().stream().filter(t -> state.equals(t.guestState)).count();
  }

  private double handshakeAge(Tracked tracked) {
    Instant since = tracked.lastHandshake != null ? tracked.lastHandshake : tracked.created;
    if (since == null) {
      return Double.NaN;
    }
    return Math.max(0, Duration.between(since, clock.instant()).toMillis() / 1000.0);
  }

  private static boolean isReady(HomelabStatus status) {
    if (status.getConditions() == null) {
      return false;
    }
    for (Condition c : status.getConditions()) {
      if (ConditionType.READY.equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  private static Instant parse(String timestamp) {
    if (timestamp == null || timestamp.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String key(String kind, String namespace, String name) {
    return kind + "/" + namespace + "/" + name;
  }
}
