package io.homelab.operator.driver.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.homelab.operator.model.ExpectedStatus;
import io.homelab.operator.model.ProbeTarget;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe against a local HTTPS server on loopback whose certificate (made by the JDK's keytool)
 * is for {@code app.example.test} only: the server is reached by its address while SNI, Host and
 * the certificate check use the host name, as for a Route whose DNS record points at its Edge.
 */
class TlsSocketProberTest {

  private static final String HOSTNAME = "app.example.test";
  private static final String PASSWORD = "probe-test";

  @TempDir static Path dir;

  private static HttpsServer server;
  private static Path caFile;
  private static final List<String> hostHeaders = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Path store = dir.resolve("server.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + HOSTNAME,
                "-ext",
                "SAN=dns:" + HOSTNAME,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD)
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0)
        .as("keytool made the test certificate: %s", output)
        .isTrue();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    Certificate certificate = keys.getCertificate("server");
    caFile = dir.resolve("ca.pem");
    Files.writeString(
        caFile,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    KeyManagerFactory managers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    managers.init(keys, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(managers.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.setHttpsConfigurator(new HttpsConfigurator(context));
    server.createContext(
        "/",
        exchange -> {
          hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
          int status = exchange.getRequestURI().getPath().equals("/down") ? 503 : 200;
          byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static ProbeTarget target(String hostname, int port, String path) {
    return new ProbeTarget(
        hostname, "127.0.0.1", port, path, ExpectedStatus.parse(List.of("200-399")));
  }

  private static TlsSocketProber trusting(Duration timeout) {
    return new TlsSocketProber(timeout, new ProbeTrust(Optional.of(caFile)));
  }

  @Test
  void anAnswerGivesItsStatusAndTheRequestNamesTheHost() {
    int port = server.getAddress().getPort();
    ProbeResult result = trusting(Duration.ofSeconds(5)).probe(target(HOSTNAME, port, "/"));

    assertThat(result.outcome()).isEqualTo(ProbeResult.Outcome.ANSWERED);
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.duration()).isPositive().isLessThan(Duration.ofSeconds(5));
    assertThat(hostHeaders).contains(HOSTNAME + ":" + port);
  }

  @Test
  void aWrongStatusIsAnAnswerWithThatStatus() {
    ProbeResult result =
        trusting(Duration.ofSeconds(5))
            .probe(target(HOSTNAME, server.getAddress().getPort(), "/down"));

    assertThat(result.outcome()).isEqualTo(ProbeResult.Outcome.ANSWERED);
    assertThat(result.status()).isEqualTo(503);
  }

  @Test
  void aCertificateForAnotherNameFailsTheHandshake() {
    ProbeResult result =
        trusting(Duration.ofSeconds(5))
            .probe(target("other.example.test", server.getAddress().getPort(), "/"));

    assertThat(result.outcome()).isEqualTo(ProbeResult.Outcome.TLS_FAILED);
    assertThat(result.detail()).contains("other.example.test");
  }

  @Test
  void anUntrustedCertificateFailsTheHandshake() {
    ProbeResult result =
        new TlsSocketProber(Duration.ofSeconds(5), new ProbeTrust(Optional.empty()))
            .probe(target(HOSTNAME, server.getAddress().getPort(), "/"));

    assertThat(result.outcome()).isEqualTo(ProbeResult.Outcome.TLS_FAILED);
    assertThat(result.detail()).containsIgnoringCase("certification path");
  }

  @Test
  void aServerThatNeverAnswersTimesOut() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      Thread holder =
          new Thread(
              () -> {
                try (Socket accepted = silent.accept()) {
                  accepted.getInputStream().readAllBytes();
                } catch (IOException e) {
                  // the probe gave up and closed
                }
              });
      holder.setDaemon(true);
      holder.start();
      ProbeResult result =
          trusting(Duration.ofMillis(300)).probe(target(HOSTNAME, silent.getLocalPort(), "/"));

      assertThat(result.outcome()).isEqualTo(ProbeResult.Outcome.TIMEOUT);
      assertThat(result.detail()).isEqualTo("no answer within 300 ms");
      assertThat(result.duration())
          .isGreaterThanOrEqualTo(Duration.ofMillis(250))
          .isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void aClosedPortIsAFailedConnection() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    ProbeResult result = trusting(Duration.ofSeconds(5)).probe(target(HOSTNAME, closed, "/"));

    assertThat(result.outcome()).isEqualTo(ProbeResult.Outcome.CONNECTION_FAILED);
    assertThat(result.detail()).containsIgnoringCase("refused");
  }

  @Test
  void aMissingCaFileIsAFailedConnectionThatSaysSo() {
    ProbeResult result =
        new TlsSocketProber(
                Duration.ofSeconds(5), new ProbeTrust(Optional.of(dir.resolve("absent.pem"))))
            .probe(target(HOSTNAME, server.getAddress().getPort(), "/"));

    assertThat(result.outcome()).isEqualTo(ProbeResult.Outcome.CONNECTION_FAILED);
    assertThat(result.detail()).contains("absent.pem").contains("does not exist");
  }
}
