package io.homelab.operator.driver.ssh;

import io.homelab.operator.driver.DriverException;
import io.homelab.operator.driver.ExternalCalls;
import io.homelab.operator.driver.HostAccess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;

/**
 * One SSH connection to one host, reused for every command: key authentication, the host key pinned
 * (checked before the login, so nothing runs on a server with another key), a timeout on the
 * connection and on each command. Thread-safe: commands run on their own channels.
 */
public final class SshConnection implements AutoCloseable {

  /** Condition reasons for what can go wrong. */
  public static final String HOST_KEY_MISMATCH = "HostKeyMismatch";

  public static final String UNREACHABLE = "SshUnreachable";
  public static final String AUTHENTICATION_FAILED = "SshAuthenticationFailed";
  public static final String INVALID_KEY = "SshInvalidPrivateKey";
  public static final String COMMAND_TIMEOUT = "SshCommandTimeout";

  private static final String ED25519_BY_INSTANCE =
      "org.apache.sshd.security.provider.EdDSA.useNamed";

  static {
    // Use the Ed25519 provider through its own instance, not by its registered name: where two
    // class loaders each hold a copy of the SSH library (tests, dev mode), a lookup by name can
    // return the other copy's classes, and no key parses.
    if (System.getProperty(ED25519_BY_INSTANCE) == null) {
      System.setProperty(ED25519_BY_INSTANCE, "false");
    }
  }

  private final HostAccess access;
  private final SshClient client;
  private final ClientSession session;

  private SshConnection(HostAccess access, SshClient client, ClientSession session) {
    this.access = access;
    this.client = client;
    this.session = session;
  }

  /** Connects and logs in; the key is parsed first, so a bad key makes no connection at all. */
  public static SshConnection open(HostAccess access) {
    return measured("connect", () -> connect(access));
  }

  /**
   * Runs one SSH operation ({@code connect}, {@code exec}, {@code forward}) and measures it in
   * {@link ExternalCalls}: a failure that may pass is {@code unreachable}, one that will not (a
   * refused login, another host key) {@code rejected}.
   */
  private static <T> T measured(String operation, java.util.function.Supplier<T> call) {
    long start = System.nanoTime();
    try {
      T result = call.get();
      ExternalCalls.record(
          ExternalCalls.SSH, operation, ExternalCalls.Outcome.SUCCESS, System.nanoTime() - start);
      return result;
    } catch (DriverException e) {
      ExternalCalls.record(
          ExternalCalls.SSH,
          operation,
          e.isTransient() ? ExternalCalls.Outcome.UNREACHABLE : ExternalCalls.Outcome.REJECTED,
          System.nanoTime() - start);
      throw e;
    }
  }

  private static SshConnection connect(HostAccess access) {
    List<KeyPair> identities = parseKey(access.privateKey());
    HostKeyPin pin = new HostKeyPin(access.hostKey());
    AtomicReference<String> mismatch = new AtomicReference<>();
    SshClient client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier(
        (clientSession, address, key) -> {
          if (pin.matches(key)) {
            return true;
          }
          mismatch.set(HostKeyPin.fingerprint(key));
          return false;
        });
    client.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
    CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(30));
    client.start();
    ClientSession session = null;
    try {
      session =
          client
              .connect(access.user(), access.host(), access.port())
              .verify(access.connectTimeout())
              .getSession();
      identities.forEach(session::addPublicKeyIdentity);
    } catch (IOException | RuntimeException e) {
      closeQuietly(session);
      client.stop();
      throw connectFailure(access, mismatch.get(), e);
    }
    try {
      session.auth().verify(access.connectTimeout());
      return new SshConnection(access, client, session);
    } catch (IOException | RuntimeException e) {
      closeQuietly(session);
      client.stop();
      if (mismatch.get() != null) {
        throw connectFailure(access, mismatch.get(), e);
      }
      throw new DriverException(
          AUTHENTICATION_FAILED,
          "SSH login as " + access.user() + " to " + access.host() + " failed: " + e.getMessage(),
          false,
          e);
    }
  }

  private static DriverException connectFailure(HostAccess access, String mismatch, Exception e) {
    if (mismatch != null) {
      return new DriverException(
          HOST_KEY_MISMATCH,
          access.host()
              + ":"
              + access.port()
              + " presented host key "
              + mismatch
              + ", not the pinned one: nothing was run there",
          false);
    }
    return new DriverException(
        UNREACHABLE,
        "SSH to " + access.host() + ":" + access.port() + " failed: " + e.getMessage(),
        true,
        e);
  }

  /** The access this connection was opened with. */
  public HostAccess access() {
    return access;
  }

  public boolean isOpen() {
    return session.isOpen() && session.isAuthenticated();
  }

  /**
   * Runs a bash script as the login user, with {@code stdin} fed to it, and waits at most the
   * command timeout. With {@link HostAccess#sudo()} the script itself runs its privileged commands
   * through {@code sudo -n}.
   */
  public CommandResult run(String script, String stdin) {
    return measured("exec", () -> execute(script, stdin));
  }

  private CommandResult execute(String script, String stdin) {
    String command = Commands.commandLine(script);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (ChannelExec channel = session.createExecChannel(command)) {
      channel.setOut(out);
      channel.setErr(err);
      channel.open().verify(access.commandTimeout());
      // Closing the stream sends EOF: the script sees the end of its input.
      try (OutputStream in = channel.getInvertedIn()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      Set<ClientChannelEvent> events =
          channel.waitFor(
              EnumSet.of(ClientChannelEvent.CLOSED, ClientChannelEvent.EXIT_STATUS),
              access.commandTimeout());
      if (events.contains(ClientChannelEvent.TIMEOUT)
          || !events.contains(ClientChannelEvent.EXIT_STATUS)) {
        throw new DriverException(
            COMMAND_TIMEOUT,
            "A command on "
                + access.host()
                + " did not finish within "
                + access.commandTimeout().toSeconds()
                + "s",
            true);
      }
      channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), access.commandTimeout());
      return new CommandResult(
          channel.getExitStatus(),
          out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } catch (IOException | IllegalStateException e) {
      // IllegalStateException: the server closed the session while the channel was being made.
      throw new DriverException(
          UNREACHABLE, "SSH to " + access.host() + " failed: " + e.getMessage(), true, e);
    }
  }

  /**
   * Forwards a port on the loopback of this machine to {@code host:port} as seen from the remote
   * server, and returns the local port. Lives as long as the connection.
   */
  public int forward(String host, int port) {
    return measured("forward", () -> startForward(host, port));
  }

  private int startForward(String host, int port) {
    if (!isOpen()) {
      // MINA binds the local port even on a closed session; nothing would ever answer on it.
      throw new DriverException(
          UNREACHABLE,
          "Could not forward a port through " + access.host() + ": the SSH connection closed",
          true);
    }
    try {
      SshdSocketAddress bound =
          session.startLocalPortForwarding(
              new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(host, port));
      return bound.getPort();
    } catch (IOException | IllegalStateException e) {
      throw new DriverException(
          UNREACHABLE,
          "Could not forward a port through " + access.host() + ": " + e.getMessage(),
          true,
          e);
    }
  }

  @Override
  public void close() {
    closeQuietly(session);
    client.stop();
  }

  private static List<KeyPair> parseKey(String privateKey) {
    try {
      List<KeyPair> pairs = new ArrayList<>();
      Iterable<KeyPair> loaded =
          SecurityUtils.loadKeyPairIdentities(
              null,
              NamedResource.ofName("privateKeySecretRef"),
              new ByteArrayInputStream(privateKey.getBytes(StandardCharsets.UTF_8)),
              FilePasswordProvider.EMPTY);
      if (loaded != null) {
        loaded.forEach(pairs::add);
      }
      if (pairs.isEmpty()) {
        throw new DriverException(
            INVALID_KEY, "The SSH private key holds no key the client can read", false);
      }
      return pairs;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      if (e instanceof DriverException d) {
        throw d;
      }
      // The message of a parse error may quote the key: never pass it on.
      throw new DriverException(
          INVALID_KEY,
          "The SSH private key cannot be read (OpenSSH or PEM format expected): "
              + e.getClass().getSimpleName(),
          false);
    }
  }

  private static void closeQuietly(ClientSession session) {
    if (session != null) {
      try {
        session.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
