#!/usr/bin/env bash
# The Job controller at scale: `timonel server` (release build, fresh SQLite data dir) and one
# `timonel agent --simulated NODES` process, then one Job of COMPLETIONS pods, PARALLELISM at a time, each running
# SECONDS on the simulated nodes (sim.timonel.io/run-seconds):
#   kubectl apply → condition Complete                 target ≤ 3 × the ideal ceil(COMPLETIONS / PARALLELISM) × SECONDS
#   server CPU seconds spent meanwhile (controllers, scheduler and API server are one process)
#   bench/job-scale.sh [COMPLETIONS=1000] [PARALLELISM=100] [SECONDS=1] [NODES=20]     TIMEOUT=600 (s)
set -euo pipefail
completions="${1:-1000}"
parallelism="${2:-100}"
run_seconds="${3:-1}"
nodes="${4:-20}"
timeout="${TIMEOUT:-600}"
source "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"
trap cleanup_cluster EXIT

start_cluster "$nodes" 10.42.0.0/16
echo "$nodes simulated nodes registered in $registered s" >&2
kubectl create namespace bench >/dev/null

cpu0=$(cpu_s "$server_pid")
t0=$(date +%s.%N)
kubectl apply -f - >/dev/null <<EOF2
apiVersion: batch/v1
kind: Job
metadata:
  name: bench
  namespace: bench
spec:
  completions: $completions
  parallelism: $parallelism
  template:
    metadata:
      annotations:
        sim.timonel.io/run-seconds: "$run_seconds"
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: registry.k8s.io/pause:3.9
        resources:
          requests:
            cpu: 10m
            memory: 16Mi
EOF2
kubectl -n bench wait job/bench --for=condition=Complete --timeout="${timeout}s" >/dev/null
took=$(elapsed "$t0")
cpu1=$(cpu_s "$server_pid")
status=$(kubectl -n bench get job bench -o jsonpath='{.status.succeeded} succeeded, {.status.failed} failed')
ideal=$(( (completions + parallelism - 1) / parallelism * run_seconds ))
echo "job of $completions completions, parallelism $parallelism, ${run_seconds}s pods: Complete in $took s (ideal $ideal s; $status)"
echo "server CPU meanwhile: $(python3 -c "print(f'{$cpu1 - $cpu0:.1f}')") s; server RSS $(rss_mb "$server_pid") MB"
