#!/usr/bin/env bash
# StatefulSet at scale: `timonel server` (release build, fresh SQLite data dir) and one `timonel agent --simulated
# NODES` process, then a StatefulSet of REPLICAS pods without volumeClaimTemplates:
#   (a) kubectl apply (podManagementPolicy Parallel) → status.readyReplicas == REPLICAS
#   (b) kubectl delete statefulset → no pod left (the garbage collector's work)
#   (c) ORDERED=N (default 10): a second set of N in OrderedReady, apply → N ready: each ordinal waits for the one
#       before it to be Running and Ready, so this measures the per-pod round trip (create → schedule → ready → next)
# Upstream has no threshold for StatefulSets (scheduler_perf has none, the SLOs cover pod startup only): the figure
# is set beside a ReplicaSet of the same size on the same cluster, (d), which creates its pods in slow-start batches
# just as Parallel does.
#   bench/statefulset-scale.sh [REPLICAS=100] [NODES=10]        ORDERED=10, TIMEOUT=300 (s a phase)
set -euo pipefail
replicas="${1:-100}"
nodes="${2:-10}"
ordered="${ORDERED:-10}"
timeout="${TIMEOUT:-300}"
source "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"
trap cleanup_cluster EXIT

start_cluster "$nodes" 10.42.0.0/16
echo "$nodes simulated nodes registered in $registered s" >&2
kubectl create namespace bench >/dev/null

manifest() {
  local kind="$1" name="$2" count="$3" policy="$4"
  cat <<YAML
apiVersion: apps/v1
kind: $kind
metadata:
  name: $name
  namespace: bench
spec:
  replicas: $count
$([ "$kind" = StatefulSet ] && printf '  serviceName: %s\n  podManagementPolicy: %s\n' "$name" "$policy")
  selector:
    matchLabels:
      app: $name
  template:
    metadata:
      labels:
        app: $name
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: pause
        image: registry.k8s.io/pause:3.9
        resources:
          requests:
            cpu: 10m
            memory: 16Mi
YAML
}

t0=$(date +%s.%N)
manifest StatefulSet bench "$replicas" Parallel | kubectl apply -f - >/dev/null
parallel=$(python3 "$probe" "$KUBECONFIG" wait-workload statefulset bench bench "$replicas" "$t0" "$timeout")
echo "(a) Parallel: $replicas ready in $parallel s" >&2

t0=$(date +%s.%N)
kubectl -n bench delete statefulset bench --wait=false >/dev/null
deleted=$(python3 "$probe" "$KUBECONFIG" wait-pods bench 0 "$t0" "$timeout")
echo "(b) all pods gone in $deleted s" >&2

t0=$(date +%s.%N)
manifest StatefulSet ordered "$ordered" OrderedReady | kubectl apply -f - >/dev/null
in_order=$(python3 "$probe" "$KUBECONFIG" wait-workload statefulset bench ordered "$ordered" "$t0" "$timeout")
echo "(c) OrderedReady: $ordered ready in $in_order s" >&2
kubectl -n bench delete statefulset ordered --wait=false >/dev/null
python3 "$probe" "$KUBECONFIG" wait-pods bench 0 "$t0" "$timeout" >/dev/null

t0=$(date +%s.%N)
manifest ReplicaSet rs "$replicas" - | kubectl apply -f - >/dev/null
rs=$(python3 "$probe" "$KUBECONFIG" wait-workload replicaset bench rs "$replicas" "$t0" "$timeout")
echo "(d) ReplicaSet: $replicas available in $rs s" >&2

printf '%-58s %12s %10s\n' "StatefulSet of $replicas on $nodes simulated nodes" "measured" "compare"
printf '%-58s %12s %10s\n' "nodes registered (s)" "$registered" "-"
printf '%-58s %12s %10s\n' "(a) apply, Parallel → $replicas ready (s)" "$parallel" "(d)"
printf '%-58s %12s %10s\n' "(b) delete statefulset → no pod left (s)" "$deleted" "-"
printf '%-58s %12s %10s\n' "(c) apply, OrderedReady → $ordered ready (s)" "$in_order" "-"
printf '%-58s %12s %10s\n' "(d) ReplicaSet of $replicas: apply → available (s)" "$rs" "-"
printf '%-58s %12s %10s\n' "server RSS peak (MB)" "$(peak_mb "$server_pid")" "-"
printf '%-58s %12s %10s\n' "load average at the end" "$(cut -d' ' -f1-3 /proc/loadavg)" "-"
