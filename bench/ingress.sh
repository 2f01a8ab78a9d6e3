#!/usr/bin/env bash
# The built-in Ingress controller's data path and config reload, in one run:
#  1. wrk (ROUNDS rounds of DURATION s, CONNECTIONS connections, 2 threads) to one backend: direct, through the Ingress controller
#     (`timonel server --disable-agent`, a Service without selector whose EndpointSlice lists the backend), and
#     through Debian's nginx configured as the same reverse proxy (keepalive upstream to the same backend);
#     requests/s and p99 side by side.
#  2. reload: one Ingress of PATHS Exact paths applied with kubectl → every path answered by the backend; then one
#     path added to it → that path answered.
# The backend is an nginx worker answering a static "Version: 1.0.0" on this machine's primary address (the Ingress
# forwards to EndpointSlice addresses, which may not be loopback ones), so the figures measure the proxies.
#   bench/ingress.sh [DURATION=5] [CONNECTIONS=32] [PATHS=1000] [ROUNDS=5]
set -euo pipefail
duration="${1:-5}" connections="${2:-32}" paths="${3:-1000}" rounds="${4:-5}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "needs wrk and nginx (scripts/install-deps.sh)" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
"$root/timonel" --help >/dev/null # builds the release binary when a source changed
bin="$root/artifacts/bin/Timonel/release/timonel"
work="$(mktemp -d /tmp/timonel-ingress-bench-XXXXXX)"
address="$(ip -4 route get 1.1.1.1 | sed -n 's/.* src \([0-9.]*\).*/\1/p')"
port=$(free_port) http_port=$(free_port) https_port=$(free_port) backend_port=$(free_port) nginx_port=$(free_port)
server_pid=""
cleanup() {
  for pid in "$work"/*.pid; do [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null; done
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# nginx as the backend (one worker, a static answer) and as the reverse proxy (Debian's default: a worker per core).
nginx_conf() { # name, workers, server block
  mkdir -p "$work/$1"
  cat >"$work/$1/nginx.conf" <<EOF
worker_processes $2;
pid $work/$1.pid;
error_log $work/$1/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/$1; proxy_temp_path $work/$1; fastcgi_temp_path $work/$1; uwsgi_temp_path $work/$1; scgi_temp_path $work/$1;
  keepalive_requests 1000000;
  $3
}
EOF
  nginx -c "$work/$1/nginx.conf"
}
nginx_conf backend 1 "server { listen $address:$backend_port; location / { default_type text/plain; return 200 'Hello, world!\nVersion: 1.0.0\n'; } }"
nginx_conf proxy auto "upstream hello { server $address:$backend_port; keepalive 64; }
  server { listen 127.0.0.1:$nginx_port; location / { proxy_pass http://hello; proxy_http_version 1.1; proxy_set_header Connection \"\";
    proxy_set_header Host \$host; proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto \$scheme; } }"

"$bin" server --disable-agent --disable coredns --disable-scheduler --data-dir "$work/server" --https-listen-port "$port" \
  --bind-address 127.0.0.1 --ingress-http-port "$http_port" --ingress-https-port "$https_port" >"$work/server.log" 2>&1 &
server_pid=$!
until grep -qs "API server ready" "$work/server.log"; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.2
done
export KUBECONFIG="$work/server/kubeconfig.yaml"
kubectl create namespace bench >/dev/null
kubectl apply -n bench -f - >/dev/null <<EOF
apiVersion: v1
kind: Service
metadata:
  name: hello
spec:
  ports:
  - port: 8080
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: hello-1
  labels:
    kubernetes.io/service-name: hello
addressType: IPv4
endpoints:
- addresses: ["$address"]
  conditions:
    ready: true
ports:
- port: $backend_port
EOF

# An Ingress of COUNT Exact paths /p-0 … /p-(COUNT-1), plus the prefix /bench the throughput runs use.
ingress() {
  printf 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: hello\nspec:\n  rules:\n  - http:\n      paths:\n'
  local entry='      - path: %s\n        pathType: %s\n        backend:\n          service:\n            name: hello\n            port:\n              number: 8080\n'
  # shellcheck disable=SC2059 # the entry is the format
  printf "$entry" /bench Prefix
  for ((i = 0; i < $1; i++)); do
    # shellcheck disable=SC2059
    printf "$entry" "/p-$i" Exact
  done
}
# Seconds from before `kubectl apply` until the first listed path answers 200; then every other listed path must
# answer 200 too (checked after the clock stopped: one configuration carries them all).
reload() { # manifest, path...
  local manifest="$1"; shift
  python3 - "$http_port" "$manifest" "$@" <<'EOF'
import http.client, subprocess, sys, time
port, manifest, paths = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
conn = http.client.HTTPConnection("127.0.0.1", port)
def status(path):
    global conn
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", port)
        return 0
start = time.monotonic()
subprocess.run(["kubectl", "apply", "-n", "bench", "-f", manifest], check=True, stdout=subprocess.DEVNULL)
applied = time.monotonic()
while status(paths[0]) != 200:
    if time.monotonic() - start > 60:
        sys.exit(f"{paths[0]} not served after 60 s")
    time.sleep(0.005)
done = time.monotonic()
missing = [path for path in paths[1:] if status(path) != 200]
if missing:
    sys.exit(f"{len(missing)} paths not served when {paths[0]} was, e.g. {missing[0]}")
print(f"{done - start:.3f} s (kubectl apply itself {applied - start:.3f} s; {len(paths)} paths checked)")
EOF
}

ingress 0 >"$work/bench.yaml"
kubectl apply -n bench -f "$work/bench.yaml" >/dev/null
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/bench")" = 200 ]; do sleep 0.1; done
curl -sf "http://127.0.0.1:$nginx_port/bench" | grep -q "Version: 1.0.0"

declare -A urls=([direct]="http://$address:$backend_port/bench" [ingress]="http://127.0.0.1:$http_port/bench" [nginx]="http://127.0.0.1:$nginx_port/bench")
targets=(direct ingress nginx)
for target in "${targets[@]}"; do # warm-up: the JIT's tiers (tier-1 recompiles go on for seconds under load), the pools
  wrk -t2 -c"$connections" -d5s "${urls[$target]}" >/dev/null
done
# The rounds alternate the targets, so a burst of load from elsewhere on the machine spreads over all three; each
# figure is the median of its rounds.
measure() { # target, round
  wrk -t2 -c"$connections" -d"${duration}s" --latency "${urls[$1]}" >"$work/wrk.out"
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.out")
  errors=$(grep -E "Non-2xx|Socket errors" "$work/wrk.out" | tr -s ' ' | paste -sd';' || true)
  printf '  round %d %-10s %10s req/s   p99 %8s   %s\n' "$2" "$1" "$rps" "$p99" "$errors"
  echo "$rps $p99" >>"$work/$1.runs"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "wrk -t2 -c$connections, $rounds rounds of ${duration}s, backend nginx (1 worker) on $address:$backend_port; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for ((round = 1; round <= rounds; round++)); do
  for target in "${targets[@]}"; do measure "$target" "$round"; done
done
for target in "${targets[@]}"; do
  rps=$(cut -d' ' -f1 "$work/$target.runs" | median)
  # wrk prints p99 with its unit (us, ms, s): the median in ms.
  p99=$(cut -d' ' -f2 "$work/$target.runs" | awk '/us$/ { print $1 / 1000; next } /ms$/ { print $1 + 0; next } /s$/ { print $1 * 1000 }' | median)
  printf '%-10s median %10.0f req/s   p99 %8.2f ms\n' "$target" "$rps" "$p99"
  echo "$rps" >"$work/$target.rps"
done
awk -v d="$(cat "$work/direct.rps")" -v i="$(cat "$work/ingress.rps")" -v n="$(cat "$work/nginx.rps")" \
  'BEGIN { printf "ingress = %.0f %% of direct (target >= 70 %%), %.0f %% of nginx (target >= 90 %%)\n", 100 * i / d, 100 * i / n }'
echo "timonel server RSS after the runs: $(awk '/VmRSS/ {print $2 " " $3}' "/proc/$server_pid/status")"

ingress "$paths" >"$work/many.yaml"
all=("/p-$((paths - 1))") # the last path of the list first: it is the one timed
for ((i = 0; i < paths - 1; i++)); do all+=("/p-$i"); done
echo "reload, $paths paths applied → all served: $(reload "$work/many.yaml" "${all[@]}")"
ingress "$paths" >"$work/more.yaml"
printf '      - path: /added\n        pathType: Exact\n        backend:\n          service:\n            name: hello\n            port:\n              number: 8080\n' >>"$work/more.yaml"
echo "reload, one path added to $paths → served: $(reload "$work/more.yaml" /added)"
