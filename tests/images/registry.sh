#!/usr/bin/env bash
# Starts or stops a throwaway image registry (Debian's docker-registry) on 127.0.0.1:PORT, plain HTTP and
# no auth unless asked, with its config, storage, log and pid file in DIR.
# Usage: tests/images/registry.sh START DIR PORT [OPTIONS]   (returns once the registry answers)
#        tests/images/registry.sh STOP DIR [PORT]
# Options:
#   --htpasswd FILE    require basic auth from the users of FILE (bcrypt htpasswd entries, user:$2y$...)
#   --tls CERT KEY     serve HTTPS with this certificate and key (PEM)
#   --storage DIR2     serve the images stored under DIR2 (another registry's DIR/storage) instead of DIR/storage
# Then: tests/images/build.sh IMAGES --push 127.0.0.1:PORT
set -euo pipefail

usage() {
  echo "usage: $0 START|STOP DIR PORT" >&2
  exit 2
}

fail() {
  echo "registry.sh: $*" >&2
  exit 1
}

[ $# -ge 2 ] || usage
action="$(echo "$1" | tr '[:lower:]' '[:upper:]')"
dir="$2"
port="${3:-}"
shift 2
[ $# -eq 0 ] || shift
htpasswd="" tls_cert="" tls_key="" storage=""
while [ $# -gt 0 ]; do
  case "$1" in
    --htpasswd)
      [ $# -ge 2 ] || usage
      htpasswd="$(realpath "$2")"
      shift 2
      ;;
    --tls)
      [ $# -ge 3 ] || usage
      tls_cert="$(realpath "$2")" tls_key="$(realpath "$3")"
      shift 3
      ;;
    --storage)
      [ $# -ge 2 ] || usage
      storage="$(realpath "$2")"
      shift 2
      ;;
    *) echo "registry.sh: unknown option $1" >&2; usage ;;
  esac
done
pid_file="$dir/registry.pid"

# answers PORT: true when something accepts connections on 127.0.0.1:PORT.
answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

running() {
  [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

start() {
  [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || fail "PORT must be a number from 1 to 65535, not \"$port\""
  command -v docker-registry >/dev/null 2>&1 \
    || fail "the command docker-registry is missing: install the Debian package docker-registry (scripts/install-deps.sh)"
  if running; then
    echo "registry already running (pid $(cat "$pid_file")) for $dir"
    return
  fi
  answers "$port" && fail "127.0.0.1:$port is already in use"
  [ -z "$htpasswd" ] || [ -f "$htpasswd" ] || fail "--htpasswd $htpasswd: no such file"
  mkdir -p "$dir/storage"
  dir="$(cd "$dir" && pwd)"
  cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: ${storage:-$dir/storage}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
EOF
  if [ -n "$tls_cert" ]; then
    printf '  tls:\n    certificate: %s\n    key: %s\n' "$tls_cert" "$tls_key" >>"$dir/config.yml"
  fi
  if [ -n "$htpasswd" ]; then
    printf 'auth:\n  htpasswd:\n    realm: timonel-test-registry\n    path: %s\n' "$htpasswd" >>"$dir/config.yml"
  fi
  # setsid: the registry outlives this script and does not get the caller's terminal signals.
  setsid docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 </dev/null &
  echo $! >"$pid_file"
  local attempt
  for attempt in $(seq 1 100); do
    if answers "$port"; then
      echo "registry listening on 127.0.0.1:$port (pid $(cat "$pid_file")), storage in ${storage:-$dir/storage}"
      return
    fi
    running || fail "docker-registry exited at start; its log: $(cat "$dir/registry.log")"
    sleep 0.1
  done
  stop
  fail "docker-registry did not listen on 127.0.0.1:$port within 10 s; its log is $dir/registry.log"
}

stop() {
  if ! running; then
    rm -f "$pid_file"
    echo "no registry running for $dir"
    return
  fi
  local pid attempt
  pid="$(cat "$pid_file")"
  kill "$pid"
  for attempt in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
  fi
  rm -f "$pid_file"
  echo "registry stopped (pid $pid)"
}

case "$action" in
  START) start ;;
  STOP) stop ;;
  *) usage ;;
esac
