#!/usr/bin/env bash
# API server benchmarks in one go: real `timonel server` processes on SQLite and on a real etcd, side by side.
# CRUD throughput/latency at 1/16/64 clients plus raw etcd Puts on the same etcd, watch delivery to 1,000
# watchers, start-up time and idle RSS. Prints Markdown tables (docs/benchmarks.md, section "API server").
# Extra arguments go to the bench program (flags: bench/Timonel.Bench.ApiServer/Program.cs).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
# The launcher publishes the ReadyToRun server binary when a source changed; the bench then execs that binary
# directly, so start-up is timed without the launcher's checks.
"$root/timonel" --help >/dev/null
dotnet build "$root/bench/Timonel.Bench.ApiServer/Timonel.Bench.ApiServer.csproj" -c Release -nologo -v q "-clp:NoSummary;ErrorsOnly" >&2
exec dotnet run -c Release --no-build --project "$root/bench/Timonel.Bench.ApiServer" -- \
  --timonel "$root/artifacts/bin/Timonel/release/timonel" "$@"
