package io.homelab.operator.sandbox.lab;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The small HTTP server of the {@code lan} namespace: answers every request with a fixed first
 * line, then the Host and X-Forwarded-For it was sent and the address it was reached from.
 */
public final class LanHttpServer {

  public static final String BODY = "hello from the home lan";

  private LanHttpServer() {}

  public static void main(String[] args) throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 8);
    server.createContext(
        "/",
        exchange -> {
          // The body says what the application saw, for the tests to check the path.
          String forwardedFor = exchange.getRequestHeaders().getFirst("X-Forwarded-For");
          String host = exchange.getRequestHeaders().getFirst("Host");
          byte[] body =
              (BODY
                      + "\nHost: "
                      + host
                      + "\nX-Forwarded-For: "
                      + (forwardedFor == null ? "" : forwardedFor)
                      + "\nPeer: "
                      + exchange.getRemoteAddress().getAddress().getHostAddress()
                      + "\n")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }
}
