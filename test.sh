#!/usr/bin/env bash
# Runs the whole test suite: unit tests, integration tests (real kubectl, SQLite and etcd) and, as root with
# containerd installed, the end-to-end tests. Prints one closing line "N passed, N failed, N skipped".
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
cd "$root"
if [ "$(id -u)" = 0 ] && [ "${TIMONEL_SKIP_DEPS:-}" != 1 ]; then
  bash "$root/scripts/install-deps.sh"
fi
results="$root/artifacts/test-results"
rm -rf "$results"
# The crash tests run the real binary: build it (Release, ReadyToRun) before the clock of any test starts.
"$root/timonel" --help > /dev/null || { echo "0 passed, 1 failed"; exit 1; }
dotnet build Timonel.slnx -nologo -v q -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }
dotnet test Timonel.slnx --no-build -nologo --logger "trx" --results-directory "$results" -- RunConfiguration.TestSessionTimeout=1500000 \
  2>&1 | tee "$results.log"
status=${PIPESTATUS[0]}
# dotnet test prints one summary per test assembly; add them up into the plain closing line CI reads.
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed")); failed += int(c.get("failed")) + int(c.get("error")) + int(c.get("timeout")) + int(c.get("aborted"))
    # xUnit's dynamic skips are recorded per result (outcome NotExecuted), not always in the counters.
    skipped += sum(1 for r in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", ns) if r.get("outcome") == "NotExecuted")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
