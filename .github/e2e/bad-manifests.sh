#!/usr/bin/env bash
# Applies each case of the bad-manifest table (written by BadManifestFilesTest) to the cluster's
# API server in a namespace of its own: a case with expected messages must be refused with each
# of them in kubectl's output; a case with none must be accepted. An update case first creates
# its stored object (NN-name.old.yaml), then applies the change. Server-side dry runs leave
# nothing behind but the stored objects.
set -euo pipefail
dir="$1"
ns=bad-manifests
kubectl create namespace "$ns" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
failed=0
total=0
retarget() { sed -E "s/^  namespace: \"?homelab\"?$/  namespace: $ns/" "$1"; }
for manifest in "$dir"/*.yaml; do
  case "$manifest" in *.old.yaml) continue ;; esac
  base="${manifest%.yaml}"
  total=$((total + 1))
  if [[ -f "$base.old.yaml" ]]; then
    retarget "$base.old.yaml" | kubectl apply -f - >/dev/null
  fi
  if output="$(retarget "$manifest" | kubectl apply --dry-run=server -f - 2>&1)"; then
    refused=false
  else
    refused=true
  fi
  if [[ -s "$base.expect" ]]; then
    if [[ "$refused" != true ]]; then
      echo "ACCEPTED but must be refused: $(basename "$base")"
      failed=$((failed + 1))
    else
      while IFS= read -r expected; do
        if ! grep -qF -- "$expected" <<<"$output"; then
          echo "REFUSED without the message '$expected': $(basename "$base"): $output"
          failed=$((failed + 1))
        fi
      done <"$base.expect"
    fi
  elif [[ "$refused" == true ]]; then
    echo "REFUSED but must be accepted: $(basename "$base"): $output"
    failed=$((failed + 1))
  fi
  if [[ -f "$base.old.yaml" ]]; then
    retarget "$base.old.yaml" | kubectl delete --wait=false -f - >/dev/null 2>&1 || true
  fi
done
echo "$((total - failed)) passed, $failed failed"
((failed == 0))
