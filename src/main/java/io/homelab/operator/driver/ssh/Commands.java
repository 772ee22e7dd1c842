package io.homelab.operator.driver.ssh;

/** How a script becomes the one command line sent over SSH. Pure. */
public final class Commands {

  private Commands() {}

  /**
   * The command line that runs {@code script} with bash, through {@code sudo -n} when asked (never
   * prompting: a missing sudo rule fails at once instead of hanging).
   */
  public static String commandLine(String script, boolean sudo) {
    String line = "bash -c " + quote(script);
    return sudo ? "sudo -n " + line : line;
  }

  /** One shell word for any text: single quotes, with each single quote closed and escaped. */
  public static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
