package io.homelab.operator.driver.probe;

import io.homelab.operator.model.ProbeTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The probe over a plain TLS socket: it connects to the address the DNS record gives (no lookup of
 * the host name here, so what is probed is the Edge the operator manages), sends SNI for the host
 * name and verifies the certificate against it as a browser does, then reads only the status line
 * of an HTTP/1.1 {@code GET} with {@code Connection: close}. Connecting, the handshake and the
 * answer share one timeout.
 */
public final class TlsSocketProber implements RouteProber {

  private static final Pattern STATUS_LINE =
      Pattern.compile("^HTTP/1\\.[01] ([1-5][0-9]{2})( .*)?$");
  private static final int MAX_STATUS_LINE = 8192;
  static final String USER_AGENT = "homelab-operator-probe";

  private final Duration timeout;
  private final ProbeTrust trust;

  public TlsSocketProber(Duration timeout, ProbeTrust trust) {
    this.timeout = timeout;
    this.trust = trust;
  }

  @Override
  public ProbeResult probe(ProbeTarget target) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    try (Socket raw = new Socket()) {
      raw.connect(
          new InetSocketAddress(InetAddress.getByName(target.address()), target.port()),
          remainingMillis(deadline));
      raw.setSoTimeout(remainingMillis(deadline));
      try (SSLSocket socket =
          (SSLSocket) trust.factory().createSocket(raw, target.hostname(), target.port(), true)) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setServerNames(List.of(new SNIHostName(target.hostname())));
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        socket.setSoTimeout(remainingMillis(deadline));
        OutputStream out = socket.getOutputStream();
        out.write(request(target).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String line = statusLine(socket.getInputStream());
        Matcher m = STATUS_LINE.matcher(line);
        if (!m.matches()) {
          return ProbeResult.failed(
              ProbeResult.Outcome.CONNECTION_FAILED,
              since(start),
              "the answer is not HTTP/1.1"
                  + (line.isEmpty() ? " (the connection closed without a status line)" : ""));
        }
        return ProbeResult.answered(Integer.parseInt(m.group(1)), since(start));
      }
    } catch (SocketTimeoutException e) {
      return timedOut(start);
    } catch (SSLException e) {
      if (e.getCause() instanceof SocketTimeoutException) {
        return timedOut(start);
      }
      return ProbeResult.failed(ProbeResult.Outcome.TLS_FAILED, since(start), describe(e));
    } catch (IOException | RuntimeException e) {
      return ProbeResult.failed(ProbeResult.Outcome.CONNECTION_FAILED, since(start), describe(e));
    }
  }

  private ProbeResult timedOut(long start) {
    return ProbeResult.failed(
        ProbeResult.Outcome.TIMEOUT, since(start), "no answer within " + human(timeout));
  }

  static String request(ProbeTarget target) {
    String host =
        target.hostname() + (target.port() == ProbeTarget.HTTPS_PORT ? "" : ":" + target.port());
    return "GET "
        + target.path()
        + " HTTP/1.1\r\nHost: "
        + host
        + "\r\nUser-Agent: "
        + USER_AGENT
        + "\r\nAccept: */*\r\nConnection: close\r\n\r\n";
  }

  private static String statusLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n' && line.size() < MAX_STATUS_LINE) {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  /** The error in one line: its message, or its kind when it has none. */
  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static int remainingMillis(long deadline) throws SocketTimeoutException {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new SocketTimeoutException("probe deadline passed");
    }
    return (int) Math.min(left, Integer.MAX_VALUE);
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
