package io.homelab.operator.sandbox.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The small bash scripts that stand in for {@code wg}, {@code wg-quick}, {@code ip}, {@code
 * wireguard-go} and {@code sudo} on the simulated edge. They know only what the operator's
 * WireGuard scripts run, keep the state of each interface in files under one folder (one folder per
 * interface: {@code index}, {@code mtu}, {@code up}, {@code address}, {@code private_key}, {@code
 * listen_port}, {@code peers}, {@code routes}, {@code created}) and fail with a message on stderr
 * for anything else.
 */
final class FakeTools {

  private FakeTools() {}

  /** Writes the scripts into {@code bin}, with their state kept under {@code state}. */
  static void write(Path bin, Path state) {
    Map<String, String> tools = new LinkedHashMap<>();
    tools.put("ip", IP);
    tools.put("wg", WG);
    tools.put("wg-quick", WG_QUICK);
    tools.put("wireguard-go", WIREGUARD_GO);
    tools.put("sudo", SUDO);
    try {
      Files.createDirectories(bin);
      Files.createDirectories(state);
      for (Map.Entry<String, String> tool : tools.entrySet()) {
        Path file = bin.resolve(tool.getKey());
        Files.writeString(file, header(tool.getKey(), state) + tool.getValue());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the simulated edge's tools in " + bin, e);
    }
  }

  private static String header(String name, Path state) {
    return """
        #!/usr/bin/env bash
        # %1$s of the homelab-operator sandbox's simulated edge: state in files, no kernel.
        set -u
        shopt -s extglob
        S='%2$s'
        fail() { echo "%1$s (simulated): $*" >&2; exit 1; }
        trim() { local v="$1"; v="${v##+([[:space:]])}"; printf '%%s' "${v%%%%+([[:space:]])}"; }
        exists() { [ -n "$1" ] && [ -d "$S/$1" ]; }
        """
        .formatted(name, state.toString().replace("'", "'\\''"));
  }

  private static final String IP =
      """
      oneline=0
      while [ $# -gt 0 ]; do
        case "$1" in
          -o|-oneline) oneline=1; shift ;;
          -4) shift ;;
          -*) fail "option $1 is not simulated" ;;
          *) break ;;
        esac
      done
      object="${1:-}"; command="${2:-}"; shift 2 2>/dev/null || fail "usage: ip OBJECT COMMAND ..."
      nodev() { echo "Cannot find device \\"$1\\"" >&2; exit 1; }
      create() {
        exists "$1" && { echo "RTNETLINK answers: File exists" >&2; exit 2; }
        local n; n=$(( $(cat "$S/.index" 2>/dev/null || echo 3) + 1 )); echo "$n" > "$S/.index"
        mkdir -p "$S/$1"; echo "$n" > "$S/$1/index"; echo 1420 > "$S/$1/mtu"
        date +%s > "$S/$1/created"; : > "$S/$1/peers"; : > "$S/$1/routes"
      }
      show_link() {
        local d="$S/$1" flags="POINTOPOINT,NOARP" state=DOWN sep=$'\\n'
        [ -e "$d/up" ] && { flags="$flags,UP,LOWER_UP"; state=UNKNOWN; }
        [ "$oneline" = 1 ] && sep='\\    '
        printf '%s: %s: <%s> mtu %s qdisc noqueue state %s mode DEFAULT group default qlen 1000%s' \\
          "$(cat "$d/index")" "$1" "$flags" "$(cat "$d/mtu")" "$state" "$sep"
        printf '    link/none \\n'
      }
      case "$object/$command" in
        link/show)
          [ "${1:-}" = dev ] && shift
          exists "${1:-}" || { echo "Device \\"${1:-}\\" does not exist." >&2; exit 1; }
          show_link "$1" ;;
        link/add)
          [ "${1:-}" = dev ] && [ "${3:-}" = type ] && [ "${4:-}" = wireguard ] \\
            || fail "only 'ip link add dev NAME type wireguard' is simulated"
          create "$2" ;;
        link/set)
          [ "${1:-}" = dev ] || fail "only 'ip link set dev NAME ...' is simulated"
          dev="${2:-}"; shift 2; exists "$dev" || nodev "$dev"
          while [ $# -gt 0 ]; do
            case "$1" in
              up) touch "$S/$dev/up"; shift ;;
              down) rm -f "$S/$dev/up"; shift ;;
              mtu) [[ "${2:-}" =~ ^[0-9]+$ ]] || fail "bad mtu ${2:-}"; echo "$2" > "$S/$dev/mtu"; shift 2 ;;
              *) fail "ip link set $1 is not simulated" ;;
            esac
          done ;;
        link/del|link/delete)
          [ "${1:-}" = dev ] && shift
          exists "${1:-}" || nodev "${1:-}"
          rm -rf "${S:?}/$1" ;;
        address/replace|addr/replace|a/replace|address/add|addr/add)
          [ "${2:-}" = dev ] || fail "only 'ip address replace ADDRESS dev NAME' is simulated"
          exists "${3:-}" || nodev "${3:-}"
          echo "$1" > "$S/$3/address" ;;
        route/show|route/list|r/show)
          [ "${1:-}" = dev ] || fail "only 'ip route show dev NAME [proto boot]' is simulated"
          dev="${2:-}"; shift 2
          [ $# -eq 0 ] || [ "$*" = "proto boot" ] || fail "ip route show ... $* is not simulated"
          exists "$dev" || nodev "$dev"
          while IFS= read -r r; do
            [ -n "$r" ] && echo "${r%/32} proto boot scope link"
          done < "$S/$dev/routes" ;;
        route/replace|route/add|route/del|route/delete)
          [ "${2:-}" = dev ] && [ $# -eq 3 ] || fail "only 'ip route $command PREFIX dev NAME' is simulated"
          exists "$3" || nodev "$3"
          f="$S/$3/routes"
          if grep -qxF -- "$1" "$f"; then
            case "$command" in
              add) echo "RTNETLINK answers: File exists" >&2; exit 2 ;;
              del|delete) grep -vxF -- "$1" "$f" > "$f.tmp"; mv "$f.tmp" "$f" ;;
            esac
          else
            case "$command" in
              del|delete) echo "RTNETLINK answers: No such process" >&2; exit 2 ;;
              *) echo "$1" >> "$f" ;;
            esac
          fi ;;
        *) fail "ip $object $command is not simulated" ;;
      esac
      """;

  private static final String WG =
      """
      case "${1:-}" in
        syncconf|setconf)
          dev="${2:-}"; file="${3:-}"
          exists "$dev" || { echo "Unable to modify interface: No such device" >&2; exit 1; }
          [ -r "$file" ] || fail "cannot read the configuration $file"
          d="$S/$dev"; section=""; priv=""; port=""; out="$d/peers.tmp"; : > "$out"
          pk=""; psk=""; ep=""; aips=""; ka=""
          flush() {
            [ -n "$pk" ] && printf '%s\\t%s\\t%s\\t%s\\t%s\\n' \\
              "$pk" "${psk:-(none)}" "${ep:-(none)}" "${aips:-(none)}" "${ka:-off}" >> "$out"
            pk=""; psk=""; ep=""; aips=""; ka=""
          }
          while IFS= read -r line || [ -n "$line" ]; do
            line="$(trim "${line%%#*}")"
            [ -z "$line" ] && continue
            case "$line" in
              "[Interface]") flush; section=interface; continue ;;
              "[Peer]") flush; section=peer; continue ;;
              \\[*) fail "section $line is not known" ;;
            esac
            [[ "$line" == *=* ]] || fail "line '$line' is not 'Key = Value'"
            key="$(trim "${line%%=*}")"; value="$(trim "${line#*=}")"
            case "$section/${key,,}" in
              interface/privatekey) priv="$value" ;;
              interface/listenport) port="$value" ;;
              interface/fwmark) ;;
              peer/publickey) pk="$value" ;;
              peer/presharedkey) psk="$value" ;;
              peer/endpoint) ep="$value" ;;
              peer/allowedips) value="${value// /}"; aips="${aips:+$aips,}$value" ;;
              peer/persistentkeepalive) ka="$value" ;;
              *) fail "'$key' in [${section:-no section}] is not known to wg $1" ;;
            esac
          done < "$file"
          flush
          [ -n "$priv" ] && echo "$priv" > "$d/private_key"
          [ -n "$port" ] && echo "$port" > "$d/listen_port"
          [ -e "$d/listen_port" ] || echo 51820 > "$d/listen_port"
          mv "$out" "$d/peers" ;;
        show)
          [ "${3:-}" = dump ] && [ $# -eq 3 ] || fail "only 'wg show NAME dump' is simulated"
          dev="$2"; d="$S/$dev"
          exists "$dev" || { echo "Unable to access interface: No such device" >&2; exit 1; }
          priv="$(cat "$d/private_key" 2>/dev/null || echo '(none)')"; pub='(none)'
          if [ -r "$d/public_key" ]; then
            read -r of key < "$d/public_key"; [ "$of" = "$priv" ] && pub="$key"
          fi
          printf '%s\\t%s\\t%s\\toff\\n' "$priv" "$pub" "$(cat "$d/listen_port" 2>/dev/null || echo 0)"
          now=$(date +%s); age=$(( now - $(cat "$d/created") + 1 )); n=0
          while IFS=$'\\t' read -r pk psk ep aips ka; do
            n=$(( n + 1 ))
            # Every home end is simulated as up: a handshake now, some traffic.
            [ "$ep" = "(none)" ] && ep="127.0.0.1:$(( 51820 + n ))"
            printf '%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\n' \\
              "$pk" "$psk" "$ep" "$aips" "$now" $(( age * 1480 * n )) $(( age * 920 * n )) "$ka"
          done < "$d/peers" ;;
        *) fail "wg ${1:-} is not simulated" ;;
      esac
      """;

  private static final String WG_QUICK =
      """
      [ "${1:-}" = strip ] && [ $# -eq 2 ] || fail "only 'wg-quick strip FILE' is simulated"
      [ -r "$2" ] || fail "cannot read $2"
      section=""
      while IFS= read -r line || [ -n "$line" ]; do
        t="$(trim "$line")"
        case "$t" in \\[*) section="$t" ;; esac
        key="$(trim "${t%%=*}")"
        if [ "$section" = "[Interface]" ] && [[ "$t" == *=* ]]; then
          case "${key,,}" in
            address|dns|mtu|table|preup|postup|predown|postdown|saveconfig) continue ;;
          esac
        fi
        printf '%s\\n' "$line"
      done < "$2"
      """;

  private static final String WIREGUARD_GO =
      """
      [ $# -eq 1 ] || fail "only 'wireguard-go NAME' is simulated"
      exec "$(dirname "$0")/ip" link add dev "$1" type wireguard
      """;

  private static final String SUDO =
      """
      [ "${1:-}" = -n ] && shift
      [ $# -gt 0 ] || fail "usage: sudo [-n] COMMAND ..."
      # A program the edge simulates stands in for the system's, whatever its path.
      tool="$(dirname "$0")/${1##*/}"
      [ "$1" != "${1##*/}" ] && [ -x "$tool" ] && { shift; exec "$tool" "$@"; }
      exec "$@"
      """;
}
