package io.homelab.operator.driver.caddy;

import io.homelab.operator.driver.ExternalCalls;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The thin transport to Caddy's admin API. It connects to a local address (the SSH port forward to
 * the VPS) but sends the Host the admin endpoint listens on, because Caddy refuses other hosts with
 * 403. Every write sends {@code Content-Type: application/json} and, when given, {@code If-Match},
 * so a concurrent edit is refused (412) instead of overwritten. Caddy sends the ETag as a trailer.
 * Every call is measured in {@link ExternalCalls}.
 */
public final class CaddyAdmin implements AutoCloseable {

  /** One answer of the admin API. */
  public record Response(int status, String body, String etag) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private final HttpClient client;
  private final SocketAddress target;
  private final String adminHost;
  private final int adminPort;
  private final Duration timeout;

  /**
   * @param target where to connect (the local end of the port forward)
   * @param adminAddress the address Caddy's admin endpoint listens on, {@code host:port}
   */
  public CaddyAdmin(Vertx vertx, SocketAddress target, String adminAddress, Duration timeout) {
    // Caddy closes its admin connections when it loads a new config: a connection per request.
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    this.target = target;
    int colon = adminAddress.lastIndexOf(':');
    this.adminHost = adminAddress.substring(0, colon);
    this.adminPort = Integer.parseInt(adminAddress.substring(colon + 1));
    this.timeout = timeout;
  }

  /** {@code GET /config/<path>}: a part of the running config, and its ETag. */
  public Response get(String path) {
    try {
      return call(HttpMethod.GET, "/config/" + path, null, null);
    } catch (CaddyException e) {
      // A read is safe to repeat once: the connection may have closed under a config reload.
      return call(HttpMethod.GET, "/config/" + path, null, null);
    }
  }

  /** {@code POST /config/<path>}: sets an object or appends to an array (creates a missing key). */
  public Response post(String path, String json, String ifMatch) {
    return call(HttpMethod.POST, "/config/" + path, json, ifMatch);
  }

  /** {@code PATCH /config/<path>}: replaces an existing value (500 when the key is missing). */
  public Response patch(String path, String json, String ifMatch) {
    return call(HttpMethod.PATCH, "/config/" + path, json, ifMatch);
  }

  /** {@code DELETE /config/<path>}: removes a value. */
  public Response delete(String path, String ifMatch) {
    return call(HttpMethod.DELETE, "/config/" + path, null, ifMatch);
  }

  private Response call(HttpMethod method, String uri, String json, String ifMatch) {
    RequestOptions options =
        new RequestOptions()
            .setServer(target)
            .setHost(adminHost)
            .setPort(adminPort)
            .setMethod(method)
            .setURI(uri)
            .setTimeout(timeout.toMillis());
    if (json != null) {
      options.putHeader("Content-Type", "application/json");
    }
    if (ifMatch != null) {
      options.putHeader("If-Match", ifMatch);
    }
    long start = System.nanoTime();
    try {
      Response answer =
          client
              .request(options)
              .compose(
                  request ->
                      (json == null ? request.send() : request.send(Buffer.buffer(json)))
                          .compose(
                              response ->
                                  response
                                      .body()
                                      .map(
                                          body -> {
                                            String etag = response.getHeader("Etag");
                                            if (etag == null) {
                                              etag = response.trailers().get("Etag");
                                            }
                                            return new Response(
                                                response.statusCode(), body.toString(), etag);
                                          })))
              .toCompletionStage()
              .toCompletableFuture()
              .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      ExternalCalls.http(
          ExternalCalls.CADDY,
          method.name(),
          uri,
          ExternalCalls.Outcome.ofStatus(answer.status()),
          start);
      return answer;
    } catch (InterruptedException e) {
      ExternalCalls.http(
          ExternalCalls.CADDY, method.name(), uri, ExternalCalls.Outcome.UNREACHABLE, start);
      Thread.currentThread().interrupt();
      throw new CaddyException("interrupted while calling Caddy's admin API", true, e);
    } catch (ExecutionException | TimeoutException e) {
      ExternalCalls.http(
          ExternalCalls.CADDY, method.name(), uri, ExternalCalls.Outcome.UNREACHABLE, start);
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new CaddyException(method + " " + uri + " failed: " + cause.getMessage(), true, cause);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
