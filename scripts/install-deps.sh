#!/usr/bin/env bash
# Installs the Debian packages the tests and the cluster need (root only; a no-op when all are present).
set -euo pipefail
packages=(etcd-server etcd-client python3-kubernetes python3-pytest
  # The node agent: containerd, runc and the CNI plugins, nftables and iproute2 for pod networking, tmux for the
  # interactive exec tests.
  containerd runc containernetworking-plugins nftables iproute2 tmux
  # The test image kit (tests/images/build.sh): busybox, nginx, a C compiler for the static pause and hello-app,
  # skopeo to push them, umoci to inspect or change OCI images by hand, docker-registry for the tests that pull;
  # python3-kubernetes (above) is also what the kit's timonel.test/python-kubernetes image is made of.
  busybox-static nginx-light gcc libc6-dev skopeo umoci docker-registry
  # bench/cluster-dns.sh: dnsperf, and dnsmasq (the binary alone, no service) as the resolver it compares with.
  dnsperf dnsmasq-base
  # The service proxy's and the Ingress's tests and benchmarks (bench/service-proxy.sh, bench/ingress.sh): curl as the
  # client, wrk for throughput (bench/ingress.sh also runs nginx, above, as the reverse proxy it compares with).
  curl wrk)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts the packaged etcd (2379), registry (5000) and nginx (80) as services; the tests start their own
  # on other ports, and port 80 stays free for pods' hostPorts.
  for service in etcd docker-registry nginx; do
    (systemctl disable --now "$service" 2>/dev/null \
      || { update-rc.d "$service" disable && service "$service" stop; } >/dev/null 2>&1 || true)
  done
fi
