#!/usr/bin/env bash
# Static binding at scale, the persistent volume controller's work: `timonel server` (release build, fresh SQLite
# data dir) with one `timonel agent --simulated 3`, COUNT PersistentVolumes made by hand (1-10 Gi, Retain), then
# COUNT claims of 1 Gi in one apply:
#   (a) claims applied → every claim Bound and as many volumes Bound              target ≤ 30 s for 1,000
#   (b) the claims deleted → every volume Released (Retain)                          (reported)
#   bench/volume-binding.sh [COUNT=1000]                                          TIMEOUT=600 (s a phase)
set -euo pipefail
count="${1:-1000}"
timeout="${TIMEOUT:-600}"
source "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"
trap cleanup_cluster EXIT

start_cluster 3 10.42.0.0/16
kubectl create namespace bench >/dev/null

volumes() {
  for i in $(seq 1 "$count"); do
    cat <<YAML
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: bench-$i
spec:
  capacity:
    storage: $((i % 10 + 1))Gi
  accessModes: [ReadWriteOnce]
  storageClassName: ""
  hostPath:
    path: /tmp/bench-$i
YAML
  done
}

claims() {
  for i in $(seq 1 "$count"); do
    cat <<YAML
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data-$i
  namespace: bench
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: ""
  resources:
    requests:
      storage: 1Gi
YAML
  done
}

volumes | kubectl apply -f - >/dev/null
# The volumes Available first, so the figure is the binding alone.
until [ "$(kubectl get pv --no-headers | grep -c ' Available ')" -eq "$count" ]; do sleep 0.5; done
t0=$(date +%s.%N)
# kubectl create, not apply: apply's client-side patch computation made the upload itself take minutes.
claims | kubectl create -f - >/dev/null
uploaded=$(elapsed "$t0")
bound=$(python3 "$probe" "$KUBECONFIG" wait-bound bench "$count" "$t0" "$timeout")
echo "(a) $count claims bound in $bound s from the start of the upload (which took $uploaded s)" >&2

t0=$(date +%s.%N)
kubectl -n bench delete pvc --all --wait=false >/dev/null
until [ "$(kubectl get pv --no-headers | grep -c ' Released ')" -eq "$count" ]; do sleep 0.5; done
released=$(elapsed "$t0")
echo "(b) $count volumes released in $released s" >&2
echo "{\"count\": $count, \"upload_s\": $uploaded, \"bound_s\": $bound, \"released_s\": $released, \"server_rss_mb\": $(rss_mb "$server_pid")}"
