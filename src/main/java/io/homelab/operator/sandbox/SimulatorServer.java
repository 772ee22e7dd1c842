package io.homelab.operator.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP side every simulator shares: a JDK server on the loopback address, JSON in and out,
 * routes by method and path pattern, requests counted as reads ({@code GET}) and writes (anything
 * else), and failure injection (the next requests answer a 5xx, or hang until the client gives up).
 * A simulator adds its routes and keeps its own state; handlers run one at a time, so that state
 * needs no locking of its own.
 */
public final class SimulatorServer implements AutoCloseable {

  /** One request, with the path pattern's groups and the JSON body (NullNode when empty). */
  public record Request(
      String method,
      String path,
      Map<String, String> query,
      Map<String, List<String>> headers,
      JsonNode body,
      Matcher params) {

    /** A request header, or null. */
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }

    /** A named group of the route's path pattern. */
    public String param(String name) {
      return params.group(name);
    }
  }

  /** A reply: status, extra headers and a JSON body (null for none). */
  public record Response(int status, Map<String, String> headers, JsonNode body) {
    public static Response json(int status, JsonNode body) {
      return new Response(status, Map.of(), body);
    }
  }

  /** Answers one request. */
  @FunctionalInterface
  public interface Handler {
    Response handle(Request request);
  }

  private record Route(String method, Pattern path, Handler handler) {}

  public static final ObjectMapper JSON = new ObjectMapper();

  static {
    // Without TCP_NODELAY, each reply on a kept-alive connection waits for the client's delayed
    // ACK (about 40 ms). The JDK server reads this property once, when its first server starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final List<Route> routes = new ArrayList<>();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Object stateLock = new Object();
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();
  private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failureStatus = 503;
  private final AtomicInteger hangsLeft = new AtomicInteger();
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile Duration latency = Duration.ZERO;
  private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
  private final HttpFaults faults = new HttpFaults();

  /** A server on a free loopback port. */
  public SimulatorServer() {
    this(0);
  }

  /** A server on the given loopback port (0: any free one). */
  public SimulatorServer(int port) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on the loopback address, port " + port, e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::exchange);
  }

  /** Adds a route; {@code pathRegex} may name groups, read back with {@link Request#param}. */
  public SimulatorServer route(String method, String pathRegex, Handler handler) {
    routes.add(new Route(method, Pattern.compile(pathRegex), handler));
    return this;
  }

  public SimulatorServer start() {
    server.start();
    return this;
  }

  /** The base URI, {@code http://127.0.0.1:<port>}. */
  public URI uri() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
  }

  /** Requests answered so far with {@code GET}. */
  public long reads() {
    return reads.get();
  }

  /** Requests answered so far with any other method. */
  public long writes() {
    return writes.get();
  }

  /** Every request so far as {@code METHOD /path}, in order (queries left out). */
  public List<String> requests() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** The next {@code count} requests answer {@code status} (a 5xx) without touching the state. */
  public void failNext(int count, int status) {
    failureStatus = status;
    failuresLeft.set(count);
  }

  /**
   * The next {@code count} requests get no answer until the server closes or {@link #releaseHung}
   * is called: the client's own timeout is what ends them.
   */
  public void hangNext(int count) {
    hangsLeft.set(count);
  }

  /** Lets every hanging request go (they are answered 504). */
  public void releaseHung() {
    released.countDown();
  }

  /**
   * Every request from now on is answered {@code latency} later, as a system across a network
   * would; requests wait side by side, not one after the other.
   */
  public void latency(Duration latency) {
    this.latency = latency;
  }

  /** Requests answered so far with this HTTP status. */
  public long answered(int status) {
    AtomicLong count = statuses.get(status);
    return count == null ? 0 : count.get();
  }

  /** Faults that last until cleared (5xx, timeouts, resets, 429, revoked credentials). */
  public HttpFaults faults() {
    return faults;
  }

  /** Runs {@code action} under the same lock as the handlers, for state set up by tests. */
  public <T> T locked(java.util.function.Supplier<T> action) {
    synchronized (stateLock) {
      return action.get();
    }
  }

  @Override
  public void close() {
    released.countDown();
    faults.clearAll();
    server.stop(0);
    executor.shutdownNow();
  }

  private void exchange(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      (method.equals("GET") ? reads : writes).incrementAndGet();
      log.add(method + " " + exchange.getRequestURI().getPath());
      delay();
      if (faults.intercept(exchange)) {
        return;
      }
      Response response = answer(exchange, method);
      statuses.computeIfAbsent(response.status(), s -> new AtomicLong()).incrementAndGet();
      byte[] bytes =
          response.body() == null ? new byte[0] : JSON.writeValueAsBytes(response.body());
      response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      if (bytes.length > 0) {
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
      }
      exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  private void delay() {
    Duration wait = latency;
    if (wait.isZero()) {
      return;
    }
    try {
      // The simulated network: the reply leaves this much later, outside the state lock.
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Response answer(HttpExchange exchange, String method) throws IOException {
    byte[] raw = exchange.getRequestBody().readAllBytes();
    if (hangsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      try {
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Response.json(504, null);
    }
    if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return Response.json(failureStatus, JSON.createObjectNode().put("error", "injected"));
    }
    JsonNode body;
    try {
      body = raw.length == 0 ? NullNode.getInstance() : JSON.readTree(raw);
    } catch (IOException e) {
      return Response.json(400, JSON.createObjectNode().put("error", "malformed JSON"));
    }
    String path = exchange.getRequestURI().getPath();
    boolean pathKnown = false;
    for (Route route : routes) {
      Matcher m = route.path().matcher(path);
      if (!m.matches()) {
        continue;
      }
      pathKnown = true;
      if (route.method().equals(method)) {
        Request request =
            new Request(
                method,
                path,
                query(exchange.getRequestURI().getRawQuery()),
                exchange.getRequestHeaders(),
                body,
                m);
        synchronized (stateLock) {
          return route.handler().handle(request);
        }
      }
    }
    return Response.json(
        pathKnown ? 405 : 404,
        JSON.createObjectNode().put("error", "no route " + method + " " + path));
  }

  /** A query string ({@code a=1&b=2}, without the {@code ?}) decoded, in order. */
  public static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      query.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return query;
  }
}
