#!/usr/bin/env bash
# Queries per second of the built-in cluster DNS and, in the same run, of dnsmasq (a local caching resolver) serving
# a zone of the same size, both measured by dnsperf with the same query file.
#   bench/cluster-dns.sh [SERVICES=1000] [SECONDS=15] [CLIENTS=4]
# The server runs with --simulated-nodes 0 (no node agent); SERVICES ClusterIP Services are created in one
# namespace and every query asks for one of their A records (positive answers, as a pod's resolver gets most often).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
services="${1:-1000}" seconds="${2:-15}" clients="${3:-4}"
command -v dnsperf >/dev/null && command -v dnsmasq >/dev/null || { echo "needs dnsperf and dnsmasq (scripts/install-deps.sh)" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
"$root/timonel" --help >/dev/null # builds the release binary when a source changed
bin="$root/artifacts/bin/Timonel/release/timonel"
data="$(mktemp -d /tmp/timonel-dns-bench-XXXXXX)"
address="$(ip -4 route get 1.1.1.1 | sed -n 's/.* src \([0-9.]*\).*/\1/p')"
port=$(free_port) dns_port=$(free_port) dnsmasq_port=$(free_port)
server_pid="" dnsmasq_pid=""
cleanup() {
  [ -n "$dnsmasq_pid" ] && kill "$dnsmasq_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
echo "nameserver 127.0.0.1" >"$data/resolv.conf" # nothing forwarded: every query is a cluster name
"$bin" server --disable-agent --data-dir "$data/server" --https-listen-port "$port" --bind-address 127.0.0.1 \
  --cluster-dns-bind "$address" --cluster-dns-port "$dns_port" --cluster-dns-resolv-conf "$data/resolv.conf" >"$data/server.log" 2>&1 &
server_pid=$!
until grep -qs "API server ready" "$data/server.log"; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$data/server.log"; exit 1; }
  sleep 0.2
done
export KUBECONFIG="$data/server/kubeconfig.yaml"
kubectl create namespace bench >/dev/null
for ((i = 0; i < services; i++)); do
  printf 'apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-%d\nspec:\n  ports:\n  - name: http\n    port: 80\n---\n' "$i"
done >"$data/services.yaml"
kubectl apply -n bench -f "$data/services.yaml" >/dev/null
# The same names and addresses for dnsmasq, and the query file both are asked from.
kubectl get services -n bench -o jsonpath='{range .items[*]}{.spec.clusterIP} {.metadata.name}.bench.svc.cluster.local{"\n"}{end}' >"$data/hosts"
awk '{print $2 " A"}' "$data/hosts" >"$data/queries"
[ "$(wc -l <"$data/queries")" -eq "$services" ] || { echo "expected $services services" >&2; exit 1; }
last="$(tail -1 "$data/hosts" | cut -d' ' -f2)"
until dig_answer=$(busybox nslookup "$last" "$address:$dns_port" 2>/dev/null) && grep -q "Address: 10\." <<<"$dig_answer"; do sleep 0.2; done
dnsmasq --keep-in-foreground --no-hosts --no-resolv --addn-hosts="$data/hosts" --listen-address="$address" --bind-interfaces \
  --port="$dnsmasq_port" --cache-size=10000 --pid-file="$data/dnsmasq.pid" 2>"$data/dnsmasq.log" &
dnsmasq_pid=$!
sleep 0.5
measure() { # name, port
  local qps
  qps=$(dnsperf -s "$address" -p "$2" -d "$data/queries" -l "$seconds" -c "$clients" -Q 200000 2>&1 | tee "$data/$1.out" |
    sed -n 's/.*Queries per second: *\([0-9.]*\).*/\1/p')
  local lost
  lost=$(sed -n 's/.*Queries lost: *\([0-9]*\).*/\1/p' "$data/$1.out")
  local latency
  latency=$(sed -n 's/.*Average Latency (s): *\([0-9.]*\).*/\1/p' "$data/$1.out")
  printf '%-22s %10s q/s   lost %6s   avg latency %s s\n' "$1" "$qps" "$lost" "$latency"
}
echo "$services names, dnsperf -c $clients for ${seconds}s against $address"
measure "timonel cluster DNS" "$dns_port"
measure "dnsmasq $(dnsmasq --version | head -1 | awk '{print $3}')" "$dnsmasq_port"
echo "timonel server RSS: $(awk '/VmRSS/ {print $2 " " $3}' "/proc/$server_pid/status")"
