#!/usr/bin/env bash
# The Service proxy's data path and rule syncs, in network namespaces of the script's own (root only; nothing on the
# host is touched):
#  1. wrk (DURATION s, CONNECTIONS connections, 2 threads) from a "node" namespace to nginx in a "pod" namespace:
#     direct to the pod, via a ClusterIP, via a NodePort; requests/s and p99 side by side, in one run.
#  2. the time of one rule sync after one endpoint changed with SERVICES x ENDPOINTS present (Timonel.Bench.Proxy),
#     in nftables mode, then in iptables mode (iptables-nft) in another namespace.
#   bench/service-proxy.sh [DURATION=10] [CONNECTIONS=32] [SERVICES=1000] [ENDPOINTS=10]
set -euo pipefail
duration="${1:-10}"
connections="${2:-32}"
services="${3:-1000}"
endpoints="${4:-10}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ "$(id -u)" = 0 ] || { echo "service-proxy.sh creates network namespaces: run it as root" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-deps.sh installs it" >&2; exit 1; }
node="tmnb-$$"
pod="$node-pod"
sync_ns="$node-sync"
ipt_ns="$node-ipt"
work="$(mktemp -d /tmp/timonel-proxy-bench-XXXXXX)"
cleanup() {
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  ip netns del "$pod" 2>/dev/null || true
  ip netns del "$node" 2>/dev/null || true
  ip netns del "$sync_ns" 2>/dev/null || true
  ip netns del "$ipt_ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

nice dotnet build "$root/bench/Timonel.Bench.Proxy" -c Release -v q -clp:ErrorsOnly >/dev/null
bench="$root/artifacts/bin/Timonel.Bench.Proxy/release/Timonel.Bench.Proxy"

ip netns add "$node"
ip netns add "$pod"
ip netns exec "$node" ip link set lo up
ip link add "v$$" netns "$node" type veth peer name eth0 netns "$pod"
ip netns exec "$node" ip addr add 10.42.1.1/24 dev "v$$"
ip netns exec "$node" ip link set "v$$" up
ip netns exec "$node" ip route add 10.43.0.0/16 via 10.42.1.5
ip netns exec "$pod" ip link set lo up
ip netns exec "$pod" ip addr add 10.42.1.5/24 dev eth0
ip netns exec "$pod" ip link set eth0 up
ip netns exec "$pod" ip route add default via 10.42.1.1
mkdir -p "$work/html"
echo hello > "$work/html/index.html"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server { listen 8080; root $work/html; }
}
CONF
ip netns exec "$pod" nginx -c "$work/nginx.conf"
"$bench" script 10.43.0.10 80 30000 10.42.1.5:8080 | ip netns exec "$node" nft -f -

run() {
  local label="$1" url="$2"
  local out
  out="$(ip netns exec "$node" wrk -t2 -c"$connections" -d"${duration}s" --latency "$url")"
  local rps p99
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  printf '%-10s %12s req/s   p99 %s\n' "$label" "$rps" "$p99"
}
echo "wrk: ${duration}s, $connections connections, nginx in a pod namespace"
run direct "http://10.42.1.5:8080/"
run clusterip "http://10.43.0.10/"
run nodeport "http://10.42.1.1:30000/"

ip netns add "$sync_ns"
"$bench" sync "$sync_ns" "$services" "$endpoints" 20
ip netns add "$ipt_ns"
"$bench" iptables-sync "$ipt_ns" "$services" "$endpoints" 20
