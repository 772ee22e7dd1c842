#!/usr/bin/env bash
# Installs the Debian packages listed in system-packages.list that are missing. Run by the build
# (exec-maven-plugin, initialize phase) so that `mvn -B verify` works on a fresh machine.
# Prints nothing when every package is there. Not root: names the command to run, and fails;
# with the argument "sandbox" (mvn -Psandbox) it only names them: the sandbox then simulates the
# edge and needs none of them.
set -euo pipefail
mode="${1:-}"

list="$(dirname "${BASH_SOURCE[0]}")/system-packages.list"
missing=()
while read -r package _; do
  [[ -z "$package" || "$package" == \#* ]] && continue
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done <"$list"

((${#missing[@]} == 0)) && exit 0

command="apt-get install -y --no-install-recommends ${missing[*]}"
if ((EUID != 0)) && [[ "$mode" == sandbox ]]; then
  echo "Not root: the sandbox simulates the edge, so these Debian packages are optional:" >&2
  echo "  ${missing[*]} (Caddy, if installed, runs on loopback for the simulated edge)" >&2
  exit 0
fi
if ((EUID != 0)); then
  echo "The tests need Debian packages that are missing. Run as root, then build again:" >&2
  echo "  apt-get update && $command" >&2
  exit 1
fi
echo "Installing the Debian packages the tests need: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
$command -qq >/dev/null
