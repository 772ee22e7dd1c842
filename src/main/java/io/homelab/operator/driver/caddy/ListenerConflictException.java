package io.homelab.operator.driver.caddy;

/** Another server of Caddy's config already listens on an address the operator's server needs. */
public class ListenerConflictException extends CaddyException {

  /** The condition reason. */
  public static final String REASON = "ListenerConflict";

  private final String server;
  private final String address;

  public ListenerConflictException(String server, String address) {
    super(REASON, "Caddy server '" + server + "' already listens on " + address, false);
    this.server = server;
    this.address = address;
  }

  public String server() {
    return server;
  }

  public String address() {
    return address;
  }
}
