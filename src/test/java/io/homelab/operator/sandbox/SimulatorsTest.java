package io.homelab.operator.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The pieces of sandbox mode that run in a cluster: the relay and the URLs the samples name. */
class SimulatorsTest {

  @Test
  void aUrlKeepsItsSchemeAndPathAndTakesTheServicesHostAndPort() {
    assertThat(
            Simulators.withPort(
                URI.create("http://127.0.0.1:40123/client/v4"), "simulators.e2e.svc", 8082))
        .isEqualTo("http://simulators.e2e.svc:8082/client/v4");
  }

  @Test
  void theRelayCarriesBytesBothWays() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 0, InetAddress.getLoopbackAddress());
        ServerSocket free = new ServerSocket(0)) {
      int port = free.getLocalPort();
      free.close();
      Thread server =
          new Thread(
              () -> {
                try (Socket s = echo.accept()) {
                  byte[] b = s.getInputStream().readNBytes(5);
                  s.getOutputStream()
                      .write(new String(b, StandardCharsets.US_ASCII).toUpperCase().getBytes());
                } catch (Exception e) {
                  // the test fails on its read
                }
              });
      server.start();
      try (ServerSocket relay = Simulators.relay(port, echo.getLocalPort());
          Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
        OutputStream out = client.getOutputStream();
        out.write("hello".getBytes(StandardCharsets.US_ASCII));
        InputStream in = client.getInputStream();
        assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("HELLO");
      }
      server.join(5000);
    }
  }
}
