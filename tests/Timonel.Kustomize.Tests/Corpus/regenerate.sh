#!/usr/bin/env bash
# Regenerates expected.stdout / expected.stderr / expected.exitcode of every corpus case with the real
# `kubectl kustomize` (kustomize v5.5.0). kubectl reports errors through klog ("E... run.go:72] "command failed"
# err=..."), with a timestamp and a pid; we keep only the message, written as kustomize's own CLI writes it
# ("Error: <message>"), and replace the case's absolute path with $CASE so the files do not depend on where the
# repository lives. Warnings (lines starting with "# Warning") are kept as they are.
# Usage: regenerate.sh [case ...]   (no argument: every case)
set -uo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
cd "$here"
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  mapfile -t cases < <(find . -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
fi
for c in "${cases[@]}"; do
  dir="$here/$c"
  kubectl kustomize "$dir" >"$dir/expected.stdout" 2>"$dir/expected.stderr.raw"
  echo $? >"$dir/expected.exitcode"
  python3 - "$dir" <<'PY'
import os, re, sys
d = sys.argv[1]
raw = open(d + "/expected.stderr.raw", encoding="utf-8").read()
out = []
lines = raw.split("\n")
i = 0
def unquote(s):
    # A Go %q string: backslash escapes as in Go.
    return bytes(s, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
while i < len(lines):
    line = lines[i]
    m = re.match(r'^E\d{4} [\d:.]+\s+\d+ \S+\] "command failed" err=(.*)$', line)
    if m:
        rest = m.group(1)
        if rest.startswith('"'):
            msg = unquote(rest[1:-1])
        else:
            # err=< followed by tab-indented lines and a closing " >"
            body = []
            i += 1
            while i < len(lines) and lines[i] != " >":
                body.append(lines[i][1:] if lines[i].startswith("\t") else lines[i])
                i += 1
            msg = "\n".join(body)
        out.append("Error: " + msg)
    elif line:
        out.append(line)
    i += 1
text = "\n".join(out) + ("\n" if out else "")
text = text.replace(d, "$CASE").replace(os.path.dirname(d), "$CORPUS")
open(d + "/expected.stderr", "w", encoding="utf-8").write(text)
PY
  rm -f "$dir/expected.stderr.raw"
done
