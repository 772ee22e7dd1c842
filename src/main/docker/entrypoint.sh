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

# HOMELAB_JVM_OPTIONS are the options the image's AOT cache was trained with (the Dockerfile sets
# them): the cache, when the image has one, is used only with the same. JAVA_OPTS (the chart sets
# the heap) come after. Both are split on spaces on purpose: they hold several options.
case "$mode" in
  operator)
    aot=""
    if [ -f "$app/aot/app.aot" ]; then
      aot="-XX:AOTCache=$app/aot/app.aot"
    fi
    # shellcheck disable=SC2086
    exec java ${HOMELAB_JVM_OPTIONS:-} $aot ${JAVA_OPTS:-} -jar "$app/quarkus-run.jar" "$@"
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
