package io.homelab.operator.netns;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** The small HTTP server of the {@code lan} namespace: answers every request with a fixed body. */
public final class LanHttpServer {

  public static final String BODY = "hello from the home lan";

  private LanHttpServer() {}

  public static void main(String[] args) throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 8);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }
}
