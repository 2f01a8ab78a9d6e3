# Sourced by bench/simulated-nodes.sh, bench/deployment-scale.sh and bench/scale-limits.sh: a release
# `timonel server` on a fresh data dir (embedded SQLite) plus one `timonel agent --simulated N` process, torn down
# on exit, and readers of /proc for their memory and CPU.
#   start_cluster NODES CLUSTER_CIDR   sets bin, data, port, server_pid, agent_pid, KUBECONFIG
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
probe="$root/bench/kubeprobe.py"
server_pid=""
agent_pid=""
data=""

cleanup_cluster() {
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  if [ -n "${KEEP_DATA:-}" ]; then echo "data dir kept: $data" >&2; else rm -rf "$data"; fi
}

start_cluster() {
  local nodes="$1" cidr="$2"
  "$root/timonel" --help >/dev/null # builds the release binary when a source changed
  bin="$root/artifacts/bin/Timonel/release/timonel"
  data="$(mktemp -d /tmp/timonel-reconcile-XXXXXX)"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  "$bin" server --disable-agent --data-dir "$data/server" --https-listen-port "$port" --bind-address 127.0.0.1 >"$data/server.log" 2>&1 &
  server_pid=$!
  until curl -ksf "https://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$data/server.log"; exit 1; }
    sleep 0.2
  done
  export KUBECONFIG="$data/server/kubeconfig.yaml"
  local start
  start=$(date +%s.%N)
  "$bin" agent --simulated "$nodes" --server "https://127.0.0.1:$port" --token "$(cat "$data/server/token")" \
    --cluster-cidr "$cidr" >"$data/agent.log" 2>&1 &
  agent_pid=$!
  until grep -qs "agent ready" "$data/agent.log"; do
    kill -0 "$agent_pid" 2>/dev/null || { cat "$data/agent.log"; exit 1; }
    sleep 0.5
  done
  registered=$(elapsed "$start")
}

elapsed() { python3 -c "import time; print(f'{time.time() - $1:.1f}')"; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
# Peak resident set since the process started (the kernel's high-water mark).
peak_mb() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"; }
# The SQLite database with its WAL and shared-memory files.
db_mb() { du -sm "$data/server/db" | cut -f1; }
