package io.homelab.operator.testing;

import io.homelab.operator.driver.HostAccess;
import io.homelab.operator.sandbox.lab.NetnsLab;
import java.time.Duration;

/** How a driver under test logs in to the lab's edge. */
public final class LabAccess {

  private LabAccess() {}

  /** The edge's sshd as {@code user}, with the lab's login key. */
  public static HostAccess of(
      NetnsLab lab, String user, boolean sudo, String pinnedHostKey, Duration commandTimeout) {
    return new HostAccess(
        lab.sshHost,
        NetnsLab.SSH_PORT,
        user,
        sudo,
        lab.clientKey(),
        pinnedHostKey,
        Duration.ofSeconds(5),
        commandTimeout);
  }
}
