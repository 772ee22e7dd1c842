package io.homelab.operator.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.homelab.operator.sandbox.caddy.CaddyAdminSimulator;
import io.homelab.operator.sandbox.cloudflare.CloudflareSimulator;
import io.homelab.operator.sandbox.edge.SimulatedEdge;
import io.homelab.operator.sandbox.npm.NpmSimulator;
import io.homelab.operator.sandbox.proxmox.ProxmoxSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The simulators alone, for a cluster: what the container image runs in sandbox mode ({@code
 * HOMELAB_MODE=sandbox}). The Proxmox VE, NPM and Cloudflare simulators and the simulated edge (SSH
 * with simulated WireGuard, and Caddy's admin API behind it), each reachable on a fixed port of
 * every address of the pod, and {@code k8s-samples/} pointed at them, written to a file for {@code
 * kubectl apply -f}. The operator, installed by its chart, does the rest.
 *
 * <p>Arguments: the samples folder and the output folder. The host name the operator reaches the
 * simulators at (a Service's) comes from {@code HOMELAB_SIMULATORS_HOST}.
 */
public final class Simulators {

  /** Fixed ports, for a Service in front of the pod. */
  public static final int SSH_PORT = 2222;

  public static final int PROXMOX_PORT = 8006;
  public static final int NPM_PORT = 8081;
  public static final int CLOUDFLARE_PORT = 8082;

  private Simulators() {}

  public static void main(String[] args) throws Exception {
    Path samples = Path.of(args.length > 0 ? args[0] : "k8s-samples");
    Path out = Path.of(args.length > 1 ? args[1] : "target/simulators");
    String host = System.getenv().getOrDefault("HOMELAB_SIMULATORS_HOST", "127.0.0.1");
    Files.createDirectories(out);

    SimulatedEdge edge = SimulatedEdge.start(out.resolve("edge"));
    CaddyAdminSimulator caddy = new CaddyAdminSimulator();
    ProxmoxSimulator pve =
        ProxmoxSimulator.start(
            Sandbox.PVE_TOKEN, Sandbox.PVE_SECRET, Duration.ofSeconds(2), "pve1");
    pve.cluster().addTemplate("pve1", 9000, "qemu", "debian-12-cloud");
    NpmSimulator npm = new NpmSimulator(Clock.systemUTC());
    npm.addUser(Sandbox.NPM_IDENTITY, Sandbox.NPM_SECRET, false);
    CloudflareSimulator cloudflare = new CloudflareSimulator(Clock.systemUTC());
    cloudflare.addToken(Sandbox.CLOUDFLARE_TOKEN);
    cloudflare.addZone(Sandbox.ZONE);

    relay(SSH_PORT, edge.port());
    relay(PROXMOX_PORT, URI.create(pve.url()).getPort());
    relay(NPM_PORT, npm.apiUrl().getPort());
    relay(CLOUDFLARE_PORT, cloudflare.apiUrl().getPort());

    Map<String, String> proxmox = new HashMap<>(pve.connectionSecretData());
    proxmox.put("url", "https://" + host + ":" + PROXMOX_PORT);
    SandboxSamples.Targets targets =
        new SandboxSamples.Targets(
            new SandboxSamples.EdgeTargets(
                "203.0.113.10",
                host,
                SSH_PORT,
                edge.hostKey(),
                edge.clientKey(),
                "wg0",
                // Caddy's admin API as the edge sees it: the SSH forward ends in this pod.
                caddy.adminAddress(),
                SimulatedEdge.HOST + ":8443",
                null,
                null),
            proxmox,
            withPort(npm.apiUrl(), host, NPM_PORT),
            Sandbox.NPM_IDENTITY,
            Sandbox.NPM_SECRET,
            Sandbox.CLOUDFLARE_TOKEN);
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    StringBuilder manifests = new StringBuilder();
    for (ObjectNode doc : SandboxSamples.read(samples)) {
      manifests.append(yaml.writeValueAsString(SandboxSamples.localize(doc, targets)));
    }
    Path file = out.resolve("samples.yaml");
    Files.writeString(file, manifests);
    System.out.println(
        "simulators | SSH "
            + SSH_PORT
            + ", Proxmox VE "
            + PROXMOX_PORT
            + ", NPM "
            + NPM_PORT
            + ", Cloudflare "
            + CLOUDFLARE_PORT
            + " (HOMELAB_CLOUDFLARE_API_URL="
            + withPort(cloudflare.apiUrl(), host, CLOUDFLARE_PORT)
            + "); samples for "
            + host
            + " in "
            + file.toAbsolutePath());
    new CountDownLatch(1).await();
  }

  static String withPort(URI uri, String host, int port) {
    return uri.getScheme() + "://" + host + ":" + port + uri.getPath();
  }

  /**
   * Forwards every connection to {@code port} on any address to {@code target} on loopback, where
   * the simulators listen.
   */
  static ServerSocket relay(int port, int target) {
    try {
      ServerSocket listener = new ServerSocket();
      listener.bind(new InetSocketAddress(port));
      daemon(
          "relay-" + port,
          () -> {
            while (!listener.isClosed()) {
              try {
                Socket in = listener.accept();
                Socket to = new Socket(InetAddress.getLoopbackAddress(), target);
                pipe(in, to);
                pipe(to, in);
              } catch (IOException e) {
                // one failed connection; keep accepting
              }
            }
          });
      return listener;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port, e);
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void pipe(Socket from, Socket to) {
    daemon(
        "pipe",
        () -> {
          try (InputStream in = from.getInputStream();
              OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
          } catch (IOException e) {
            // the other side closed
          } finally {
            for (Socket s : List.of(from, to)) {
              try {
                s.close();
              } catch (IOException e) {
                // closing anyway
              }
            }
          }
        });
  }
}
