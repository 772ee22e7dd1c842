#!/bin/sh
# What the image runs: the operator (the default), or in sandbox mode the simulators that stand in
# for Proxmox VE, NPM, Cloudflare and the VPS (the kind workflow runs them from this same image).
# Sandbox mode: HOMELAB_MODE=sandbox, or "sandbox" as the first argument.
set -eu

app="${HOMELAB_APP_DIR:-/deployments}"
mode="${HOMELAB_MODE:-operator}"
case "${1:-}" in
  operator | sandbox)
    mode="$1"
    shift
    ;;
esac

# JAVA_OPTS is split on spaces on purpose: it holds several options (the chart sets the heap).
case "$mode" in
  operator)
    # shellcheck disable=SC2086
    exec java ${JAVA_OPTS:-} -jar "$app/quarkus-run.jar" "$@"
    ;;
  sandbox)
    # shellcheck disable=SC2086
    exec java ${JAVA_OPTS:-} -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
      -cp "$app/app/*:$app/lib/main/*:$app/lib/boot/*" \
      io.homelab.operator.sandbox.Simulators "$app/k8s-samples" "${HOMELAB_SANDBOX_DIR:-/tmp/simulators}" "$@"
    ;;
  *)
    echo "HOMELAB_MODE is '$mode': it must be operator or sandbox" >&2
    exit 64
    ;;
esac
