package io.homelab.operator.model;

import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeCaddy;
import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * One Caddy, one Edge. Two Edges of one installation that reach the same Caddy (the same SSH host
 * and port, the same admin address) would share the operator's server and its route ids, and each
 * would remove the other's routes on every pass. The Edge that came first holds that Caddy; any
 * later one is refused with a reason until it points elsewhere or the first one goes. Pure.
 */
public final class CaddyHolders {

  private static final Comparator<Edge> FIRST = FirstCome.order();

  private CaddyHolders() {}

  /**
   * The Edge among {@code edges} that holds the Caddy {@code edge} reaches, when it is another one:
   * an Edge of the same Caddy that is not being deleted and came before it.
   */
  public static Optional<Edge> heldByAnother(Edge edge, Collection<Edge> edges) {
    String target = target(edge);
    return edges.stream()
        .filter(other -> !sameObject(other, edge))
        .filter(other -> other.getMetadata().getDeletionTimestamp() == null)
        .filter(other -> target.equals(target(other)))
        .filter(other -> FIRST.compare(other, edge) < 0)
        .min(FIRST);
  }

  /** The Caddy an Edge reaches, as text: {@code ssh-host:port|admin-address}, lower case. */
  static String target(Edge edge) {
    EdgeCaddy caddy =
        edge.getSpec().getCaddy() == null ? new EdgeCaddy() : edge.getSpec().getCaddy();
    var ssh = edge.getSpec().getSsh();
    String host = ssh == null || ssh.getHost() == null ? "" : ssh.getHost();
    Integer port = ssh == null ? null : ssh.getPort();
    return (host.trim() + ":" + (port == null ? 22 : port) + "|" + admin(caddy.getAdminAddress()))
        .toLowerCase(Locale.ROOT);
  }

  /**
   * The admin address with the VPS's own loopback spelt one way: {@code localhost}, {@code
   * 127.0.0.1} and {@code [::1]} on one port are taken for one Caddy (Caddy's default admin
   * address, {@code localhost:2019}, is either of the others once resolved). Taking two Caddies for
   * one holds an Edge off with a reason; taking one Caddy for two would let two Edges remove each
   * other's routes.
   */
  static String admin(String address) {
    String text = address.trim().toLowerCase(Locale.ROOT);
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      return text;
    }
    String host = text.substring(0, colon);
    return switch (host) {
      case "localhost", "127.0.0.1", "[::1]" -> "loopback" + text.substring(colon);
      default -> text;
    };
  }

  private static boolean sameObject(Edge a, Edge b) {
    return a.getMetadata().getNamespace().equals(b.getMetadata().getNamespace())
        && a.getMetadata().getName().equals(b.getMetadata().getName());
  }
}
