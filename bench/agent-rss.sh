#!/usr/bin/env bash
# The node agent's own memory: the agent runs inside `timonel server`, so it is measured as the difference between
# two runs of the same release binary on fresh data dirs: `timonel server --disable-agent` and `timonel server`
# with its agent, each idle (25 s after the API answers / the node is Ready) and then with COUNT pause pods
# (Pending without a node, Running with it) 25 s after they were created. containerd (the agent's child) is
# counted apart. Holds the machine's node lock (/run/timonel-e2e.lock) as the E2E tests do. Root only.
#   bench/agent-rss.sh [COUNT=30]
set -euo pipefail
count="${1:-30}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ "$(id -u)" = 0 ] || { echo "agent-rss.sh runs containers: run it as root" >&2; exit 1; }
exec 8>/run/timonel-e2e.lock
flock 8
"$root/timonel" --help >/dev/null
bin="$root/artifacts/bin/Timonel/release/timonel"
images="$(mktemp -d /tmp/timonel-images-XXXXXX)"
bash "$root/tests/images/build.sh" "$images" >/dev/null
data="" server_pid=""
stop() {
  [ -n "$server_pid" ] && kubectl delete namespace bench --timeout=60s >/dev/null 2>&1 || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  server_pid=""
  pkill -9 -f "containerd-shim-runc-v2.*/run/timonel/containerd" 2>/dev/null || true
  [ -n "$data" ] && awk '{print $5}' /proc/self/mountinfo | grep "^$data" | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  [ -n "$data" ] && rm -rf "$data"
  data=""
}
trap 'stop; rm -rf "$images"' EXIT
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

pods() {
  for i in $(seq 1 "$count"); do
    printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p%s\nspec:\n  terminationGracePeriodSeconds: 1\n  containers:\n  - name: c\n    image: registry.k8s.io/pause:3.10\n    imagePullPolicy: IfNotPresent\n---\n' "$i"
  done
}

# run [--disable-agent]: sets result to "IDLE_MB BUSY_MB CONTAINERD_IDLE_MB CONTAINERD_BUSY_MB"
run() {
  data="$(mktemp -d /tmp/timonel-rss-XXXXXX)"
  mkdir -p "$data/server/agent/images"
  cp "$images"/* "$data/server/agent/images/"
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  "$bin" server --data-dir "$data/server" --https-listen-port "$port" "$@" >"$data/server.log" 2>&1 &
  server_pid=$!
  export KUBECONFIG="$data/server/kubeconfig.yaml"
  until [ -f "$KUBECONFIG" ] && kubectl get --raw /readyz >/dev/null 2>&1; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$data/server.log" >&2; exit 1; }
    sleep 0.5
  done
  if [ "$#" -eq 0 ]; then
    until kubectl wait node --all --for=condition=Ready --timeout=1s >/dev/null 2>&1; do sleep 0.5; done
  fi
  sleep 25
  local containerd_pid idle busy c_idle c_busy
  containerd_pid=$(pgrep -f "containerd --config $data/server/agent" | head -1 || true)
  idle=$(rss_mb "$server_pid")
  c_idle=$([ -n "$containerd_pid" ] && rss_mb "$containerd_pid" || echo 0)
  kubectl create namespace bench >/dev/null
  until kubectl get serviceaccount default -n bench >/dev/null 2>&1; do sleep 0.2; done
  pods | kubectl apply -n bench -f - >/dev/null
  if [ "$#" -eq 0 ]; then
    kubectl wait pods --all -n bench --for=condition=Ready --timeout=120s >/dev/null
  fi
  sleep 25
  busy=$(rss_mb "$server_pid")
  c_busy=$([ -n "$containerd_pid" ] && rss_mb "$containerd_pid" || echo 0)
  stop
  result="$idle $busy $c_idle $c_busy"
}

result=""
run --disable-agent
read -r plain_idle plain_busy _ _ <<<"$result"
run
read -r agent_idle agent_busy containerd_idle containerd_busy <<<"$result"
echo "timonel server --disable-agent: idle ${plain_idle} MB, with $count pods (Pending) ${plain_busy} MB"
echo "timonel server with its agent: idle ${agent_idle} MB, with $count pods (Running) ${agent_busy} MB"
echo "agent (difference): idle $((agent_idle - plain_idle)) MB, with $count pods $((agent_busy - plain_busy)) MB"
echo "containerd apart: idle ${containerd_idle} MB, with $count pods ${containerd_busy} MB"
