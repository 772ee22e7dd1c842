package io.homelab.operator.driver.npm;

/** What can go wrong with NPM, one type per way the caller reacts. */
public abstract sealed class NpmException extends RuntimeException {

  NpmException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The account has 2FA on: NPM answers a challenge instead of a token. Permanent. */
  public static final class TwoFactorRequired extends NpmException {
    public TwoFactorRequired(String identity) {
      super("the NPM account " + identity + " has two-factor authentication on", null);
    }
  }

  /**
   * The URL answers, but not as NPM's API does (a web page, another application, NPM's UI instead
   * of {@code /api}). Permanent.
   */
  public static final class NotNpm extends NpmException {
    public NotNpm(String message) {
      super(message, null);
    }
  }

  /** NPM refused the account's e-mail and password. Permanent until the Secret changes. */
  public static final class LoginRefused extends NpmException {
    public LoginRefused(String identity, String message) {
      super("NPM refused the login of " + identity + ": " + message, null);
    }
  }

  /** A host the operator does not own holds the domain; it is never touched. */
  public static final class Conflict extends NpmException {
    private final String domain;
    private final String holder;

    public Conflict(String domain, String holder) {
      super(domain + " is held by " + holder + ", which this operator does not own", null);
      this.domain = domain;
      this.holder = holder;
    }

    public String domain() {
      return domain;
    }

    /** The holder, e.g. {@code redirection host 7}. */
    public String holder() {
      return holder;
    }
  }

  /** NPM could not be reached, timed out or answered 5xx: try again later. */
  public static final class Unavailable extends NpmException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** NPM refused the request (4xx other than an expired token): retrying changes nothing. */
  public static final class Rejected extends NpmException {
    private final int status;

    private final String reply;

    public Rejected(int status, String message) {
      super("NPM answered " + status + ": " + message, null);
      this.status = status;
      this.reply = message;
    }

    /** NPM's own error message. */
    public String reply() {
      return reply;
    }

    public int status() {
      return status;
    }
  }
}
