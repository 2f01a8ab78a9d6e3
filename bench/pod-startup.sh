#!/usr/bin/env bash
# Pod startup on a real node: a release `timonel server` with its node agent (containerd, runc, CNI) on a fresh data
# dir, the test images imported at start (tests/images/build.sh into DATA/agent/images), then COUNT pods created at
# RATE pods/s (default 30 at 5/s, upstream's pod-startup SLI load): create → Running and → Ready, p50/p99.
# Also the memory of the all-in-one process idle (node Ready, no pod) and with the COUNT pods running, and
# containerd's apart. Root only.
#   bench/pod-startup.sh [COUNT=30] [RATE=5] [IMAGE=registry.k8s.io/pause:3.10]
set -euo pipefail
count="${1:-30}"
rate="${2:-5}"
image="${3:-registry.k8s.io/pause:3.10}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
probe="$root/bench/kubeprobe.py"
[ "$(id -u)" = 0 ] || { echo "pod-startup.sh runs containers: run it as root" >&2; exit 1; }
"$root/timonel" --help >/dev/null
bin="$root/artifacts/bin/Timonel/release/timonel"
data="$(mktemp -d /tmp/timonel-startup-XXXXXX)"
server_pid=""
cleanup() {
  # The pods go first (the kubelet stops them and unmounts their volumes); containers outlive their agent otherwise.
  [ -n "$server_pid" ] && kubectl delete namespace bench --timeout=60s >/dev/null 2>&1 || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  pkill -9 -f "containerd-shim-runc-v2.*/run/timonel/containerd" 2>/dev/null || true
  awk '{print $5}' /proc/self/mountinfo | grep "^$data" | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  if [ -n "${KEEP_DATA:-}" ]; then echo "data dir kept: $data" >&2; else rm -rf "$data"; fi
}
trap cleanup EXIT
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
mkdir -p "$data/server/agent/images"
bash "$root/tests/images/build.sh" "$data/server/agent/images" >/dev/null
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
start=$(date +%s.%N)
"$bin" server --data-dir "$data/server" --https-listen-port "$port" >"$data/server.log" 2>&1 &
server_pid=$!
export KUBECONFIG="$data/server/kubeconfig.yaml"
until [ -f "$KUBECONFIG" ] && kubectl wait node --all --for=condition=Ready --timeout=1s >/dev/null 2>&1; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$data/server.log"; exit 1; }
  sleep 0.5
done
node_ready=$(python3 -c "import time; print(f'{time.time() - $start:.1f}')")
sleep 10
containerd_pid=$(pgrep -f "containerd --config $data/server/agent" | head -1 || true)
idle_server=$(rss_mb "$server_pid")
idle_containerd=$([ -n "$containerd_pid" ] && rss_mb "$containerd_pid" || echo "?")
kubectl create namespace bench >/dev/null
result=$(python3 "$probe" "$KUBECONFIG" pod-startup bench "$count" "$rate" "$image" 120)
sleep 5
busy_server=$(rss_mb "$server_pid")
busy_containerd=$([ -n "$containerd_pid" ] && rss_mb "$containerd_pid" || echo "?")
echo "node Ready after $node_ready s"
echo "startup: $result"
echo "RSS idle: timonel server+agent ${idle_server} MB, containerd ${idle_containerd} MB"
echo "RSS with $count pods: timonel server+agent ${busy_server} MB, containerd ${busy_containerd} MB"
