package io.homelab.operator.driver.caddy;

import io.homelab.operator.driver.ssh.SshConnection;
import io.homelab.operator.model.OwnerMarker;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Caddy driver per Edge, over a local port forward through the Edge's SSH connection to the
 * admin address on the VPS (never exposed on a public address). The forward is made again when the
 * SSH connection or the admin address changes.
 */
@ApplicationScoped
public class CaddyConnections {

  private record Entry(SshConnection connection, String adminAddress, CaddyDriver driver) {}

  private final Map<String, Entry> drivers = new ConcurrentHashMap<>();

  @Inject Vertx vertx;

  /**
   * The driver of an Edge.
   *
   * @param owner the Edge's namespace/name
   * @param ownerId this installation's ownerId: every {@code @id} it writes starts with its prefix
   */
  public CaddyDriver forEdge(
      String owner,
      String ownerId,
      SshConnection connection,
      String adminAddress,
      Duration timeout) {
    return drivers
        .compute(
            owner,
            (key, current) -> {
              if (current != null
                  && current.connection() == connection
                  && current.connection().isOpen()
                  && current.adminAddress().equals(adminAddress)) {
                return current;
              }
              if (current != null) {
                current.driver().close();
              }
              int colon = adminAddress.lastIndexOf(':');
              String host = adminAddress.substring(0, colon);
              int port = Integer.parseInt(adminAddress.substring(colon + 1));
              int local = connection.forward(host, port);
              CaddyAdmin admin =
                  new CaddyAdmin(
                      vertx,
                      SocketAddress.inetSocketAddress(local, "127.0.0.1"),
                      adminAddress,
                      timeout);
              return new Entry(
                  connection,
                  adminAddress,
                  new HttpCaddyDriver(admin, OwnerMarker.idPrefix(ownerId), owner));
            })
        .driver();
  }

  /** Forgets an Edge's driver (the Edge is gone). */
  public void close(String owner) {
    Entry entry = drivers.remove(owner);
    if (entry != null) {
      entry.driver().close();
    }
  }
}
