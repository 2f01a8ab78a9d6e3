#!/usr/bin/env bash
# One `timonel agent --simulated N` process (default 5,000 nodes) against `timonel server` on a temporary data dir:
# how long registration takes, then the agent's RSS and CPU once steady (averaged over a window, from
# /proc/<pid>/stat), and the server's RSS and CPU, printed beside the targets.
#   bench/simulated-nodes.sh [NODES] [WINDOW_SECONDS] [SETTLE_SECONDS]
set -euo pipefail
nodes="${1:-5000}"
window="${2:-60}"
settle="${3:-30}"
source "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"
trap cleanup_cluster EXIT
# 5,000 nodes need 5,000 /24 pod ranges: K3s' default 10.42.0.0/16 holds 256, so a /11.
start_cluster "$nodes" 10.64.0.0/11

sleep "$settle"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
agent_before=$(ticks "$agent_pid"); server_before=$(ticks "$server_pid")
sleep "$window"
agent_after=$(ticks "$agent_pid"); server_after=$(ticks "$server_pid")
agent_cpu=$(python3 -c "print(f'{($agent_after - $agent_before) / $hz / $window:.3f}')")
server_cpu=$(python3 -c "print(f'{($server_after - $server_before) / $hz / $window:.3f}')")
ready=$(kubectl get nodes --no-headers 2>/dev/null | awk '$2 == "Ready"' | wc -l)
leases=$(kubectl get leases -n kube-node-lease --no-headers 2>/dev/null | wc -l)

printf '%-34s %12s %12s\n' "simulated nodes: $nodes" "measured" "target"
printf '%-34s %12s %12s\n' "registration (s)" "$registered" "-"
printf '%-34s %12s %12s\n' "nodes Ready (kubectl get nodes)" "$ready" "$nodes"
printf '%-34s %12s %12s\n' "node Leases" "$leases" "$nodes"
printf '%-34s %12s %12s\n' "agent RSS (MB)" "$(rss_mb "$agent_pid")" "<= 200"
printf '%-34s %12s %12s\n' "agent CPU (cores, ${window}s)" "$agent_cpu" "<= 0.2"
printf '%-34s %12s %12s\n' "server RSS (MB)" "$(rss_mb "$server_pid")" "-"
printf '%-34s %12s %12s\n' "server CPU (cores, ${window}s)" "$server_cpu" "-"
