package io.homelab.operator.driver;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The one HTTP exchange the REST drivers share: JSON in and out over {@code java.net.http}, under
 * one API base, with a timeout per request. A reply of any status comes back as a {@link Reply};
 * only a failure to get one at all (timeout, refused connection) is an {@link IOException}, for the
 * driver to map. Given the system it talks to, every exchange is measured in {@link ExternalCalls}.
 */
public final class JsonHttp {

  /** A reply: status, headers, and the body as JSON (NullNode when empty or not JSON). */
  public record Reply(int status, HttpHeaders headers, JsonNode body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  public static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final String base;
  private final HttpClient client;
  private final Duration timeout;
  private final String system;

  /** Requests go under {@code base}, e.g. {@code http://npm.home:81/api}; nothing is measured. */
  public JsonHttp(URI base, Duration timeout) {
    this(base, timeout, null);
  }

  /**
   * Requests go under {@code base}, each measured as a call to {@code system} (one of {@link
   * ExternalCalls}' systems).
   */
  public JsonHttp(URI base, Duration timeout, String system) {
    this.system = system;
    String text = base.toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
    this.timeout = timeout;
  }

  /** The API base requests go under, as given. */
  public String base() {
    return base;
  }

  /** Sends one request to {@code pathAndQuery} under the base; {@code body} null sends none. */
  public Reply send(String method, String pathAndQuery, Map<String, String> headers, Object body)
      throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(timeout)
            .header("Accept", "application/json");
    headers.forEach(request::header);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    }
    HttpResponse<byte[]> response;
    long start = System.nanoTime();
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      measure(method, pathAndQuery, ExternalCalls.Outcome.UNREACHABLE, start);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (IOException e) {
      measure(method, pathAndQuery, ExternalCalls.Outcome.UNREACHABLE, start);
      throw e;
    }
    measure(method, pathAndQuery, ExternalCalls.Outcome.ofStatus(response.statusCode()), start);
    return new Reply(response.statusCode(), response.headers(), parse(response.body()));
  }

  private void measure(
      String method, String pathAndQuery, ExternalCalls.Outcome outcome, long start) {
    if (system != null) {
      ExternalCalls.http(system, method, pathAndQuery, outcome, start);
    }
  }

  private static JsonNode parse(byte[] raw) {
    if (raw == null || raw.length == 0) {
      return NullNode.getInstance();
    }
    try {
      return JSON.readTree(raw);
    } catch (IOException e) {
      return NullNode.getInstance();
    }
  }
}
