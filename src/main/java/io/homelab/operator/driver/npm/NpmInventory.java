package io.homelab.operator.driver.npm;

import java.util.List;
import java.util.Optional;

/** Everything one NPM serves, listed once per poll: its proxy, redirection and dead hosts. */
public record NpmInventory(
    List<ProxyHost> proxyHosts, List<OtherHost> redirectionHosts, List<OtherHost> deadHosts) {

  public NpmInventory {
    proxyHosts = List.copyOf(proxyHosts);
    redirectionHosts = List.copyOf(redirectionHosts);
    deadHosts = List.copyOf(deadHosts);
  }

  /** The inventory with {@code host} in place of the proxy host of the same id, or added. */
  public NpmInventory with(ProxyHost host) {
    List<ProxyHost> hosts = new java.util.ArrayList<>();
    proxyHosts.stream().filter(h -> h.id() != host.id()).forEach(hosts::add);
    hosts.add(host);
    return new NpmInventory(hosts, redirectionHosts, deadHosts);
  }

  /** The inventory without the proxy host {@code id}. */
  public NpmInventory without(int id) {
    return new NpmInventory(
        proxyHosts.stream().filter(h -> h.id() != id).toList(), redirectionHosts, deadHosts);
  }

  /** The proxy host serving {@code domain} that carries {@code marker}, if any. */
  public Optional<ProxyHost> owned(String domain, String marker) {
    return proxyHosts.stream()
        .filter(h -> h.serves(domain) && marker.equals(h.owner()))
        .findFirst();
  }

  /** The first host not carrying {@code marker} that holds {@code domain}, described; if any. */
  public Optional<String> foreignHolder(String domain, String marker) {
    for (ProxyHost host : proxyHosts) {
      if (host.serves(domain) && !marker.equals(host.owner())) {
        return Optional.of("proxy host " + host.id());
      }
    }
    for (OtherHost host : redirectionHosts) {
      if (host.serves(domain)) {
        return Optional.of("redirection host " + host.id());
      }
    }
    for (OtherHost host : deadHosts) {
      if (host.serves(domain)) {
        return Optional.of("dead host " + host.id());
      }
    }
    return Optional.empty();
  }
}
