#!/usr/bin/env bash
# `timonel secrets-encrypt reencrypt` at scale: a real `timonel server` (SQLite by default; extra arguments go to
# the server, e.g. --datastore-endpoint http://127.0.0.1:2379), SECRETS Secrets (default 10,000) created with
# kubectl, a new key prepared and rotated, then the reencryption timed. Prints Secrets/s; K3s documents about 5/s.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
count="${SECRETS:-10000}"
writers=8
# The launcher publishes the ReadyToRun binary when a source changed; the bench then runs that binary directly.
"$root/timonel" --help >/dev/null
bin="$root/artifacts/bin/Timonel/release/timonel"
dir="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
"$bin" server --disable-agent --data-dir "$dir" --https-listen-port "$port" --bind-address 127.0.0.1 --disable-scheduler "$@" >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
export KUBECONFIG="$dir/kubeconfig.yaml"
for _ in $(seq 1 600); do
  if [ -f "$KUBECONFIG" ] && [ "$(kubectl get --raw /readyz 2>/dev/null)" = "ok" ]; then break; fi
  kill -0 "$pid" 2>/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  sleep 0.2
done

# The Secrets, in $writers lists created side by side (kubectl creates one object per request).
python3 - "$dir" "$count" "$writers" <<'PY'
import base64, json, sys
directory, count, writers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for w in range(writers):
    items = [{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": f"bench-{i:05d}", "namespace": "default"},
              "data": {"password": base64.b64encode(f"secret-value-{i}".encode()).decode()}}
             for i in range(w, count, writers)]
    with open(f"{directory}/secrets-{w}.json", "w") as f:
        json.dump({"apiVersion": "v1", "kind": "List", "items": items}, f)
PY
created_at=$(date +%s.%N)
creators=()
for w in $(seq 0 $((writers - 1))); do
  kubectl create -f "$dir/secrets-$w.json" >/dev/null &
  creators+=($!)
done
for creator in "${creators[@]}"; do wait "$creator"; done
created=$(kubectl get secrets -n default --no-headers | wc -l)
echo "created $created Secrets in $(python3 -c "print(f'{$(date +%s.%N) - $created_at:.1f}')") s"
[ "$created" -ge "$count" ] || { echo "expected $count Secrets" >&2; exit 1; }

"$bin" secrets-encrypt prepare --data-dir "$dir" >/dev/null
"$bin" secrets-encrypt rotate --data-dir "$dir" >/dev/null
started=$(date +%s.%N)
"$bin" secrets-encrypt reencrypt --data-dir "$dir"
finished=$(date +%s.%N)
python3 -c "
seconds = $finished - $started
print(f'reencrypted $created Secrets in {seconds:.2f} s: {$created / seconds:,.0f} Secrets/s (target >= 1,000/s; K3s documents about 5/s)')"
# Every Secret still reads with the new key alone.
[ "$(kubectl get secret bench-00042 -o jsonpath='{.data.password}' | base64 -d)" = "secret-value-42" ]
