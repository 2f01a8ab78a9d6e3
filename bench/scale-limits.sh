#!/usr/bin/env bash
# Upstream's scale limits (5,000 nodes, 150,000 pods) against one `timonel server` (release build, embedded SQLite,
# fresh data dir) and one `timonel agent --simulated NODES` process. Pods are added in steps of STEP_PODS, as
# Deployments (KIND=ReplicaSet for bare ReplicaSets) of SET_SIZE replicas, each in its own namespace; after each step (every pod Available) a small load
# generator (bench/kubeprobe.py latency) times GETs of single pods and nodes, LISTs of the pods of one namespace
# (SET_SIZE pods) and cluster-wide LISTs of all pods, and the step's row records the time the step took, the server's
# and agent's RSS and CPU, and the size of the SQLite files.
# Stops at TARGET_PODS, when a p99 passes upstream's SLOs (GET of one object ≤ 1 s; LIST in a namespace ≤ 5 s;
# cluster-wide LISTs are shown against upstream's 30 s but do not stop the run), when a step does not finish, when
# the run has taken BUDGET seconds, or when the machine has less than MIN_FREE_MB of memory available.
#   bench/scale-limits.sh [NODES=5000] [TARGET_PODS=150000] [STEP_PODS=10000]
#   env: KIND=Deployment SET_SIZE=2500 BUDGET=1500 MIN_FREE_MB=3000 GETS=300 LISTS=30 CLUSTER_LISTS=3 CONCURRENCY=4
#        GET_SLO_MS=1000 LIST_SLO_MS=5000 (the p99s the run stops at)
set -euo pipefail
nodes="${1:-5000}"
target="${2:-150000}"
step_pods="${3:-10000}"
set_size="${SET_SIZE:-2500}"
budget="${BUDGET:-1500}"
min_free_mb="${MIN_FREE_MB:-3000}"
kind="${KIND:-Deployment}"
source "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"
trap cleanup_cluster EXIT
[ $((step_pods % set_size)) -eq 0 ] || { echo "STEP_PODS must be a multiple of SET_SIZE" >&2; exit 2; }
sets_per_step=$((step_pods / set_size))

run_start=$(date +%s.%N)
# 5,000 nodes need 5,000 /24 pod ranges: a /11.
start_cluster "$nodes" 10.64.0.0/11
echo "$nodes simulated nodes registered in $registered s" >&2

replicaset() {
  local ns="$1"
  cat <<EOF
apiVersion: apps/v1
kind: $kind
metadata:
  name: scale
  namespace: $ns
  labels:
    app: scale
spec:
  replicas: $set_size
  selector:
    matchLabels:
      app: scale
  template:
    metadata:
      labels:
        app: scale
    spec:
      containers:
      - name: pause
        image: registry.k8s.io/pause:3.9
        resources:
          requests:
            cpu: 10m
            memory: 16Mi
EOF
}

table="$data/table.md"
{
  echo "| step | pods | step took (s) | since start (s) | GET pod p50 / p99 ms | GET node p50 / p99 ms | LIST ns ($set_size pods) p50 / p99 ms | LIST all pods p50 / p99 ms (MB) | server RSS MB (peak) | agent RSS MB | server / agent CPU in step (cores) | SQLite MB | load avg |"
  echo "|---:|---:|---:|---:|---|---|---|---|---|---:|---|---:|---:|"
} >"$table"

# One row: the load generator's figures and the processes' state, after a step (or with the nodes alone).
measure() {
  local step="$1" pods="$2" took="$3" cpu="$4"
  local json
  json=$(python3 "$probe" "$KUBECONFIG" latency scale-1-1 --gets "${GETS:-300}" --lists "${LISTS:-30}" \
    --cluster-lists "${CLUSTER_LISTS:-3}" --concurrency "${CONCURRENCY:-4}")
  echo "$json" >>"$data/latency.jsonl"
  python3 - "$json" "$step" "$pods" "$took" "$(elapsed "$run_start")" "$(rss_mb "$server_pid") ($(peak_mb "$server_pid"))" \
    "$(rss_mb "$agent_pid")" "$cpu" "$(db_mb)" "$(cut -d' ' -f1 /proc/loadavg)" >>"$table" <<'EOF'
import json, sys
r = json.loads(sys.argv[1])
def cell(kind, size=False):
    if kind not in r:
        return "-"
    c = r[kind]
    return f"{c['p50']:,.1f} / {c['p99']:,.1f}" + (f" ({c['bytes'] / 1e6:,.0f})" if size else "")
step, pods, took, since, server, agent, cpu, db, load = sys.argv[2:]
print(f"| {step} | {int(pods):,} | {took} | {since} | {cell('get pod')} | {cell('get node')} | "
      f"{cell('list pods in namespace')} | {cell('list pods, all namespaces', True)} | {server} | {agent} | {cpu} | {db} | {load} |")
EOF
  # Exit status 1 when a p99 passes the SLOs the run stops at.
  python3 -c '
import json, sys
r = json.loads(sys.argv[1])
p99 = lambda k: r.get(k, {}).get("p99", 0)
get_slo, list_slo = float(sys.argv[2]), float(sys.argv[3])
sys.exit(1 if max(p99("get pod"), p99("get node")) > get_slo or p99("list pods in namespace") > list_slo or "errors" in r else 0)
' "$json" "${GET_SLO_MS:-1000}" "${LIST_SLO_MS:-5000}"
}

cores_since() { python3 -c "print(f'{($2 - $1) / ($4 - $3):.2f}')" "$@"; }

stopped="target reached"
measure 0 0 "-" "-" || stopped="SLO passed with the nodes alone"
pods=0
step=0
while [ "$pods" -lt "$target" ] && [ "$stopped" = "target reached" ]; do
  step=$((step + 1))
  remaining=$(python3 -c "print(int($budget - ($(date +%s.%N) - $run_start)))")
  if [ "$remaining" -le 0 ]; then stopped="time budget of $budget s spent"; break; fi
  free_mb=$(awk '/MemAvailable/ {printf "%d", $2 / 1024}' /proc/meminfo)
  if [ "$free_mb" -lt "$min_free_mb" ]; then stopped="machine memory low ($free_mb MB available)"; break; fi
  t0=$(date +%s.%N)
  server_cpu0=$(cpu_s "$server_pid"); agent_cpu0=$(cpu_s "$agent_pid")
  for s in $(seq 1 "$sets_per_step"); do
    kubectl create namespace "scale-$step-$s" >/dev/null
    replicaset "scale-$step-$s" | kubectl apply -f - >/dev/null
  done
  if ! took=$(python3 "$probe" "$KUBECONFIG" wait-available - app=scale $((pods + step_pods)) "$t0" "$remaining"); then
    stopped="step $step did not finish within the budget"
    pods=$(python3 "$probe" "$KUBECONFIG" count-pods -)
    break
  fi
  t1=$(date +%s.%N)
  cpu="$(cores_since "$server_cpu0" "$(cpu_s "$server_pid")" "$t0" "$t1") / $(cores_since "$agent_cpu0" "$(cpu_s "$agent_pid")" "$t0" "$t1")"
  pods=$((pods + step_pods))
  echo "step $step: $pods pods in $took s" >&2
  measure "$step" "$pods" "$took" "$cpu" || stopped="SLO passed at $pods pods"
done

echo
echo "scale limits: $nodes simulated nodes (registered in $registered s), ${kind}s of $set_size, $step_pods pods a step"
echo "stopped: $stopped; $(python3 "$probe" "$KUBECONFIG" count-pods -) pods exist; run took $(elapsed "$run_start") s"
echo "SLOs: GET of one object p99 <= ${GET_SLO_MS:-1000} ms; LIST in a namespace p99 <= ${LIST_SLO_MS:-5000} ms; cluster-wide LIST p99 <= 30,000 ms (upstream)"
echo "latencies measured once each step is Available, with no other load: ${GETS:-300} GETs of pods and of nodes, ${LISTS:-30} namespace LISTs, concurrency ${CONCURRENCY:-4}; then ${CLUSTER_LISTS:-3} cluster-wide LISTs one at a time"
echo
cat "$table"
