package io.homelab.operator.config;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Refuses to start with settings that would make the operator misbehave later. */
@Startup
@ApplicationScoped
public class SettingsCheck {

  static final Pattern OWNER_ID = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$");
  static final Pattern NAMESPACE = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");

  @Inject OperatorSettings settings;

  @PostConstruct
  void check() {
    List<String> problems = problems(settings);
    if (!problems.isEmpty()) {
      throw new IllegalStateException("Invalid operator settings: " + String.join("; ", problems));
    }
  }

  /** Everything wrong with the settings, one sentence each; empty when they are fine. */
  static List<String> problems(OperatorSettings settings) {
    List<String> problems = new ArrayList<>();
    if (!OWNER_ID.matcher(settings.ownerId()).matches()) {
      problems.add(
          "homelab.owner-id '"
              + settings.ownerId()
              + "' must be 1-32 lower case letters, digits or dashes, starting and ending with a"
              + " letter or digit");
    }
    settings
        .watchedNamespaces()
        .ifPresent(
            namespaces ->
                namespaces.stream()
                    .filter(ns -> !NAMESPACE.matcher(ns).matches())
                    .forEach(
                        ns ->
                            problems.add(
                                "homelab.watched-namespaces: '"
                                    + ns
                                    + "' is not a namespace name")));
    OperatorSettings.Poll poll = settings.poll();
    checkInterval(problems, "proxmox", poll.proxmox());
    checkInterval(problems, "guest-config", poll.guestConfig());
    checkInterval(problems, "npm", poll.npm());
    checkInterval(problems, "cloudflare", poll.cloudflare());
    checkInterval(problems, "caddy", poll.caddy());
    checkInterval(problems, "wireguard", poll.wireguard());
    OperatorSettings.Proxmox proxmox = settings.proxmox();
    if (proxmox.cloneConcurrencyPerNode() < 1 || proxmox.cloneConcurrencyPerNode() > 32) {
      problems.add(
          "homelab.proxmox.clone-concurrency-per-node must be 1 to 32, not "
              + proxmox.cloneConcurrencyPerNode());
    }
    checkRange(
        problems,
        "homelab.proxmox.request-timeout",
        proxmox.requestTimeout(),
        Duration.ofSeconds(1),
        Duration.ofMinutes(5));
    checkRange(
        problems,
        "homelab.proxmox.task-poll",
        proxmox.taskPoll(),
        Duration.ofMillis(10),
        Duration.ofMinutes(1));
    checkRange(
        problems,
        "homelab.npm.request-timeout",
        settings.npm().requestTimeout(),
        Duration.ofSeconds(1),
        Duration.ofMinutes(5));
    checkRange(
        problems,
        "homelab.cloudflare.request-timeout",
        settings.cloudflare().requestTimeout(),
        Duration.ofSeconds(1),
        Duration.ofMinutes(5));
    java.net.URI cloudflare = settings.cloudflare().apiUrl();
    if (!("https".equals(cloudflare.getScheme()) || "http".equals(cloudflare.getScheme()))
        || cloudflare.getHost() == null) {
      problems.add("homelab.cloudflare.api-url must be an http(s) URL, not '" + cloudflare + "'");
    }
    OperatorSettings.WireGuard wireguard = settings.wireguard();
    // A handshake happens at least every two minutes on a live tunnel (rekey after 120 s).
    if (wireguard.handshakeMaxAge().compareTo(Duration.ofMinutes(2)) <= 0) {
      problems.add(
          "homelab.wireguard.handshake-max-age must be more than 2m (WireGuard renews a live"
              + " session's handshake every 2 minutes), not "
              + wireguard.handshakeMaxAge());
    }
    if (!wireguard.configDir().startsWith("/") || wireguard.configDir().contains("'")) {
      problems.add(
          "homelab.wireguard.config-dir must be an absolute path without quotes, not '"
              + wireguard.configDir()
              + "'");
    }
    OperatorSettings.Probe probe = settings.probe();
    checkRange(
        problems,
        "homelab.probe.interval",
        probe.interval(),
        Duration.ofSeconds(1),
        Duration.ofHours(24));
    checkRange(
        problems,
        "homelab.probe.timeout",
        probe.timeout(),
        Duration.ofMillis(100),
        Duration.ofMinutes(1));
    if (probe.timeout().compareTo(probe.interval()) >= 0) {
      // A probe still waiting when the next is due would bring its Route back again and again.
      problems.add(
          "homelab.probe.timeout ("
              + probe.timeout()
              + ") must be shorter than homelab.probe.interval ("
              + probe.interval()
              + ")");
    }
    try {
      io.homelab.operator.model.ExpectedStatus.parse(probe.expectedStatus());
    } catch (IllegalArgumentException e) {
      problems.add("homelab.probe.expected-status: " + e.getMessage());
    }
    return problems;
  }

  private static void checkRange(
      List<String> problems, String name, Duration value, Duration min, Duration max) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      problems.add(name + " must be between " + min + " and " + max + ", not " + value);
    }
  }

  private static void checkInterval(List<String> problems, String name, Duration interval) {
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      problems.add("homelab.poll." + name + " must be at least 1s, not " + interval);
    }
  }
}
