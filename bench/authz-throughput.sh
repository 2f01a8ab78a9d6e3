#!/usr/bin/env bash
# Authorization cost: the same GET and create load (bench/authzload.py: keep-alive HTTPS, CONCURRENCY threads, one
# object read again and again, then objects created) as a static-token user in system:masters (the chain's first
# authorizer allows) and as a static-token user bound to `edit` in the namespace (RBAC decides every request): both
# bearer tokens, so only authorization differs; same run, release `timonel server` binaries (fresh SQLite data dirs).
# RESOURCE=configmaps (default): one server. RESOURCE=secrets: the edit user's Secrets are encrypted at rest (the
# default), the masters' go to a second server started with --secrets-encryption=false, the issue's comparison
# "RBAC enforced and Secrets encrypted beside system:masters without encryption".
# Prints both rates and edit ÷ masters. Target: the edit user at >= 90 % of the masters' rate.
#   [RESOURCE=secrets] bench/authz-throughput.sh [SECONDS=10] [CONCURRENCY=8]
set -euo pipefail
seconds="${1:-10}"
concurrency="${2:-8}"
resource="${RESOURCE:-configmaps}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/timonel" --help >/dev/null # builds the release binary when a source changed
bin="$root/artifacts/bin/Timonel/release/timonel"
data="$(mktemp -d /tmp/timonel-authz-XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  if [ -n "${KEEP_DATA:-}" ]; then echo "data dir kept: $data" >&2; else rm -rf "$data"; fi
}
trap cleanup EXIT

masters_token="masters-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
edit_token="edit-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
printf '%s\n' "$masters_token,bench-admin,u-admin,\"system:masters\"" "$edit_token,bench-editor,u-editor" >"$data/tokens.csv"

# start NAME [server flags...]: a server in $data/NAME with the token file; waits until it is ready.
start() {
  local name="$1"; shift
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  "$bin" server --disable-agent --data-dir "$data/$name" --https-listen-port "$port" --bind-address 127.0.0.1 \
    --token-auth-file "$data/tokens.csv" --disable-scheduler "$@" >"$data/$name.log" 2>&1 &
  pids+=("$!")
  until curl -ksf "https://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$data/$name.log"; exit 1; }
    sleep 0.2
  done
  KUBECONFIG="$data/$name/kubeconfig.yaml" kubectl create namespace bench >/dev/null
  if [ "$resource" = secrets ]; then
    KUBECONFIG="$data/$name/kubeconfig.yaml" kubectl -n bench create secret generic target --from-literal=a=b >/dev/null
  else
    KUBECONFIG="$data/$name/kubeconfig.yaml" kubectl -n bench create configmap target --from-literal=a=b >/dev/null
  fi
}

start server
export KUBECONFIG="$data/server/kubeconfig.yaml"
kubectl -n bench create rolebinding bench-editor --clusterrole=edit --user=bench-editor >/dev/null
# The binding reaches the authorizer through a watch; edit gets its rules from the aggregation controller.
until [ "$(kubectl auth can-i create "$resource" -n bench --as=bench-editor 2>/dev/null)" = yes ]; do sleep 0.2; done
masters_kubeconfig="$KUBECONFIG"
if [ "$resource" = secrets ]; then
  start plain --secrets-encryption=false
  masters_kubeconfig="$data/plain/kubeconfig.yaml"
fi

result=$(python3 "$root/bench/authzload.py" "$KUBECONFIG" "$masters_token" "$edit_token" bench "$seconds" "$concurrency" "$resource" "$masters_kubeconfig")
python3 - "$result" "$seconds" "$concurrency" "$resource" <<'PY'
import json, sys
r, seconds, concurrency, resource = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
print(f"authorization throughput: {seconds} s per cell, {concurrency} clients, {resource} in one namespace")
edit = "edit via RBAC, encrypted" if resource == "secrets" else "edit via RBAC"
masters = "system:masters, no encryption" if resource == "secrets" else "system:masters"
print(f"| operation | {masters} (req/s) | {edit} (req/s) | edit / masters |")
print("|---|---|---|---|")
for op in ("get", "create"):
    m, e = r[f"{op} masters"], r[f"{op} edit"]
    ratio = e["per_s"] / m["per_s"] * 100 if m["per_s"] else 0
    errors = m["errors"] + e["errors"]
    print(f"| {op} | {m['per_s']} | {e['per_s']} | {ratio:.0f} %{' (' + str(errors) + ' errors)' if errors else ''} |")
PY
