package io.homelab.operator.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forward on a loopback port to another, that can be cut: while cut, nothing listens on the
 * port (connections are refused) and every connection through it is closed, as when a network or
 * the API server goes away; restored, it listens on the same port again. TLS passes through
 * untouched.
 */
final class CuttableForward implements AutoCloseable {

  private final int targetPort;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket server;

  CuttableForward(int targetPort) {
    this.targetPort = targetPort;
    this.port = listen(0);
  }

  int port() {
    return port;
  }

  /** Refuses new connections and closes every one open. */
  synchronized void cut() {
    closeQuietly(server);
    open.forEach(CuttableForward::closeQuietly);
    open.clear();
  }

  /** Listens on the same port again. */
  synchronized void restore() {
    listen(port);
  }

  private int listen(int on) {
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), on), 50);
      server = socket;
      Thread acceptor = new Thread(() -> accept(socket), "cuttable-forward-" + targetPort);
      acceptor.setDaemon(true);
      acceptor.start();
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on loopback port " + on, e);
    }
  }

  private void accept(ServerSocket socket) {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
        open.add(client);
        open.add(upstream);
        pipe(client, upstream);
        pipe(upstream, client);
      } catch (IOException e) {
        // cut, or the target refused
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // one side closed
              } finally {
                closeQuietly(to);
                open.remove(to);
              }
            });
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    cut();
  }
}
