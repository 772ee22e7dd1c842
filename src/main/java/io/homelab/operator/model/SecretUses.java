package io.homelab.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.homelab.operator.api.SecretKeyRef;
import io.homelab.operator.api.SecretRef;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.edge.EdgeSpec;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import io.homelab.operator.api.tunnel.TunnelSpec;
import java.util.ArrayList;
import java.util.List;

/** The Secrets each kind names, and the keys each must hold. */
public final class SecretUses {

  /** Keys of the NPM credentials Secret. */
  public static final List<String> NPM_KEYS = List.of("identity", "secret");

  /**
   * Keys of the Proxmox connection Secret (plus caBundle or fingerprint unless verification is
   * off).
   */
  public static final List<String> PROXMOX_KEYS = List.of("url", "tokenId", "tokenSecret");

  /** Keys of a basic-auth Secret. */
  public static final List<String> BASIC_AUTH_KEYS = List.of("username", "password");

  private SecretUses() {}

  /** Every Secret the object names; empty for other kinds. */
  public static List<SecretUse> of(HasMetadata object) {
    List<SecretUse> uses = new ArrayList<>();
    if (object instanceof Edge edge && edge.getSpec() != null) {
      EdgeSpec spec = edge.getSpec();
      if (spec.getSsh() != null) {
        add(uses, spec.getSsh().getPrivateKeySecretRef(), "spec.ssh.privateKeySecretRef");
      }
      if (spec.getWireguard() != null) {
        add(
            uses,
            spec.getWireguard().getPrivateKeySecretRef(),
            "spec.wireguard.privateKeySecretRef");
      }
      if (spec.getDns() != null) {
        add(uses, spec.getDns().getApiTokenSecretRef(), "spec.dns.apiTokenSecretRef");
      }
    } else if (object instanceof Tunnel tunnel && tunnel.getSpec() != null) {
      TunnelSpec spec = tunnel.getSpec();
      if (spec.getProxyManager() != null) {
        add(
            uses,
            spec.getProxyManager().getCredentialsSecretRef(),
            NPM_KEYS,
            "spec.proxyManager.credentialsSecretRef");
      }
      if (spec.getHome() != null && spec.getHome().getSsh() != null) {
        add(
            uses,
            spec.getHome().getSsh().getPrivateKeySecretRef(),
            "spec.home.ssh.privateKeySecretRef");
      }
    } else if (object instanceof Route route && route.getSpec() != null) {
      if (route.getSpec().getAccess() != null) {
        add(
            uses,
            route.getSpec().getAccess().getBasicAuthSecretRef(),
            BASIC_AUTH_KEYS,
            "spec.access.basicAuthSecretRef");
      }
    } else if (object instanceof Guest guest && guest.getSpec() != null) {
      if (guest.getSpec().getProxmox() != null) {
        add(
            uses,
            guest.getSpec().getProxmox().getConnectionSecretRef(),
            PROXMOX_KEYS,
            "spec.proxmox.connectionSecretRef");
      }
    }
    return uses;
  }

  /** The names of the Secrets the object names. */
  public static List<String> names(HasMetadata object) {
    return of(object).stream().map(SecretUse::name).distinct().toList();
  }

  private static void add(List<SecretUse> uses, SecretKeyRef ref, String field) {
    if (ref != null && ref.getName() != null) {
      uses.add(
          new SecretUse(
              ref.getName(), ref.getKey() == null ? List.of() : List.of(ref.getKey()), field));
    }
  }

  private static void add(List<SecretUse> uses, SecretRef ref, List<String> keys, String field) {
    if (ref != null && ref.getName() != null) {
      uses.add(new SecretUse(ref.getName(), keys, field));
    }
  }
}
