package io.homelab.operator.sandbox.npm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real data plane for the NPM simulator, the way NPM itself has one: a standalone nginx whose
 * config is one {@code server} block per enabled proxy host, in a directory this class owns.
 *
 * <p>The directory holds {@code nginx.conf} (pid file, logs and temp paths all inside the
 * directory, no {@code user} directive: as root, nginx's workers run as its compiled-in default
 * user), {@code proxy_host/<id>.conf} per served host, {@code error.log}, {@code access.log} and
 * {@code nginx.out} (what the nginx process printed). Every server block and the default server
 * (404 for any other host) listen on the address given at construction, for example {@code
 * 10.212.100.1:80}.
 *
 * <p>Every nginx command runs behind a prefix, empty by default, so that nginx can run inside a
 * network namespace: with {@code ["ip", "netns", "exec", "home-ns"]}, a reload is {@code ip netns
 * exec home-ns nginx -e <dir>/error.log -c <dir>/nginx.conf -s reload}.
 *
 * <p>{@link #apply} brings the host files in line with the simulator's proxy hosts as NPM does:
 * each new or changed host is written and checked with {@code nginx -t}; a host nginx refuses is
 * taken out again, so the rest keeps serving, and its error is what NPM reports as {@code
 * meta.nginx_err}. When something changed and nginx runs, it is reloaded, and {@code apply} returns
 * once the new workers serve.
 */
public final class NginxDataPlane implements AutoCloseable {

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(10);

  /** A host nginx refused: the file content it refused and its message. */
  private record Refusal(String content, String error) {}

  private final Path directory;
  private final String listen;
  private final List<String> commandPrefix;
  private final String nginx;
  private final Path hostDirectory;
  private final Path config;
  private final Path pidFile;
  private final Path errorLog;
  private final Path output;
  private final Map<Integer, String> written = new TreeMap<>();
  private final Map<Integer, Refusal> refused = new HashMap<>();
  private Process process;
  private long masterPid;
  private Thread shutdownHook;

  /** A data plane in {@code directory}, serving on {@code listen} ({@code address:port}). */
  public NginxDataPlane(Path directory, String listen) {
    this(directory, listen, List.of());
  }

  /**
   * A data plane in {@code directory}, serving on {@code listen} ({@code address:port}), its nginx
   * commands run behind {@code commandPrefix} (for example {@code ["ip", "netns", "exec",
   * "home-ns"]}).
   */
  public NginxDataPlane(Path directory, String listen, List<String> commandPrefix) {
    this(directory, listen, commandPrefix, "nginx");
  }

  /**
   * As {@link #NginxDataPlane(Path, String, List)}, with the nginx executable to run (a name looked
   * up on the {@code PATH}, or a path).
   */
  public NginxDataPlane(Path directory, String listen, List<String> commandPrefix, String nginx) {
    if (listen.isBlank() || !listen.matches("[\\[\\]0-9A-Za-z.:_-]+")) {
      throw new IllegalArgumentException("listen must be address:port, not '" + listen + "'");
    }
    this.directory = directory.toAbsolutePath().normalize();
    this.listen = listen;
    this.commandPrefix = List.copyOf(commandPrefix);
    this.nginx = nginx;
    this.hostDirectory = this.directory.resolve("proxy_host");
    this.config = this.directory.resolve("nginx.conf");
    this.pidFile = this.directory.resolve("nginx.pid");
    this.errorLog = this.directory.resolve("error.log");
    this.output = this.directory.resolve("nginx.out");
    try {
      Files.createDirectories(hostDirectory);
      for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
        Files.createDirectories(this.directory.resolve("temp").resolve(temp));
      }
      try (Stream<Path> stale = Files.list(hostDirectory)) {
        for (Path file : stale.toList()) {
          Files.delete(file);
        }
      }
      Files.writeString(config, mainConfig());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the nginx directory " + this.directory, e);
    }
  }

  /** The directory this data plane owns. */
  public Path directory() {
    return directory;
  }

  /** The address and port every server block listens on. */
  public String listen() {
    return listen;
  }

  /** The main config nginx runs with. */
  public Path configFile() {
    return config;
  }

  /** The file of one proxy host (present while nginx serves it). */
  public Path hostFile(int id) {
    return hostDirectory.resolve(id + ".conf");
  }

  /** The nginx master's pid while it runs. */
  public synchronized OptionalLong pid() {
    return running() ? OptionalLong.of(masterPid) : OptionalLong.empty();
  }

  /** Whether nginx runs. */
  public synchronized boolean running() {
    return masterPid != 0 && alive(masterPid);
  }

  /**
   * Checks the config ({@code nginx -t}) and starts nginx in the foreground of a child process;
   * returns once its master has written the pid file (it listens then) and a worker runs.
   *
   * @throws IllegalStateException when the config fails the check or nginx does not come up
   */
  public synchronized void start() {
    if (running()) {
      return;
    }
    Optional<String> error = check();
    if (error.isPresent()) {
      throw new IllegalStateException("nginx refuses its config: " + error.get());
    }
    try {
      Files.deleteIfExists(pidFile);
      ProcessBuilder builder =
          new ProcessBuilder(command())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", command()), e);
    }
    long deadline = System.nanoTime() + PROCESS_TIMEOUT.toNanos();
    while (true) {
      OptionalLong pid = readPid();
      if (pid.isPresent() && alive(pid.getAsLong()) && workers(pid.getAsLong()).size() > 0) {
        masterPid = pid.getAsLong();
        break;
      }
      if (!process.isAlive()) {
        process = null;
        throw new IllegalStateException("nginx exited at start: " + diagnostics());
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        process = null;
        throw new IllegalStateException(
            "nginx did not come up within " + PROCESS_TIMEOUT + ": " + diagnostics());
      }
      pause();
    }
    shutdownHook = new Thread(this::stopQuietly, "nginx-data-plane-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Stops nginx ({@code nginx -s quit}, then a kill by pid if it lingers) and returns once its
   * master and workers are gone.
   *
   * @throws IllegalStateException when nginx is still there after the kill
   */
  public synchronized void stop() {
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is what calls us.
      }
      shutdownHook = null;
    }
    long pid = masterPid != 0 ? masterPid : readPid().orElse(0);
    if (pid == 0 && process == null) {
      return;
    }
    List<ProcessHandle> all = new ArrayList<>();
    if (pid != 0) {
      ProcessHandle.of(pid)
          .ifPresent(
              master -> {
                all.add(master);
                all.addAll(master.children().toList());
              });
      if (alive(pid)) {
        run(command("-s", "quit"));
      }
    }
    if (process != null) {
      all.add(process.toHandle());
    }
    if (!gone(all)) {
      all.forEach(ProcessHandle::destroyForcibly);
      if (!gone(all)) {
        throw new IllegalStateException("nginx (pid " + pid + ") is still running after a kill");
      }
    }
    process = null;
    masterPid = 0;
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * Brings nginx in line with these proxy hosts (NPM's rows, by id): every enabled one gets its
   * server block, every other file goes. A new or changed host is checked with {@code nginx -t}
   * before the next one is written; when nginx refuses it, its file is taken out again. Reloads
   * nginx when it runs and something changed.
   *
   * @return the hosts nginx refused, with nginx's message; every other enabled host is served
   */
  public synchronized Map<Integer, String> apply(Map<Integer, ? extends JsonNode> proxyHosts) {
    Map<Integer, String> errors = new TreeMap<>();
    Map<Integer, String> desired = new TreeMap<>();
    proxyHosts.forEach(
        (id, host) -> {
          if (host.path("enabled").asBoolean(true)) {
            try {
              desired.put(id, serverBlock(id, host));
            } catch (IllegalArgumentException unwritable) {
              errors.put(id, unwritable.getMessage());
            }
          }
        });
    refused.keySet().retainAll(desired.keySet());
    boolean changed = false;
    try {
      for (Integer id : List.copyOf(written.keySet())) {
        if (!written.get(id).equals(desired.get(id))) {
          Files.deleteIfExists(hostFile(id));
          written.remove(id);
          changed = true;
        }
      }
      for (Map.Entry<Integer, String> host : desired.entrySet()) {
        int id = host.getKey();
        String content = host.getValue();
        if (content.equals(written.get(id))) {
          continue;
        }
        Refusal before = refused.get(id);
        if (before != null && before.content().equals(content)) {
          errors.put(id, before.error());
          continue;
        }
        Files.writeString(hostFile(id), content);
        Optional<String> error = check();
        if (error.isPresent()) {
          Files.delete(hostFile(id));
          refused.put(id, new Refusal(content, error.get()));
          errors.put(id, error.get());
        } else {
          refused.remove(id);
          written.put(id, content);
          changed = true;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write nginx's host files in " + hostDirectory, e);
    }
    if (changed && running()) {
      reload();
    }
    return errors;
  }

  // --- config -----------------------------------------------------------------------------------

  private String mainConfig() {
    Path temp = directory.resolve("temp");
    return String.join(
        "\n",
        "# Written by the NPM simulator's NginxDataPlane.",
        "daemon off;",
        "worker_processes 1;",
        "pid " + quote(pidFile.toString()) + ";",
        "error_log " + quote(errorLog.toString()) + " notice;",
        "",
        "events {",
        "  worker_connections 512;",
        "}",
        "",
        "http {",
        "  access_log " + quote(directory.resolve("access.log").toString()) + ";",
        "  client_body_temp_path " + quote(temp.resolve("client_body").toString()) + ";",
        "  proxy_temp_path " + quote(temp.resolve("proxy").toString()) + ";",
        "  fastcgi_temp_path " + quote(temp.resolve("fastcgi").toString()) + ";",
        "  uwsgi_temp_path " + quote(temp.resolve("uwsgi").toString()) + ";",
        "  scgi_temp_path " + quote(temp.resolve("scgi").toString()) + ";",
        "  # Responses are passed on as they come: the workers need not write into the directory.",
        "  proxy_max_temp_file_size 0;",
        "  server_names_hash_bucket_size 128;",
        "",
        "  # trust_forwarded_proto: the scheme the edge saw, or ours when it sent none.",
        "  map $http_x_forwarded_proto $homelab_forwarded_proto {",
        "    default $http_x_forwarded_proto;",
        "    \"\" $scheme;",
        "  }",
        "  # allow_websocket_upgrade",
        "  map $http_upgrade $homelab_connection_upgrade {",
        "    default upgrade;",
        "    \"\" close;",
        "  }",
        "",
        "  # Any host no proxy host serves.",
        "  server {",
        "    listen " + listen + " default_server;",
        "    server_name _;",
        "    return 404;",
        "  }",
        "",
        "  include " + quote(hostDirectory.resolve("*.conf").toString()) + ";",
        "}",
        "");
  }

  /** One proxy host's server block. */
  String serverBlock(int id, JsonNode host) {
    List<String> names = new ArrayList<>();
    for (JsonNode name : host.path("domain_names")) {
      names.add(quote(name.asText()));
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("proxy host " + id + " has no domain_names");
    }
    String scheme = host.path("forward_scheme").asText("http");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("forward_scheme must be http or https, not " + scheme);
    }
    String forwardHost = host.path("forward_host").asText();
    if (forwardHost.contains(":") && !forwardHost.startsWith("[")) {
      forwardHost = "[" + forwardHost + "]";
    }
    int port = host.path("forward_port").asInt();
    StringBuilder block = new StringBuilder();
    block
        .append("# proxy host ")
        .append(id)
        .append(", written by the NPM simulator's NginxDataPlane\n")
        .append("server {\n")
        .append("  listen ")
        .append(listen)
        .append(";\n")
        .append("  server_name ")
        .append(String.join(" ", names))
        .append(";\n");
    if (host.path("block_exploits").asBoolean(false)) {
      block
          .append("\n  # block_exploits\n")
          .append("  if ($query_string ~* \"union.*select\") {\n    return 403;\n  }\n")
          .append("  if ($query_string ~* \"(<|%3c).*script\") {\n    return 403;\n  }\n")
          .append("  if ($request_uri ~* \"(\\.\\.|%2e%2e)(/|%2f)\") {\n    return 403;\n  }\n");
    }
    block
        .append("\n  location / {\n")
        .append("    proxy_pass ")
        .append(quote(scheme + "://" + forwardHost + ":" + port))
        .append(";\n")
        .append("    proxy_set_header Host $host;\n")
        .append("    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n")
        .append("    proxy_set_header X-Forwarded-Proto ")
        .append(
            host.path("trust_forwarded_proto").asBoolean(false)
                ? "$homelab_forwarded_proto"
                : "$scheme")
        .append(";\n")
        .append("    proxy_set_header X-Real-IP $remote_addr;\n");
    if (host.path("allow_websocket_upgrade").asBoolean(false)) {
      block
          .append("    proxy_http_version 1.1;\n")
          .append("    proxy_set_header Upgrade $http_upgrade;\n")
          .append("    proxy_set_header Connection $homelab_connection_upgrade;\n");
    }
    return block.append("  }\n}\n").toString();
  }

  /**
   * A double-quoted nginx string. Quotes and backslashes are escaped; {@code $} (a variable to
   * nginx) and control characters are refused, so no value can reach outside its directive.
   */
  static String quote(String value) {
    for (char c : value.toCharArray()) {
      if (c == '$' || c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException(
            "the data plane writes no '$' or control character into nginx's config: '"
                + value.replaceAll("\\p{Cntrl}", "?")
                + "'");
      }
    }
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  // --- nginx ------------------------------------------------------------------------------------

  /** {@code nginx -t}: empty when nginx takes the config, else its message. */
  private Optional<String> check() {
    List<String> command = command("-t", "-q");
    Result result = run(command);
    if (result.exit() == 0) {
      return Optional.empty();
    }
    String message = result.output().strip();
    return Optional.of(message.isEmpty() ? "nginx -t exited with " + result.exit() : message);
  }

  /** {@code nginx -s reload}, then waits until new workers serve and the old ones have gone. */
  private void reload() {
    Set<Long> before = workers(masterPid);
    Result result = run(command("-s", "reload"));
    if (result.exit() != 0) {
      throw new IllegalStateException("nginx -s reload failed: " + result.output().strip());
    }
    long deadline = System.nanoTime() + PROCESS_TIMEOUT.toNanos();
    long newSeen = 0;
    while (System.nanoTime() < deadline) {
      Set<Long> now = workers(masterPid);
      boolean fresh = now.stream().anyMatch(pid -> !before.contains(pid));
      boolean oldGone = now.stream().noneMatch(before::contains);
      if (fresh && newSeen == 0) {
        newSeen = System.nanoTime();
      }
      // Old workers stop accepting as soon as the master starts the new ones; one holding a
      // long-lived connection (a WebSocket) may take a while to leave, so that is not waited for.
      if (fresh && (oldGone || System.nanoTime() - newSeen > Duration.ofSeconds(2).toNanos())) {
        return;
      }
      if (!alive(masterPid)) {
        throw new IllegalStateException("nginx exited on reload: " + diagnostics());
      }
      pause();
    }
    throw new IllegalStateException(
        "nginx did not take the new config within " + PROCESS_TIMEOUT + ": " + diagnostics());
  }

  /** The command line: the prefix, nginx, its log and config, then {@code args}. */
  private List<String> command(String... args) {
    List<String> command = new ArrayList<>(commandPrefix);
    command.addAll(List.of(nginx, "-e", errorLog.toString(), "-c", config.toString()));
    command.addAll(List.of(args));
    return command;
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish: " + out);
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  private OptionalLong readPid() {
    try {
      String text = Files.readString(pidFile).strip();
      return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
    } catch (IOException | NumberFormatException notYet) {
      return OptionalLong.empty();
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static Set<Long> workers(long master) {
    return ProcessHandle.of(master).stream()
        .flatMap(ProcessHandle::children)
        .filter(ProcessHandle::isAlive)
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  private static boolean gone(List<ProcessHandle> processes) {
    long deadline = System.nanoTime() + PROCESS_TIMEOUT.toNanos();
    while (processes.stream().anyMatch(ProcessHandle::isAlive)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      pause();
    }
    return true;
  }

  private void stopQuietly() {
    try {
      stop();
    } catch (RuntimeException e) {
      // The JVM is going away; nothing to report to.
    }
  }

  private String diagnostics() {
    return tail(output) + " / error.log: " + tail(errorLog);
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    } catch (IOException e) {
      return "(nothing)";
    }
  }

  private static void pause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for nginx", e);
    }
  }
}
