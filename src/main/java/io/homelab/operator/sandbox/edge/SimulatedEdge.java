package io.homelab.operator.sandbox.edge;

import io.homelab.operator.model.WireGuardKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;

/**
 * The edge (VPS) of the sandbox for users who are not root: an SSH server on a loopback port of
 * this machine, with a host key and one authorized client key of its own, that runs each command
 * with bash in a folder of its own. {@code wg}, {@code wg-quick}, {@code ip} and {@code
 * wireguard-go} are small scripts ({@link FakeTools}) that keep the WireGuard state in files and
 * report every peer as connected; local port forwarding is allowed to loopback addresses only (the
 * operator reaches Caddy's admin API that way). Any user name logs in with the client key.
 */
public final class SimulatedEdge implements AutoCloseable {

  /** The address the server listens on. */
  public static final String HOST = "127.0.0.1";

  private static final String ED25519_BY_INSTANCE =
      "org.apache.sshd.security.provider.EdDSA.useNamed";

  static {
    // As the operator's SSH client does: the Ed25519 provider by instance, not by name.
    if (System.getProperty(ED25519_BY_INSTANCE) == null) {
      System.setProperty(ED25519_BY_INSTANCE, "false");
    }
  }

  private final Path dir;
  private final Path home;
  private final Path bin;
  private final Path state;
  private final SshServer server;
  private final String hostKey;
  private final String clientKey;
  private final Set<Process> running = ConcurrentHashMap.newKeySet();
  private final List<String> commands = Collections.synchronizedList(new ArrayList<>());
  private final java.util.List<Injected> faults = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * What the edge does to one login's commands while a fault lasts: the SSH side of the failures
   * the HTTP simulators inject.
   */
  public enum Fault {
    /** Every command fails on the server: exit status 1 and an error on stderr. */
    COMMAND_FAILS,
    /** Commands never end (until the fault clears): the client's command timeout ends them. */
    HANGS,
    /** The connection drops mid-command: the command runs, its answer is lost with it. */
    DROPS_CONNECTION,
    /**
     * Sessions are refused: each channel closes at once, with no exit status (sshd MaxSessions).
     */
    REFUSES_SESSIONS,
    /** The login key no longer works, and the live connections of that login are closed. */
    KEY_REVOKED
  }

  /** A fault in force for one login: how many commands or logins it took, and its switch. */
  public final class Injected {
    private final String user;
    private final Fault fault;
    private final java.util.concurrent.atomic.AtomicInteger hits =
        new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.CountDownLatch cleared =
        new java.util.concurrent.CountDownLatch(1);

    private Injected(String user, Fault fault) {
      this.user = user;
      this.fault = fault;
    }

    /**
     * Commands the fault took so far; for a revoked key, the live connections it closed and the
     * logins it refused.
     */
    public int hits() {
      return hits.get();
    }

    /** Ends the fault; hanging commands end with exit status 1. */
    public void clear() {
      cleared.countDown();
      faults.remove(this);
    }
  }

  private SimulatedEdge(
      Path dir, Path home, Path bin, Path state, SshServer server, String hostKey, String client) {
    this.dir = dir;
    this.home = home;
    this.bin = bin;
    this.state = state;
    this.server = server;
    this.hostKey = hostKey;
    this.clientKey = client;
  }

  /** Starts the edge with its files under {@code dir}: home/, bin/ (the tools), state/. */
  public static SimulatedEdge start(Path dir) {
    Path root = dir.toAbsolutePath();
    Path home = root.resolve("home");
    Path bin = root.resolve("bin");
    Path state = root.resolve("state");
    try {
      Files.createDirectories(home);
      FakeTools.write(bin, state);
      KeyPair host = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
      KeyPair client = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
      PublicKey authorized = client.getPublic();
      SshServer server = SshServer.setUpDefaultServer();
      server.setHost(HOST);
      server.setPort(0);
      server.setKeyPairProvider(KeyPairProvider.wrap(host));
      SimulatedEdge[] edge = new SimulatedEdge[1];
      server.setPublickeyAuthenticator(
          (user, key, session) ->
              KeyUtils.compareKeys(authorized, key)
                  && edge[0].fault(user, Fault.KEY_REVOKED) == null);
      server.setPasswordAuthenticator(null);
      server.setKeyboardInteractiveAuthenticator(null);
      server.setForwardingFilter(new LoopbackForwardsOnly());
      server.setCommandFactory((channel, command) -> edge[0].new Script(command));
      edge[0] =
          new SimulatedEdge(
              root,
              home,
              bin,
              state,
              server,
              PublicKeyEntry.toString(host.getPublic()),
              openSshPrivateKey(client));
      server.start();
      return edge[0];
    } catch (IOException e) {
      throw new UncheckedIOException("the simulated edge could not start", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no Ed25519 keys for the simulated edge", e);
    }
  }

  /** The SSH port on {@link #HOST}. */
  public int port() {
    return server.getPort();
  }

  /** The host key to pin, as {@code ssh-keyscan} prints it: {@code ssh-ed25519 AAAA...}. */
  public String hostKey() {
    return hostKey;
  }

  /** The private key that logs in, in OpenSSH format (what the operator's Secret holds). */
  public String clientKey() {
    return clientKey;
  }

  /** The edge's folder. */
  public Path dir() {
    return dir;
  }

  /** The working directory and HOME of every command. */
  public Path home() {
    return home;
  }

  /** Every command line run so far over SSH, in order. */
  public List<String> commands() {
    synchronized (commands) {
      return List.copyOf(commands);
    }
  }

  /**
   * From now on {@code fault} hits every command (or login) of the SSH user {@code user}, until it
   * is cleared. A revoked key also closes that user's live connections.
   */
  public Injected inject(Fault fault, String user) {
    Injected injected = new Injected(user, fault);
    faults.add(injected);
    if (fault == Fault.KEY_REVOKED) {
      for (org.apache.sshd.common.session.Session session : server.getActiveSessions()) {
        if (user.equals(session.getUsername())) {
          injected.hits.incrementAndGet();
          session.close(true);
        }
      }
    }
    return injected;
  }

  /** The fault of this kind in force for the user, counted as hit; null if none. */
  private Injected fault(String user, Fault kind) {
    for (Injected f : faults) {
      if (f.user.equals(user) && f.fault == kind) {
        f.hits.incrementAndGet();
        return f;
      }
    }
    return null;
  }

  /** The fault in force for the user's commands (any but a revoked key), counted; null if none. */
  private Injected commandFault(String user) {
    for (Injected f : faults) {
      if (f.user.equals(user) && f.fault != Fault.KEY_REVOKED) {
        f.hits.incrementAndGet();
        return f;
      }
    }
    return null;
  }

  @Override
  public void close() {
    faults.forEach(Injected::clear);
    try {
      server.stop(true);
    } catch (IOException e) {
      // stopping anyway
    }
    running.forEach(Process::destroyForcibly);
  }

  private static String openSshPrivateKey(KeyPair pair)
      throws IOException, GeneralSecurityException {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "homelab-sandbox", null, text);
    return text.toString(StandardCharsets.UTF_8);
  }

  /**
   * Writes each interface's public key next to its private key ({@code public_key}: the private key
   * it belongs to, then the public key), which the simulated {@code wg show dump} prints. Shell has
   * no X25519, so this runs around every command.
   */
  private void derivePublicKeys() {
    if (!Files.isDirectory(state)) {
      return;
    }
    try (DirectoryStream<Path> links = Files.newDirectoryStream(state)) {
      for (Path link : links) {
        Path privateKey = link.resolve("private_key");
        if (!Files.isRegularFile(privateKey)) {
          continue;
        }
        String key = Files.readString(privateKey).trim();
        Path publicKey = link.resolve("public_key");
        if (Files.isRegularFile(publicKey) && Files.readString(publicKey).startsWith(key + " ")) {
          continue;
        }
        String derived = wireGuardPublicKey(key);
        if (derived != null) {
          Path tmp = link.resolve("public_key.tmp");
          Files.writeString(tmp, key + " " + derived + "\n");
          Files.move(tmp, publicKey, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      // An interface deleted meanwhile: the next command derives again.
    }
  }

  /** X25519 public key of a base64 private key, as {@code wg pubkey} prints it; null if bad. */
  static String wireGuardPublicKey(String privateKeyBase64) {
    if (!WireGuardKeys.isKey(privateKeyBase64)) {
      return null;
    }
    return WireGuardKeys.publicKeyOf(privateKeyBase64);
  }

  /** One exec request: {@code bash -c <command line>} in the edge's folder, tools first on PATH. */
  private final class Script implements Command {

    private final String commandLine;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile Process process;

    Script(String commandLine) {
      this.commandLine = commandLine;
    }

    @Override
    public void setInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
      this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback exit) {
      this.exit = exit;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
      commands.add(commandLine);
      Injected fault = commandFault(channel.getSession().getUsername());
      if (fault != null && fault.fault != Fault.DROPS_CONNECTION) {
        misbehave(channel, fault);
        return;
      }
      derivePublicKeys();
      ProcessBuilder builder = new ProcessBuilder("bash", "-c", commandLine);
      builder.directory(home.toFile());
      Map<String, String> environment = builder.environment();
      String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
      environment.put("PATH", bin + ":" + path);
      environment.put("HOME", home.toString());
      environment.put("LC_ALL", "C");
      String user = env.getEnv().get(Environment.ENV_USER);
      if (user != null) {
        environment.put("USER", user);
      }
      Process started = builder.start();
      process = started;
      running.add(started);
      Thread input = pump("stdin", in, started.getOutputStream(), true);
      Thread output = pump("stdout", started.getInputStream(), out, false);
      Thread error = pump("stderr", started.getErrorStream(), err, false);
      Thread waiter =
          new Thread(
              () -> {
                int status;
                try {
                  status = started.waitFor();
                  output.join();
                  error.join();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  started.destroyForcibly();
                  status = 255;
                }
                running.remove(started);
                input.interrupt();
                derivePublicKeys();
                if (fault != null) {
                  // Mid-command: the command ran, but its answer is lost with the connection.
                  channel.getSession().close(true);
                  return;
                }
                exit.onExit(status);
              },
              "simulated-edge-exit");
      waiter.setDaemon(true);
      waiter.start();
    }

    /** Answers the command with the fault instead of running it. */
    private void misbehave(ChannelSession channel, Injected fault) throws IOException {
      switch (fault.fault) {
        case COMMAND_FAILS -> {
          err.write(
              "simulated edge: injected fault, the server failed the command\n"
                  .getBytes(StandardCharsets.UTF_8));
          err.flush();
          exit.onExit(1);
        }
        case REFUSES_SESSIONS -> channel.close(true);
        default -> {
          Thread hang =
              new Thread(
                  () -> {
                    try {
                      fault.cleared.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    exit.onExit(1);
                  },
                  "simulated-edge-hang");
          hang.setDaemon(true);
          hang.start();
        }
      }
    }

    @Override
    public void destroy(ChannelSession channel) {
      Process p = process;
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
    }

    private Thread pump(String name, InputStream from, OutputStream to, boolean closeTarget) {
      Thread thread =
          new Thread(
              () -> {
                byte[] buffer = new byte[8192];
                try {
                  int n;
                  while ((n = from.read(buffer)) >= 0) {
                    to.write(buffer, 0, n);
                    to.flush();
                  }
                } catch (IOException e) {
                  // the other side went away
                } finally {
                  if (closeTarget) {
                    try {
                      to.close();
                    } catch (IOException e) {
                      // closed already
                    }
                  }
                }
              },
              "simulated-edge-" + name);
      thread.setDaemon(true);
      thread.start();
      return thread;
    }
  }

  /** Local port forwards ({@code direct-tcpip}) to loopback addresses; nothing else. */
  static final class LoopbackForwardsOnly extends RejectAllForwardingFilter {

    @Override
    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
      if (type != Type.Direct) {
        return false;
      }
      try {
        for (InetAddress resolved : InetAddress.getAllByName(address.getHostName())) {
          if (!resolved.isLoopbackAddress()) {
            return false;
          }
        }
        return true;
      } catch (UnknownHostException e) {
        return false;
      }
    }
  }
}
