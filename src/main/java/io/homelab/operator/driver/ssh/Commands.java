package io.homelab.operator.driver.ssh;

/** How a script becomes the one command line sent over SSH. Pure. */
public final class Commands {

  private Commands() {}

  /**
   * The command line that runs {@code script} with bash as the login user. A script for a login
   * with sudo runs its privileged commands through {@code sudo -n} itself (never prompting: a
   * missing sudo rule fails at once instead of hanging).
   */
  public static String commandLine(String script) {
    return "bash -c " + quote(script);
  }

  /** One shell word for any text: single quotes, with each single quote closed and escaped. */
  public static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
