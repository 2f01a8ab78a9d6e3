#!/usr/bin/env bash
# Sustained churn and restart time (docs/benchmarks.md, "Soak"): a real `timonel server` on SQLite under 64 paced
# clients (~330 writes/s) with 200 namespace watches for 10 minutes, reporting RSS growth, per-verb latency, write →
# watch delay and every watch's completeness; then start → ready with 40,000 objects over 100,000 revisions.
# Extra arguments go to the bench program, e.g. --soak-seconds 120 for a short run (flags:
# bench/Timonel.Bench.ApiServer/Program.cs); `bench/apiserver.sh --soak --no-crud --no-watch --no-startup` runs it on etcd too.
set -euo pipefail
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/apiserver.sh" --soak --no-crud --no-watch --no-startup --no-etcd "$@"
