package io.homelab.operator.driver.ssh;

/**
 * What a remote command did.
 *
 * @param exitStatus the exit status
 * @param stdout standard output, UTF-8
 * @param stderr standard error, UTF-8
 */
public record CommandResult(int exitStatus, String stdout, String stderr) {

  public boolean succeeded() {
    return exitStatus == 0;
  }
}
