package io.homelab.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Operator-wide settings, under the prefix {@code homelab} (environment variables {@code
 * HOMELAB_*}).
 */
@ConfigMapping(prefix = "homelab")
public interface OperatorSettings {

  /**
   * Names this installation in every owner marker it writes, so two clusters never fight over one
   * Proxmox host or DNS zone. Required in production; lower case letters, digits and dashes, at
   * most 32 characters.
   */
  String ownerId();

  /** Namespaces whose objects the operator reconciles. Absent: every namespace. */
  Optional<List<String>> watchedNamespaces();

  /** How often each external system is read in bulk. */
  Poll poll();

  /** WireGuard on the Edges. */
  WireGuard wireguard();

  /** Plan and report, but write nothing to any external system. */
  @WithDefault("false")
  boolean dryRun();

  /** How the operator drives Proxmox VE. */
  Proxmox proxmox();

  /** How the operator drives Cloudflare DNS. */
  Cloudflare cloudflare();

  /** How the operator drives Nginx Proxy Manager. */
  Npm npm();

  /** The end-to-end probe of Ready Routes. */
  Probe probe();

  /** The end-to-end probe: a request to each Ready Route's public URL, by the leader only. */
  interface Probe {

    /** false: no Route is probed (each Route can also turn its own probe off). */
    @WithDefault("true")
    boolean enabled();

    /** How often each Ready Route is requested. */
    @WithDefault("60s")
    Duration interval();

    /** How long connecting, the TLS handshake and the status line may take, together. */
    @WithDefault("10s")
    Duration timeout();

    /**
     * Status codes that count as success for a Route that names none: codes ({@code 200}), classes
     * ({@code 2xx}) or ranges ({@code 200-399}).
     */
    @WithDefault("200-399")
    List<String> expectedStatus();

    /**
     * A PEM file of CA certificates trusted beside the JVM's default trust store (an Edge whose
     * Caddy uses its internal CA). Read again when it changes.
     */
    Optional<java.nio.file.Path> caFile();
  }

  /** Cloudflare settings. */
  interface Cloudflare {

    /** The API base; another only for a simulator or a proxy in front of Cloudflare. */
    @WithDefault("https://api.cloudflare.com/client/v4")
    java.net.URI apiUrl();

    /** How long one API call may take before it counts as failed. */
    @WithDefault("10s")
    Duration requestTimeout();
  }

  /** Nginx Proxy Manager settings. */
  interface Npm {

    /** How long one API call may take before it counts as failed. */
    @WithDefault("10s")
    Duration requestTimeout();
  }

  /** Proxmox VE settings. */
  interface Proxmox {

    /**
     * Clones running at once on one node. Clones of one template always run one at a time: Proxmox
     * holds a lock on the template while it is copied.
     */
    @WithDefault("2")
    int cloneConcurrencyPerNode();

    /** How long one API call may take before it counts as failed. */
    @WithDefault("10s")
    Duration requestTimeout();

    /** How soon a Guest with a running task (clone, start...) looks at the task again. */
    @WithDefault("2s")
    Duration taskPoll();
  }

  /** Poll intervals, one per external system. */
  interface Poll {

    /** Proxmox VE: one /cluster/resources read per endpoint. */
    @WithDefault("30s")
    Duration proxmox();

    /** Per-guest Proxmox config reads, for drift the bulk read cannot see. */
    @WithDefault("10m")
    Duration guestConfig();

    /** Nginx Proxy Manager: one proxy-host list per instance. */
    @WithDefault("60s")
    Duration npm();

    /** Cloudflare: one record list per zone. */
    @WithDefault("5m")
    Duration cloudflare();

    /** Caddy: one config read per Edge. */
    @WithDefault("60s")
    Duration caddy();

    /** WireGuard: one 'wg show dump' per Edge. */
    @WithDefault("30s")
    Duration wireguard();
  }

  /** WireGuard on the Edges. */
  interface WireGuard {

    /** A Tunnel's peer is ready while its latest handshake is at most this old. */
    @WithDefault("3m")
    Duration handshakeMaxAge();

    /** Where interface configs live on the VPS (wg-quick's directory). */
    @WithDefault("/etc/wireguard")
    String configDir();
  }
}
