#!/usr/bin/env bash
# One `timonel agent --simulated N` process (default 5,000 nodes) against `timonel server` on a temporary data dir:
# how long registration takes, then the agent's RSS and CPU once steady (averaged over a window, from
# /proc/<pid>/stat), and the server's RSS and CPU, printed beside the targets.
#   bench/simulated-nodes.sh [NODES] [WINDOW_SECONDS] [SETTLE_SECONDS]
set -euo pipefail
nodes="${1:-5000}"
window="${2:-60}"
settle="${3:-30}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/timonel" --help >/dev/null # builds the release binary when a source changed
bin="$root/artifacts/bin/Timonel/release/timonel"
data="$(mktemp -d /tmp/timonel-simbench-XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
server_pid=""
agent_pid=""
cleanup() {
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

"$bin" server --data-dir "$data/server" --https-listen-port "$port" --bind-address 127.0.0.1 >"$data/server.log" 2>&1 &
server_pid=$!
until curl -ksf "https://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$data/server.log"; exit 1; }
  sleep 0.2
done

# 5,000 nodes need 5,000 /24 pod ranges: K3s' default 10.42.0.0/16 holds 256, so a /11.
start=$(date +%s.%N)
"$bin" agent --simulated "$nodes" --server "https://127.0.0.1:$port" --token "$(cat "$data/server/token")" \
  --cluster-cidr 10.64.0.0/11 >"$data/agent.log" 2>&1 &
agent_pid=$!
until grep -qs "agent ready" "$data/agent.log"; do
  kill -0 "$agent_pid" 2>/dev/null || { cat "$data/agent.log"; exit 1; }
  sleep 0.5
done
registered=$(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')")

sleep "$settle"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)
agent_before=$(ticks "$agent_pid"); server_before=$(ticks "$server_pid")
sleep "$window"
agent_after=$(ticks "$agent_pid"); server_after=$(ticks "$server_pid")
agent_cpu=$(python3 -c "print(f'{($agent_after - $agent_before) / $hz / $window:.3f}')")
server_cpu=$(python3 -c "print(f'{($server_after - $server_before) / $hz / $window:.3f}')")
ready=$(KUBECONFIG="$data/server/kubeconfig.yaml" kubectl get nodes --no-headers 2>/dev/null | awk '$2 == "Ready"' | wc -l)
leases=$(KUBECONFIG="$data/server/kubeconfig.yaml" kubectl get leases -n kube-node-lease --no-headers 2>/dev/null | wc -l)

printf '%-34s %12s %12s\n' "simulated nodes: $nodes" "measured" "target"
printf '%-34s %12s %12s\n' "registration (s)" "$registered" "-"
printf '%-34s %12s %12s\n' "nodes Ready (kubectl get nodes)" "$ready" "$nodes"
printf '%-34s %12s %12s\n' "node Leases" "$leases" "$nodes"
printf '%-34s %12s %12s\n' "agent RSS (MB)" "$(rss_mb "$agent_pid")" "<= 200"
printf '%-34s %12s %12s\n' "agent CPU (cores, ${window}s)" "$agent_cpu" "<= 0.2"
printf '%-34s %12s %12s\n' "server RSS (MB)" "$(rss_mb "$server_pid")" "-"
printf '%-34s %12s %12s\n' "server CPU (cores, ${window}s)" "$server_cpu" "-"
