package io.homelab.operator.sandbox;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Faults that last until they are cleared, for the HTTP simulators: every request a fault's scope
 * takes (all of them, or those of one API token, say) gets the fault instead of its answer, and the
 * state is left untouched. Unlike a burst of a fixed length, a lasting fault shows what the
 * operator does for as long as a system is down, and how it recovers once it is back.
 */
public final class HttpFaults {

  /** What a faulted request gets. */
  public enum Kind {
    /** 503 Service Unavailable. */
    UNAVAILABLE(503),
    /**
     * No answer until the fault clears (at most {@link #LONGEST_HANG}): the client's own timeout
     * ends the request.
     */
    TIMEOUT(504),
    /** The connection is closed without an answer, as when a proxy or the server drops it. */
    CONNECTION_RESET(0),
    /** 429 Too Many Requests with {@code Retry-After: 1}. */
    RATE_LIMITED(429),
    /** 401 Unauthorized: the credentials expired or were revoked. */
    CREDENTIALS_REVOKED(401);

    private final int status;

    Kind(int status) {
      this.status = status;
    }

    /** The HTTP status the fault answers (0: none, the connection is closed). */
    public int status() {
      return status;
    }
  }

  /** A hanging request is answered 504 after this, whether or not the fault cleared. */
  public static final Duration LONGEST_HANG = Duration.ofMinutes(2);

  /** One fault in force: how many requests it took, and the switch that ends it. */
  public static final class Active {
    private final Kind kind;
    private final Predicate<HttpExchange> scope;
    private final AtomicInteger hits = new AtomicInteger();
    private final CountDownLatch cleared = new CountDownLatch(1);

    private Active(Kind kind, Predicate<HttpExchange> scope) {
      this.kind = kind;
      this.scope = scope;
    }

    public Kind kind() {
      return kind;
    }

    /** Requests this fault answered so far: the attempts the client made while it lasted. */
    public int hits() {
      return hits.get();
    }

    public boolean isCleared() {
      return cleared.getCount() == 0;
    }

    /** Ends the fault: requests are answered again, and hanging ones are let go (504). */
    public void clear() {
      cleared.countDown();
    }
  }

  private final List<Active> active = new CopyOnWriteArrayList<>();

  /** Every request from now on gets {@code kind}, until the returned fault is cleared. */
  public Active inject(Kind kind) {
    return inject(kind, exchange -> true);
  }

  /** Requests that {@code scope} takes get {@code kind} from now on, until it is cleared. */
  public Active inject(Kind kind, Predicate<HttpExchange> scope) {
    Active fault = new Active(kind, scope);
    active.add(fault);
    return fault;
  }

  /** Clears every fault (when the simulator closes, say). */
  public void clearAll() {
    active.forEach(Active::clear);
    active.clear();
  }

  /**
   * Answers the exchange with the first fault in force whose scope takes it. Returns whether it
   * did; if not, the simulator answers as usual.
   */
  public boolean intercept(HttpExchange exchange) throws IOException {
    Active fault = null;
    for (Active candidate : active) {
      if (candidate.isCleared()) {
        active.remove(candidate);
      } else if (candidate.scope.test(exchange)) {
        fault = candidate;
        break;
      }
    }
    if (fault == null) {
      return false;
    }
    fault.hits.incrementAndGet();
    exchange.getRequestBody().readAllBytes();
    switch (fault.kind) {
      case CONNECTION_RESET -> {
        // Closing an exchange before its headers were sent closes the TCP connection: the client
        // reads end-of-stream where the answer should be.
        exchange.close();
        return true;
      }
      case TIMEOUT -> {
        try {
          fault.cleared.await(LONGEST_HANG.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      case RATE_LIMITED -> exchange.getResponseHeaders().set("Retry-After", "1");
      default -> {}
    }
    byte[] body =
        ("{\"success\":false,\"error\":\"injected fault: "
                + fault.kind.name().toLowerCase(java.util.Locale.ROOT)
                + "\",\"errors\":[{\"code\":"
                + fault.kind.status
                + ",\"message\":\"injected fault\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    try {
      exchange.sendResponseHeaders(fault.kind.status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (IOException e) {
      // The client gave up on a hanging request: the timeout it saw is the fault.
    }
    exchange.close();
    return true;
  }
}
