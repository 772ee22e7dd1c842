package io.homelab.operator.sandbox.proxmox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A Proxmox VE API server with state, for the sandbox and the tests: a real HTTPS server on
 * loopback with a self-signed certificate made at start, an API token, request validation against
 * the facts of the official schema, asynchronous tasks that finish after a delay, the clone lock on
 * the source, guest-agent addresses, and failures on request. It counts requests by read and write.
 */
public final class ProxmoxSimulator implements AutoCloseable {

  /** A reply the next matching request gets instead of its real one. */
  record Fault(String method, String pathFragment, int status, String message, Duration stall) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String tokenId;
  private final String tokenSecret;
  private final SimulatedCluster cluster;
  private final ApiFacts facts = ApiFacts.load();
  private final Permissions permissions = Permissions.load();
  private final SelfSignedCertificate certificate;
  private final HttpsServer server;
  private final ExecutorService executor;
  private final List<Fault> faults = new ArrayList<>();
  private final io.homelab.operator.sandbox.HttpFaults lasting =
      new io.homelab.operator.sandbox.HttpFaults();
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicInteger writes = new AtomicInteger();
  private final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile Duration latency = Duration.ZERO;

  private ProxmoxSimulator(
      String tokenId, String tokenSecret, Duration taskDelay, List<String> nodes)
      throws IOException, GeneralSecurityException {
    this.tokenId = tokenId;
    this.tokenSecret = tokenSecret;
    this.cluster = new SimulatedCluster(nodes, taskDelay, tokenId);
    this.certificate = SelfSignedCertificate.generate("pve-simulator");
    char[] password = "simulator".toCharArray();
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(certificate.keyStore(password), password);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/api2/json/", this::handle);
    executor = Executors.newFixedThreadPool(16);
    server.setExecutor(executor);
    server.start();
  }

  /**
   * Starts a simulator on a free loopback port.
   *
   * @param tokenId the API token it accepts, {@code USER@REALM!TOKENID}
   * @param tokenSecret the token's secret
   * @param taskDelay how long every task runs (Proxmox's take seconds; tests use a few ms)
   * @param nodes the cluster's node names
   */
  public static ProxmoxSimulator start(
      String tokenId, String tokenSecret, Duration taskDelay, String... nodes) {
    try {
      return new ProxmoxSimulator(tokenId, tokenSecret, taskDelay, List.of(nodes));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("The Proxmox simulator could not start: " + e, e);
    }
  }

  /** {@code https://127.0.0.1:PORT}, as the connection Secret's {@code url} takes it. */
  public String url() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  /** SHA-256 fingerprint of the server certificate, colon-separated upper-case hex. */
  public String fingerprint() {
    try {
      return certificate.fingerprint();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The server certificate in PEM, for a {@code caBundle}. */
  public String certificatePem() {
    try {
      return certificate.pem();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What a Guest's connection Secret holds to reach this simulator: {@code url}, {@code tokenId},
   * {@code tokenSecret} and the pinned {@code fingerprint}.
   */
  public Map<String, String> connectionSecretData() {
    return Map.of(
        "url", url(), "tokenId", tokenId, "tokenSecret", tokenSecret, "fingerprint", fingerprint());
  }

  /** A connection Secret for Guests to reach this simulator, named {@code namespace/name}. */
  public Secret connectionSecret(String namespace, String name) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withStringData(connectionSecretData())
        .build();
  }

  /** The guests, templates and tasks; tests change it directly to make drift. */
  public SimulatedCluster cluster() {
    return cluster;
  }

  /**
   * Makes the token one with privilege separation, holding {@code privileges} on {@code path} and
   * below (a grant with "Propagate"): every call is then held to the permission check of the
   * official schema and answers 403 {@code Permission check failed (path, privilege)} without them,
   * and lists show only the guests the token has {@code VM.Audit} on. Without any grant the token
   * may do everything.
   */
  public void grant(String path, String... privileges) {
    permissions.grant(path, List.of(privileges));
  }

  /** The next request whose method is {@code method} and path contains {@code fragment} fails. */
  public void failNext(String method, String fragment, int status, String message) {
    synchronized (faults) {
      faults.add(new Fault(method, fragment, status, message, Duration.ZERO));
    }
  }

  /** The next matching request answers only after {@code stall}: a client sees a timeout. */
  public void stallNext(String method, String fragment, Duration stall) {
    synchronized (faults) {
      faults.add(new Fault(method, fragment, 200, null, stall));
    }
  }

  /** Faults that last until cleared (5xx, timeouts, resets, 429, revoked credentials). */
  public io.homelab.operator.sandbox.HttpFaults faults() {
    return lasting;
  }

  /** GET requests served since start or the last {@link #resetCounts()}. */
  public int reads() {
    return reads.get();
  }

  /** POST, PUT and DELETE requests served since start or the last {@link #resetCounts()}. */
  public int writes() {
    return writes.get();
  }

  /** Every request served since the last reset, as {@code METHOD path}. */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Every request from now on is answered {@code latency} later, as across a network. */
  public void latency(Duration latency) {
    this.latency = latency;
  }

  public void resetCounts() {
    reads.set(0);
    writes.set(0);
    requests.clear();
  }

  @Override
  public void close() {
    lasting.clearAll();
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath().substring("/api2/json".length());
      String expected = "PVEAPIToken=" + tokenId + "=" + tokenSecret;
      if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        reply(exchange, 401, error("authentication failure", null));
        return;
      }
      ("GET".equals(method) ? reads : writes).incrementAndGet();
      requests.add(method + " " + path);
      if (!latency.isZero()) {
        sleep(latency);
      }
      if (lasting.intercept(exchange)) {
        return;
      }
      Optional<Fault> fault = takeFault(method, path);
      if (fault.isPresent()) {
        if (!fault.get().stall().isZero()) {
          sleep(fault.get().stall());
        } else {
          reply(exchange, fault.get().status(), error(fault.get().message(), null));
          return;
        }
      }
      Optional<ApiFacts.Match> match = facts.match(method, path);
      if (match.isEmpty()) {
        reply(
            exchange,
            501,
            error("Method '" + method + " " + path + "' is not served by the simulator", null));
        return;
      }
      Map<String, String> params = params(exchange);
      Map<String, String> errors = facts.verify(match.get(), params);
      if (!errors.isEmpty()) {
        reply(exchange, 400, error("Parameter verification failed.", errors));
        return;
      }
      String operation =
          match.get().operation().method() + " " + match.get().operation().template();
      Map<String, String> values = new LinkedHashMap<>(params);
      values.putAll(match.get().pathValues());
      Optional<String> denied = permissions.denied(operation, values);
      if (denied.isPresent()) {
        reply(exchange, 403, error(denied.get(), null));
        return;
      }
      SimulatedCluster.Reply reply = cluster.serve(operation, match.get().pathValues(), params);
      if (reply.status() == 200) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", visible(reply.data()));
        reply(exchange, 200, body);
      } else {
        reply(exchange, reply.status(), error(reply.message(), null));
      }
    } catch (RuntimeException e) {
      reply(exchange, 500, error("simulator: " + e, null));
    }
  }

  /** A list of guests as the token may see it: only those it has VM.Audit on. */
  private Object visible(Object data) {
    if (data instanceof List<?> list) {
      return list.stream()
          .filter(
              e ->
                  !(e instanceof Map<?, ?> entry)
                      || !entry.containsKey("vmid")
                      || permissions.sees(entry.get("vmid")))
          .toList();
    }
    return data;
  }

  private Optional<Fault> takeFault(String method, String path) {
    synchronized (faults) {
      for (Fault f : faults) {
        if (f.method().equals(method) && path.contains(f.pathFragment())) {
          faults.remove(f);
          return Optional.of(f);
        }
      }
    }
    return Optional.empty();
  }

  private static void sleep(Duration stall) {
    try {
      // A stalled or delayed reply: this thread stands for a slow or hung Proxmox worker.
      Thread.sleep(stall.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<String, String> params(HttpExchange exchange) throws IOException {
    Map<String, String> params = new LinkedHashMap<>();
    decode(exchange.getRequestURI().getRawQuery(), params);
    byte[] body = exchange.getRequestBody().readAllBytes();
    if (body.length > 0) {
      decode(new String(body, StandardCharsets.UTF_8), params);
    }
    return params;
  }

  private static void decode(String form, Map<String, String> into) {
    if (form == null || form.isEmpty()) {
      return;
    }
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      into.put(key, value);
    }
  }

  private static Map<String, Object> error(String message, Map<String, String> errors) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("data", null);
    body.put("message", message);
    if (errors != null) {
      body.put("errors", errors);
    }
    return body;
  }

  private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
