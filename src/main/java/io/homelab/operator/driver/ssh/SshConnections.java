package io.homelab.operator.driver.ssh;

import io.homelab.operator.driver.HostAccess;
import io.homelab.operator.observability.Reachability;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * One reused SSH connection per owner (an Edge, a home host), opened on first use and again after
 * it broke or its access changed. Each owner's connection is a wellness check ({@link
 * Reachability}).
 */
@ApplicationScoped
public class SshConnections {

  private static final Logger LOG = Logger.getLogger(SshConnections.class);

  private final Map<String, SshConnection> open = new ConcurrentHashMap<>();

  @Inject Reachability reachability;

  /** The open connection of {@code owner}, connecting when there is none that fits. */
  public SshConnection get(String owner, HostAccess access) {
    synchronized (lockOf(owner)) {
      SshConnection current = open.get(owner);
      if (current != null && current.isOpen() && current.access().equals(access)) {
        return current;
      }
      if (current != null) {
        current.close();
        open.remove(owner);
      }
      SshConnection fresh;
      try {
        fresh = SshConnection.open(access);
      } catch (RuntimeException e) {
        report(owner, e.getMessage());
        throw e;
      }
      report(owner, null);
      LOG.infof("SSH connection for %s to %s opened", owner, access);
      open.put(owner, fresh);
      return fresh;
    }
  }

  /** Runs a script on the owner's connection; a broken connection is dropped for the next call. */
  public CommandResult run(String owner, HostAccess access, String script, String stdin) {
    SshConnection connection = get(owner, access);
    try {
      return connection.run(script, stdin);
    } catch (RuntimeException e) {
      if (!connection.isOpen()) {
        open.remove(owner, connection);
        connection.close();
        report(owner, e.getMessage());
      }
      throw e;
    }
  }

  /** Closes the owner's connection, if any: the owner no longer needs one. */
  public void close(String owner) {
    if (reachability != null) {
      reachability.forget(Reachability.ssh(owner));
    }
    SshConnection connection = open.remove(owner);
    if (connection != null) {
      connection.close();
    }
  }

  @PreDestroy
  public void closeAll() {
    // At shutdown: the connections go, the health checks with the application.
    open.values().forEach(SshConnection::close);
    open.clear();
  }

  /** The owner's wellness check: reached when {@code error} is null (none outside Quarkus). */
  private void report(String owner, String error) {
    if (reachability == null) {
      return;
    }
    if (error == null) {
      reachability.reached(Reachability.ssh(owner));
    } else {
      reachability.failed(Reachability.ssh(owner), error);
    }
  }

  private Object lockOf(String owner) {
    return locks.computeIfAbsent(owner, o -> new Object());
  }

  private final Map<String, Object> locks = new ConcurrentHashMap<>();
}
