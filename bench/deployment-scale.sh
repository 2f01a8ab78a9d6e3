#!/usr/bin/env bash
# Reconciliation at scale: `timonel server` (release build, fresh SQLite data dir) and one
# `timonel agent --simulated NODES` process, then a Deployment of REPLICAS pods:
#   (a) kubectl apply → status.availableReplicas == REPLICAS                     target ≤ 30 s
#   (b) kubectl set image (maxSurge 25 %) → rollout complete: updated == available == REPLICAS, no old pod left,
#       every old ReplicaSet at 0                                                   target ≤ 60 s
#   (c) kubectl delete deployment → no pod left (the garbage collector's work)      target ≤ 30 s
#   (d) server RSS: peak (VmHWM) and after, beside the agent's
# KIND=replicaset runs the same on a bare ReplicaSet: (a) as above, no (b), and (c) deletes the ReplicaSet and then
# its pods by hand (`kubectl delete pods --all`), for a server without the Deployment controller or the garbage
# collector.
#   bench/deployment-scale.sh [REPLICAS=3000] [NODES=100]        KIND=deployment|replicaset, TIMEOUT=600 (s a phase)
set -euo pipefail
replicas="${1:-3000}"
nodes="${2:-100}"
kind="${KIND:-deployment}"
timeout="${TIMEOUT:-600}"
source "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"
trap cleanup_cluster EXIT

# 100 nodes need 100 /24 pod ranges: the default 10.42.0.0/16 holds 256; a /11 for more than that.
cidr=10.42.0.0/16
[ "$nodes" -gt 250 ] && cidr=10.64.0.0/11
start_cluster "$nodes" "$cidr"
echo "$nodes simulated nodes registered in $registered s" >&2
kubectl create namespace bench >/dev/null

# Requests small enough that REPLICAS × 1.25 (the surge) fits the default node capacity (cpu 4, memory 16Gi,
# 110 pods) many times over: the benchmark measures the controllers, not bin packing.
manifest() {
  local image="$1"
  cat <<EOF
apiVersion: apps/v1
kind: $([ "$kind" = deployment ] && echo Deployment || echo ReplicaSet)
metadata:
  name: bench
  namespace: bench
spec:
  replicas: $replicas
  selector:
    matchLabels:
      app: bench
$([ "$kind" = deployment ] && printf '  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 25%%\n      maxUnavailable: 25%%\n')
  template:
    metadata:
      labels:
        app: bench
    spec:
      containers:
      - name: pause
        image: $image
        resources:
          requests:
            cpu: 10m
            memory: 16Mi
EOF
}

t0=$(date +%s.%N)
manifest registry.k8s.io/pause:3.9 | kubectl apply -f - >/dev/null
created=$(python3 "$probe" "$KUBECONFIG" wait-workload "$kind" bench bench "$replicas" "$t0" "$timeout")
echo "(a) $replicas available in $created s" >&2
sleep 5
rss_created=$(rss_mb "$server_pid")
agent_rss_created=$(rss_mb "$agent_pid")

rolled="-"
if [ "$kind" = deployment ]; then
  t0=$(date +%s.%N)
  kubectl -n bench set image deployment/bench pause=registry.k8s.io/pause:3.10 >/dev/null
  rolled=$(python3 "$probe" "$KUBECONFIG" wait-workload deployment bench bench "$replicas" "$t0" "$timeout")
  echo "(b) rolled out in $rolled s" >&2
fi

t0=$(date +%s.%N)
if [ "$kind" = deployment ]; then
  kubectl -n bench delete deployment bench --wait=false >/dev/null
else
  kubectl -n bench delete replicaset bench --wait=false >/dev/null
  kubectl -n bench delete pods --all --wait=false >/dev/null
fi
deleted=$(python3 "$probe" "$KUBECONFIG" wait-pods bench 0 "$t0" "$timeout")
echo "(c) all pods gone in $deleted s" >&2
server_cpu=$(cpu_s "$server_pid")
agent_cpu=$(cpu_s "$agent_pid")
sleep 10

label=$([ "$kind" = deployment ] && echo Deployment || echo ReplicaSet)
printf '%-58s %12s %10s\n' "$label of $replicas on $nodes simulated nodes" "measured" "target"
printf '%-58s %12s %10s\n' "nodes registered (s)" "$registered" "-"
printf '%-58s %12s %10s\n' "(a) apply → $replicas available (s)" "$created" "<= 30"
printf '%-58s %12s %10s\n' "(b) set image → rollout complete, old RS at 0 (s)" "$rolled" "<= 60"
printf '%-58s %12s %10s\n' "(c) delete → no pod left (s)$([ "$kind" = deployment ] || echo ', pods deleted by hand')" "$deleted" "<= 30"
printf '%-58s %12s %10s\n' "(d) server RSS peak (MB)" "$(peak_mb "$server_pid")" "-"
printf '%-58s %12s %10s\n' "(d) server RSS with $replicas pods, 5 s after (a) (MB)" "$rss_created" "-"
printf '%-58s %12s %10s\n' "(d) server RSS 10 s after the last pod went (MB)" "$(rss_mb "$server_pid")" "-"
printf '%-58s %12s %10s\n' "agent RSS peak / with $replicas pods (MB)" "$(peak_mb "$agent_pid") / $agent_rss_created" "-"
printf '%-58s %12s %10s\n' "CPU over the run: server / agent (s)" "$server_cpu / $agent_cpu" "-"
printf '%-58s %12s %10s\n' "load average at the end" "$(cut -d' ' -f1-3 /proc/loadavg)" "-"
