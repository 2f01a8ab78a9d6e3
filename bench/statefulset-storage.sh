#!/usr/bin/env bash
# StatefulSet with volumes on a real node: a release `timonel server` with its node agent (bench/real-node.sh), then
# a StatefulSet of REPLICAS pods (podManagementPolicy Parallel, pause containers) timed from kubectl apply to
# status.readyReplicas == REPLICAS, side by side:
#   (a) without volumes
#   (b) the same set with a volumeClaimTemplate on the default class local-path (WaitForFirstConsumer: each claim
#       waits for the scheduler's node, is provisioned as a directory under DATA/storage, bound, then mounted)
#   (c) the set with volumes deleted, then its claims: → every volume and its directory gone (reclaim Delete)
# RUNS times each (default 3), alternating, each set deleted before the next apply.
#   bench/statefulset-storage.sh [REPLICAS=10] [RUNS=3]      TIMEOUT=180 (s a phase)
set -euo pipefail
replicas="${1:-10}"
runs="${2:-3}"
timeout="${TIMEOUT:-180}"
source "$(dirname "${BASH_SOURCE[0]}")/real-node.sh"
trap cleanup_real_node EXIT
start_real_node
echo "node Ready after $node_ready s" >&2
kubectl create namespace bench >/dev/null

manifest() {
  local name="$1" volumes="$2"
  cat <<YAML
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: $name
  namespace: bench
spec:
  replicas: $replicas
  serviceName: $name
  podManagementPolicy: Parallel
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
        image: registry.k8s.io/pause:3.10
        imagePullPolicy: IfNotPresent
$([ "$volumes" = yes ] && printf '        volumeMounts:\n        - name: data\n          mountPath: /data\n')
$([ "$volumes" = yes ] && printf '  volumeClaimTemplates:\n  - metadata:\n      name: data\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources:\n        requests:\n          storage: 1Gi\n')
YAML
}

# Seconds from apply to all ready.
ready_after() {
  local name="$1" volumes="$2" start
  start=$(date +%s.%N)
  manifest "$name" "$volumes" | kubectl apply -f - >/dev/null
  python3 "$probe" "$KUBECONFIG" wait-workload statefulset bench "$name" "$replicas" "$start" "$timeout"
}

delete_set() {
  kubectl delete statefulset "$1" -n bench --timeout="${timeout}s" >/dev/null
  python3 "$probe" "$KUBECONFIG" wait-pods bench 0 "$(date +%s.%N)" "$timeout" >/dev/null
}

# Seconds from the claims' deletion to no volume and no directory left.
claims_gone_after() {
  local start
  start=$(date +%s.%N)
  kubectl delete pvc --all -n bench --wait=false >/dev/null
  until [ -z "$(kubectl get pv -o name)" ] && [ -z "$(ls -A "$data/server/storage" 2>/dev/null)" ]; do
    python3 -c "import sys, time; sys.exit(time.time() - $start > $timeout)" || { echo "timeout: volumes left" >&2; kubectl get pv >&2; exit 1; }
    sleep 0.25
  done
  python3 -c "import time; print(f'{time.time() - $start:.2f}')"
}

plain=(); with=(); gone=()
for run in $(seq "$runs"); do
  plain+=("$(ready_after "plain-$run" no)")
  delete_set "plain-$run"
  with+=("$(ready_after "data-$run" yes)")
  dirs=$(ls "$data/server/storage" | wc -l)
  [ "$dirs" = "$replicas" ] || { echo "expected $replicas directories under storage, found $dirs" >&2; exit 1; }
  delete_set "data-$run"
  gone+=("$(claims_gone_after)")
done
echo "StatefulSet of $replicas (Parallel), apply → all ready, $runs runs:"
echo "  without volumes: ${plain[*]} s"
echo "  with volumes (local-path, WaitForFirstConsumer): ${with[*]} s"
echo "  claims deleted → volumes and directories gone: ${gone[*]} s"
echo "server RSS at the end: $(rss_mb "$server_pid") MB"
