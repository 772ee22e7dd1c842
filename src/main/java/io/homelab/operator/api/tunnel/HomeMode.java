package io.homelab.operator.api.tunnel;

/** How the home end of a Tunnel gets its configuration. */
public enum HomeMode {
  /** The operator writes a ready wg-quick file into a Secret; the user installs it at home. */
  Secret,
  /** The operator pushes the configuration to a home host over SSH and applies it. */
  SSH
}
