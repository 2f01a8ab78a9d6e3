#!/usr/bin/env bash
# Sourced by the benchmarks on a real node: start_real_node starts a release `timonel server` with its node agent
# (containerd, runc, CNI) on a fresh data dir, the test images imported at start (tests/images/build.sh into
# DATA/agent/images), and waits for the node to be Ready ($node_ready: seconds since the start). It holds
# /run/timonel-e2e.lock, as the end-to-end tests do: one node agent per machine. cleanup_real_node (on EXIT) deletes
# namespace bench, stops the server, kills the containers left and unmounts what the data dir holds.
# Extra server flags: START_ARGS. Root only.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
probe="$root/bench/kubeprobe.py"
bin="$root/artifacts/bin/Timonel/release/timonel"
data="$(mktemp -d /tmp/timonel-bench-node-XXXXXX)"
server_pid=""
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
cleanup_real_node() {
  # The pods go first (the kubelet stops them and unmounts their volumes); containers outlive their agent otherwise.
  [ -n "$server_pid" ] && kubectl delete namespace bench --timeout=60s >/dev/null 2>&1 || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  pkill -9 -f "containerd-shim-runc-v2.*/run/timonel/containerd" 2>/dev/null || true
  awk '{print $5}' /proc/self/mountinfo | grep "^$data" | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  if [ -n "${KEEP_DATA:-}" ]; then echo "data dir kept: $data" >&2; else rm -rf "$data"; fi
}
start_real_node() {
  [ "$(id -u)" = 0 ] || { echo "$(basename "$0") runs containers: run it as root" >&2; exit 1; }
  exec 9>/run/timonel-e2e.lock
  flock -n 9 || { echo "waiting for /run/timonel-e2e.lock: another node agent runs on this machine" >&2; flock 9; }
  "$root/timonel" --help >/dev/null
  mkdir -p "$data/server/agent/images"
  bash "$root/tests/images/build.sh" "$data/server/agent/images" >/dev/null
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  local start
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  "$bin" server --data-dir "$data/server" --https-listen-port "$port" ${START_ARGS:-} >"$data/server.log" 2>&1 &
  server_pid=$!
  export KUBECONFIG="$data/server/kubeconfig.yaml"
  until [ -f "$KUBECONFIG" ] && kubectl wait node --all --for=condition=Ready --timeout=1s >/dev/null 2>&1; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$data/server.log"; exit 1; }
    sleep 0.5
  done
  node_ready=$(python3 -c "import time; print(f'{time.time() - $start:.1f}')")
}
