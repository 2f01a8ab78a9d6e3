#!/usr/bin/env bash
# Installs the Debian packages the tests and the cluster need (root only; a no-op when all are present).
set -euo pipefail
packages=(etcd-server etcd-client python3-kubernetes python3-pytest)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts the packaged etcd as a service on 2379; the tests start their own on other ports.
  (systemctl disable --now etcd 2>/dev/null || true)
fi
