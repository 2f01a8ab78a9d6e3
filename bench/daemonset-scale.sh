#!/usr/bin/env bash
# A DaemonSet over many nodes: `timonel server` (release build, fresh SQLite data dir) and one
# `timonel agent --simulated NODES` process, then a DaemonSet without node selector or probes:
#   (a) kubectl apply → NODES pods scheduled, Running and available (status as `kubectl rollout status` reads it)
#   (b) kubectl set image (RollingUpdate, maxUnavailable 10 %) → every node's pod replaced and available
#   (c) server and agent RSS (peak and with NODES pods) and CPU
# Upstream publishes no threshold for either; the nearest published figure is the Deployment of 3,000 pods
# (bench/deployment-scale.sh), with which docs/benchmarks.md compares.
#   bench/daemonset-scale.sh [NODES=5000]        TIMEOUT=900 (s a phase), ROLL=0 to skip (b)
set -euo pipefail
nodes="${1:-5000}"
timeout="${TIMEOUT:-900}"
roll="${ROLL:-1}"
source "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"
trap cleanup_cluster EXIT

cidr=10.42.0.0/16
[ "$nodes" -gt 250 ] && cidr=10.64.0.0/11
start_cluster "$nodes" "$cidr"
echo "$nodes simulated nodes registered in $registered s" >&2
kubectl create namespace bench >/dev/null

manifest() {
  cat <<EOF
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: bench
  namespace: bench
spec:
  selector:
    matchLabels:
      app: bench
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 10%
  template:
    metadata:
      labels:
        app: bench
    spec:
      containers:
      - name: pause
        image: $1
        resources:
          requests:
            cpu: 10m
            memory: 16Mi
EOF
}

t0=$(date +%s.%N)
manifest registry.k8s.io/pause:3.9 | kubectl apply -f - >/dev/null
created=$(python3 "$probe" "$KUBECONFIG" wait-workload daemonset bench bench "$nodes" "$t0" "$timeout")
echo "(a) $nodes daemon pods available in $created s" >&2
sleep 5
rss_created=$(rss_mb "$server_pid")
agent_rss_created=$(rss_mb "$agent_pid")

rolled="-"
if [ "$roll" = 1 ]; then
  t0=$(date +%s.%N)
  kubectl -n bench set image ds/bench pause=registry.k8s.io/pause:3.10 >/dev/null
  rolled=$(python3 "$probe" "$KUBECONFIG" wait-workload daemonset bench bench "$nodes" "$t0" "$timeout") || rolled="timeout"
  echo "(b) rolled out in $rolled s" >&2
fi
server_cpu=$(cpu_s "$server_pid")
agent_cpu=$(cpu_s "$agent_pid")

printf '%-58s %12s %10s\n' "DaemonSet on $nodes simulated nodes" "measured" "target"
printf '%-58s %12s %10s\n' "nodes registered (s)" "$registered" "-"
printf '%-58s %12s %10s\n' "(a) apply → $nodes pods Running and available (s)" "$created" "-"
printf '%-58s %12s %10s\n' "(b) set image, maxUnavailable 10 % → rolled out (s)" "$rolled" "-"
printf '%-58s %12s %10s\n' "(c) server RSS peak / with $nodes pods (MB)" "$(peak_mb "$server_pid") / $rss_created" "-"
printf '%-58s %12s %10s\n' "(c) agent RSS peak / with $nodes pods (MB)" "$(peak_mb "$agent_pid") / $agent_rss_created" "-"
printf '%-58s %12s %10s\n' "CPU over the run: server / agent (s)" "$server_cpu / $agent_cpu" "-"
printf '%-58s %12s %10s\n' "load average at the end" "$(cut -d' ' -f1-3 /proc/loadavg)" "-"
