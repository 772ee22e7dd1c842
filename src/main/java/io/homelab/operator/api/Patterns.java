package io.homelab.operator.api;

/**
 * Regular expressions used in the CRD schemas. They are RE2-compatible (no look-around), because
 * the Kubernetes API server evaluates {@code pattern} with Go's regexp package.
 */
public final class Patterns {

  private Patterns() {}

  static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
  static final String IPV4_BODY = "(" + OCTET + "\\.){3}" + OCTET;
  static final String H16 = "[0-9a-fA-F]{1,4}";
  static final String IPV6_BODY =
      "(("
          + H16
          + ":){7}"
          + H16
          + "|("
          + H16
          + ":){1,7}:|("
          + H16
          + ":){1,6}:"
          + H16
          + "|("
          + H16
          + ":){1,5}(:"
          + H16
          + "){1,2}|("
          + H16
          + ":){1,4}(:"
          + H16
          + "){1,3}|("
          + H16
          + ":){1,3}(:"
          + H16
          + "){1,4}|("
          + H16
          + ":){1,2}(:"
          + H16
          + "){1,5}|"
          + H16
          + ":(:"
          + H16
          + "){1,6}|:((:"
          + H16
          + "){1,7}|:))";
  static final String LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
  static final String HOST_BODY = LABEL + "(\\." + LABEL + ")*";
  static final String PORT_BODY =
      "([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";

  /** A dotted-quad IPv4 address. */
  public static final String IPV4 = "^" + IPV4_BODY + "$";

  /** An IPv6 address in its usual textual forms (without an embedded IPv4 tail). */
  public static final String IPV6 = "^" + IPV6_BODY + "$";

  /** An IPv4 or IPv6 address. */
  public static final String IP = "^(" + IPV4_BODY + "|" + IPV6_BODY + ")$";

  /** An IPv4 network in CIDR notation. */
  public static final String CIDR_V4 = "^" + IPV4_BODY + "/(3[0-2]|[12]?[0-9])$";

  /** An IPv4 or IPv6 network in CIDR notation. */
  public static final String CIDR =
      "^("
          + IPV4_BODY
          + "/(3[0-2]|[12]?[0-9])|"
          + IPV6_BODY
          + "/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))$";

  /** An RFC 1123 host name in lower case: one or more labels. */
  public static final String HOSTNAME = "^" + HOST_BODY + "$";

  /** A public, fully qualified host name: at least two labels, lower case, no wildcard. */
  public static final String FQDN = "^" + LABEL + "(\\." + LABEL + ")+$";

  /** A host name suffix an Edge serves: {@code example.com} or {@code *.example.com}. */
  public static final String HOSTNAME_SUFFIX = "^(\\*\\.)?" + LABEL + "(\\." + LABEL + ")+$";

  /** A host: an RFC 1123 host name, an IPv4 or an IPv6 address. */
  public static final String HOST = "^(" + HOST_BODY + "|" + IPV4_BODY + "|" + IPV6_BODY + ")$";

  /** {@code host:port}, with an IPv6 host in brackets. */
  public static final String HOST_PORT =
      "^(" + HOST_BODY + "|" + IPV4_BODY + "|\\[" + IPV6_BODY + "\\]):" + PORT_BODY + "$";

  /** A listen address as Caddy takes it: {@code :443}, {@code 0.0.0.0:443}, {@code [::]:443}. */
  public static final String LISTEN_ADDRESS =
      "^(" + HOST_BODY + "|" + IPV4_BODY + "|\\[" + IPV6_BODY + "\\])?:" + PORT_BODY + "$";

  /**
   * HTTP status codes a probe accepts: one code ({@code 200}), a class ({@code 2xx}) or a range
   * ({@code 200-399}).
   */
  public static final String HTTP_STATUSES =
      "^([1-5][0-9]{2}|[1-5]xx|[1-5][0-9]{2}-[1-5][0-9]{2})$";

  /** The path (and query) of a URL: starts with a slash, no white space, no fragment. */
  public static final String URL_PATH = "^/[^\\s#]*$";

  /** An http or https URL. */
  public static final String HTTP_URL = "^https?://[^\\s/?#]+(/[^\\s]*)?$";

  /** An https URL. */
  public static final String HTTPS_URL = "^https://[^\\s/?#]+(/[^\\s]*)?$";

  /** An e-mail address, loosely. */
  public static final String EMAIL = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";

  /** A Kubernetes object name (DNS-1123 subdomain). */
  public static final String OBJECT_NAME =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A Kubernetes namespace name (DNS-1123 label). */
  public static final String NAMESPACE = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  /** A key of a Secret's data. */
  public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

  /** A label key, with an optional DNS prefix. */
  public static final String LABEL_KEY =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";

  /** A Unix user name. */
  public static final String UNIX_USER = "^[a-z_][a-z0-9_-]{0,31}$";

  /** An SSH host key as {@code ssh-keyscan} prints it, or its {@code SHA256:} fingerprint. */
  public static final String SSH_HOST_KEY =
      "^((ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+={0,3}( [^\\n]*)?|SHA256:[A-Za-z0-9+/]{43}=?)$";

  /** An OpenSSH public key line, as in {@code authorized_keys}. */
  public static final String SSH_PUBLIC_KEY =
      "^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\\.com) [A-Za-z0-9+/]+={0,3}( [^\\n]*)?$";

  /** A WireGuard key: 32 bytes in base64. */
  public static final String WIREGUARD_KEY = "^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$";

  /** A Linux network interface name (at most 15 characters). */
  public static final String INTERFACE_NAME = "^[a-zA-Z0-9_=+.-]{1,15}$";

  /** A Proxmox VE node name. */
  public static final String PROXMOX_NODE = "^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$";

  /** A Proxmox VE storage identifier. */
  public static final String PROXMOX_STORAGE = "^[a-zA-Z][a-zA-Z0-9_.-]*$";

  /** A Proxmox VE guest name (a DNS name). */
  public static final String PROXMOX_GUEST_NAME =
      "^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$";

  /** A Proxmox VE tag. */
  public static final String PROXMOX_TAG = "^[a-z0-9_][a-z0-9_+.-]*$";

  /** An LXC template volume: {@code storage:vztmpl/file}. */
  public static final String OSTEMPLATE = "^[a-zA-Z][a-zA-Z0-9_.-]*:vztmpl/[^\\s/]+$";

  /** A Proxmox disk key: a VM bus and index, or an LXC {@code rootfs} / mount point. */
  public static final String DISK_NAME = "^((scsi|virtio|sata|ide)[0-9]{1,2}|rootfs|mp[0-9]{1,3})$";

  /** A disk size in Proxmox notation: a number with an optional K, M, G or T suffix. */
  public static final String DISK_SIZE = "^[1-9][0-9]{0,8}[KMGT]?$";

  /** A Proxmox IPv4 setting: {@code dhcp} or a static address in CIDR notation. */
  public static final String DHCP_OR_CIDR_V4 = "^(dhcp|" + IPV4_BODY + "/(3[0-2]|[12]?[0-9]))$";

  /** A Linux bridge name. */
  public static final String BRIDGE = "^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$";
}
