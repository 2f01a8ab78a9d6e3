#!/usr/bin/env bash
# Times `timonel kustomize` against `kubectl kustomize` on the generated overlay, whole process (start-up
# included), alternating the two, and checks first that both print the same bytes.
# Usage: run.sh [RUNS]   (needs hyperfine if installed; otherwise a plain loop with /usr/bin/time)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${1:-20}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
overlay="$("$here/generate.sh" "$work/tree")"
"$root/timonel" kustomize "$overlay" >"$work/timonel.out"   # builds the binary once if needed
bin="$root/artifacts/bin/Timonel/release/timonel"
kubectl kustomize "$overlay" >"$work/kubectl.out"
cmp "$work/timonel.out" "$work/kubectl.out" && echo "outputs identical ($(grep -c '^kind:' "$work/kubectl.out") objects)"
if command -v hyperfine >/dev/null; then
  hyperfine -N -w 2 -r "$runs" "$bin kustomize $overlay" "kubectl kustomize $overlay"
else
  for cmd in "$bin kustomize $overlay" "kubectl kustomize $overlay"; do
    start=$(date +%s.%N)
    for _ in $(seq "$runs"); do $cmd >/dev/null; done
    end=$(date +%s.%N)
    echo "$cmd: $(echo "($end - $start) / $runs" | bc -l | cut -c1-6) s per run (mean of $runs)"
  done
fi
