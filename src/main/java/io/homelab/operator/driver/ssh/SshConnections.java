package io.homelab.operator.driver.ssh;

import io.homelab.operator.driver.HostAccess;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * One reused SSH connection per owner (an Edge, a home host), opened on first use and again after
 * it broke or its access changed.
 */
@ApplicationScoped
public class SshConnections {

  private static final Logger LOG = Logger.getLogger(SshConnections.class);

  private final Map<String, SshConnection> open = new ConcurrentHashMap<>();

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
      SshConnection fresh = SshConnection.open(access);
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
        close(owner);
      }
      throw e;
    }
  }

  /** Closes the owner's connection, if any. */
  public void close(String owner) {
    SshConnection connection = open.remove(owner);
    if (connection != null) {
      connection.close();
    }
  }

  @PreDestroy
  public void closeAll() {
    open.keySet().forEach(this::close);
  }

  private Object lockOf(String owner) {
    return locks.computeIfAbsent(owner, o -> new Object());
  }

  private final Map<String, Object> locks = new ConcurrentHashMap<>();
}
