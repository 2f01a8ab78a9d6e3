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
source "$(dirname "${BASH_SOURCE[0]}")/real-node.sh"
trap cleanup_real_node EXIT
start_real_node
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
