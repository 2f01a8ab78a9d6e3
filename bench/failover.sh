#!/usr/bin/env bash
# Controller-manager failover after kill -9: two `timonel server` processes on one etcd, the holder of
# kube-system/kube-controller-manager is killed, and the time until the other's identity is in the Lease is measured.
# Upstream's timings apply (lease 15 s, renew deadline 10 s, retry 2 s with jitter). The survivor watches the Lease, so
# it sees each renewal as it happens, and attempts at the moment the lease expires: a failover takes the lease duration
# counted from the leader's last renewal (13-15 s after the kill) plus the write.
# Usage: bench/failover.sh [RUNS] (default 5). Prints each run and min/median/max (docs/benchmarks.md).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
runs="${1:-5}"
"$root/timonel" --help >/dev/null
bin="$root/artifacts/bin/Timonel/release/timonel"
work="$(mktemp -d /tmp/timonel-failover.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

holder() { # data dir, port
  curl -s --cacert "$1/tls/server-ca.crt" -H "Authorization: Bearer $(cat "$1/token")" \
    "https://127.0.0.1:$2/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager" |
    jq -r '.spec.holderIdentity // ""' 2>/dev/null || true
}

wait_ready() { # data dir, port
  for _ in $(seq 1 600); do
    if [ -f "$1/token" ] && [ "$(curl -s --cacert "$1/tls/server-ca.crt" -H "Authorization: Bearer $(cat "$1/token")" "https://127.0.0.1:$2/readyz" 2>/dev/null)" = ok ]; then
      return 0
    fi
    sleep 0.1
  done
  echo "server on port $2 did not become ready" >&2
  return 1
}

results=()
for run in $(seq 1 "$runs"); do
  dir="$work/run$run"
  mkdir -p "$dir"
  client=$(free_port) peer=$(free_port)
  etcd --name bench --data-dir "$dir/etcd" --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "bench=http://127.0.0.1:$peer" >"$dir/etcd.log" 2>&1 &
  etcd_pid=$!
  pids+=("$etcd_pid")
  until curl -s "http://127.0.0.1:$client/health" | grep -q true; do sleep 0.1; done
  declare -A port=() pid=()
  for name in a b; do
    port[$name]=$(free_port)
    "$bin" server --disable-agent --data-dir "$dir/$name" --https-listen-port "${port[$name]}" --bind-address 127.0.0.1 --disable coredns \
      --datastore-endpoint "http://127.0.0.1:$client" >"$dir/$name.log" 2>&1 &
    pid[$name]=$!
    # Not a job of this shell: bash would print "Killed" for each one the bench kills.
    disown "${pid[$name]}"
    pids+=("${pid[$name]}")
  done
  wait_ready "$dir/a" "${port[a]}"
  wait_ready "$dir/b" "${port[b]}"
  until [ -n "$(holder "$dir/a" "${port[a]}")" ] && grep -qh "successfully acquired lease" "$dir/a.log" "$dir/b.log"; do sleep 0.1; done
  if grep -q "successfully acquired lease" "$dir/a.log"; then leader=a survivor=b; else leader=b survivor=a; fi
  old="$(holder "$dir/$survivor" "${port[$survivor]}")"
  # Let the survivor settle into its retry rhythm, as after any stretch of steady leadership.
  sleep 5
  start=$(date +%s.%N)
  kill -9 "${pid[$leader]}"
  while true; do
    now="$(holder "$dir/$survivor" "${port[$survivor]}")"
    if [ -n "$now" ] && [ "$now" != "$old" ]; then break; fi
    sleep 0.05
  done
  end=$(date +%s.%N)
  seconds=$(python3 -c "print(f'{$end - $start:.2f}')")
  echo "run $run: failover in $seconds s (killed $leader)"
  results+=("$seconds")
  kill -9 "${pid[$survivor]}" "$etcd_pid" 2>/dev/null || true
  { wait "$etcd_pid" || true; } 2>/dev/null
  while kill -0 "${pid[$survivor]}" 2>/dev/null || kill -0 "${pid[$leader]}" 2>/dev/null; do sleep 0.05; done
  unset port pid
done
printf '%s\n' "${results[@]}" | python3 -c '
import statistics, sys
values = sorted(float(line) for line in sys.stdin)
print(f"failover after kill -9 over {len(values)} runs: min {values[0]:.2f} s, median {statistics.median(values):.2f} s, max {values[-1]:.2f} s")'
