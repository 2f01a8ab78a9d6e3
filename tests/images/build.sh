#!/usr/bin/env bash
# Builds the test images offline from Debian packages already on this machine, as OCI archive tarballs
# (one per image) that `ctr -n k8s.io images import FILE` and the agent's image import load under their
# upstream names:
#   registry.k8s.io/pause:3.10, docker.io/library/busybox:latest, docker.io/library/nginx:alpine,
#   gcr.io/google-samples/hello-app:1.0 and :2.0, and timonel.test/python-kubernetes:1 (the official Python
#   client, Debian's python3-kubernetes, for in-cluster tests)
# Usage: tests/images/build.sh DIR [--push HOST:PORT]
#   DIR                the directory the tarballs go to (created when missing)
#   --push HOST:PORT   also push every image to the registry at HOST:PORT (plain HTTP), under its name
#                      without the registry host (docker.io/library/nginx:alpine -> HOST:PORT/library/nginx:alpine),
#                      the path a containerd mirror for that registry asks for.
# Re-running skips every image whose tarball is newer than its inputs. Layers are written with fixed
# owners, modes and times, so the same inputs give the same digests. The layout is written here with tar and
# sha256sum rather than umoci, which records file times (a new digest every build) and does not write the
# io.containerd.image.name annotation containerd's import names images by.
set -euo pipefail
umask 022
export LC_ALL=C

kit="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
script="$kit/build.sh"

usage() {
  echo "usage: $0 DIR [--push HOST:PORT]" >&2
  exit 2
}

fail() {
  echo "build.sh: $*" >&2
  exit 1
}

out="" push=""
while [ $# -gt 0 ]; do
  case "$1" in
    --push)
      [ $# -ge 2 ] || usage
      push="$2"
      shift 2
      ;;
    --push=*)
      push="${1#--push=}"
      shift
      ;;
    -h | --help) usage ;;
    -*) echo "build.sh: unknown option $1" >&2; usage ;;
    *)
      [ -z "$out" ] || usage
      out="$1"
      shift
      ;;
  esac
done
[ -n "$out" ] || usage
if [ -n "$push" ] && ! [[ "$push" =~ ^[A-Za-z0-9.-]+:[0-9]+$ ]]; then
  fail "--push wants HOST:PORT (like 127.0.0.1:5000), not \"$push\""
fi

# require FILE PACKAGE: stops with the Debian package to install when FILE is missing.
require() {
  [ -e "$1" ] || fail "$1 is missing: install the Debian package $2 (apt-get install $2, or scripts/install-deps.sh)"
}
require_command() {
  command -v "$1" >/dev/null 2>&1 || fail "the command $1 is missing: install the Debian package $2 (apt-get install $2, or scripts/install-deps.sh)"
}

case "$(dpkg --print-architecture 2>/dev/null || uname -m)" in
  amd64 | x86_64) arch=amd64 ;;
  arm64 | aarch64) arch=arm64 ;;
  *) fail "images for $(uname -m) are not supported (amd64 and arm64 are)" ;;
esac

busybox_binary=/bin/busybox
nginx_binary=/usr/sbin/nginx
nginx_mime_types=/etc/nginx/mime.types
require "$busybox_binary" busybox-static
! ldd "$busybox_binary" >/dev/null 2>&1 || fail "$busybox_binary is not static: install the Debian package busybox-static"
require_command gcc gcc
require /usr/include/stdio.h libc6-dev
require "$nginx_binary" nginx-light
require "$nginx_mime_types" nginx-light
require_command ldd libc-bin
require_command dpkg-query dpkg
python_binary=/usr/bin/python3.11
require "$python_binary" python3.11-minimal
require /usr/lib/python3/dist-packages/kubernetes/__init__.py python3-kubernetes
require_command sha256sum coreutils
require_command gzip gzip
[ -z "$push" ] || require_command skopeo skopeo

mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/timonel-images.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# fresh TARBALL INPUT...: true when TARBALL exists and no input (file or directory tree) is newer.
fresh() {
  local tarball="$1"
  shift
  [ -f "$tarball" ] || return 1
  [ -z "$(find -L "$@" -newer "$tarball" -print -quit)" ]
}

# sha_of FILE: the file's sha256 in hex.
sha_of() {
  sha256sum "$1" | cut -d' ' -f1
}

# add_blob LAYOUT FILE: moves FILE into LAYOUT's blob store; prints "sha256:<hex> <size>".
add_blob() {
  local layout="$1" file="$2" sha
  sha="$(sha_of "$file")"
  mkdir -p "$layout/blobs/sha256"
  mv "$file" "$layout/blobs/sha256/$sha"
  echo "sha256:$sha $(stat -c %s "$layout/blobs/sha256/$sha")"
}

# make_layer ROOTFS NAME: writes $work/layers/NAME.{tar.gz,diffid} from the directory tree ROOTFS,
# owned by root, with fixed times and sorted entries so equal trees give equal layers.
make_layer() {
  local rootfs="$1" name="$2"
  mkdir -p "$work/layers"
  (cd "$rootfs" && tar --create --file=- --sort=name --format=posix \
    --pax-option=delete=atime,delete=ctime --numeric-owner --owner=0 --group=0 --mtime=@0 -- *) \
    >"$work/layers/$name.tar"
  sha_of "$work/layers/$name.tar" >"$work/layers/$name.diffid"
  # gzip's default level: -9 takes three times as long on the Python layer for less than 1 % smaller.
  gzip -n "$work/layers/$name.tar"
}

# write_image TARBALL NAME CONFIG LAYER...: an OCI archive holding one image named NAME (a full reference
# like docker.io/library/nginx:alpine) with the container config CONFIG (the JSON object of the image
# config's "config") and the layers made by make_layer, bottom first.
write_image() {
  local tarball="$1" name="$2" config="$3"
  shift 3
  local layout="$work/layout" diff_ids="" layers="" layer digest size
  rm -rf "$layout"
  mkdir -p "$layout/blobs/sha256"
  for layer in "$@"; do
    cp "$work/layers/$layer.tar.gz" "$layout/layer"
    read -r digest size < <(add_blob "$layout" "$layout/layer")
    diff_ids+="${diff_ids:+,}\"sha256:$(cat "$work/layers/$layer.diffid")\""
    layers+="${layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"$digest\",\"size\":$size}"
  done
  printf '{"architecture":"%s","os":"linux","config":%s,"rootfs":{"type":"layers","diff_ids":[%s]}}' \
    "$arch" "$config" "$diff_ids" >"$layout/config"
  read -r digest size < <(add_blob "$layout" "$layout/config")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[%s]}' \
    "$digest" "$size" "$layers" >"$layout/manifest"
  read -r digest size < <(add_blob "$layout" "$layout/manifest")
  # containerd names an imported image after io.containerd.image.name; ref.name is the tag, as `ctr export` writes it.
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"platform":{"architecture":"%s","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$digest" "$size" "$arch" "$name" "${name##*:}" >"$layout/index.json"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
  (cd "$layout" && tar --create --file=- --sort=name --numeric-owner --owner=0 --group=0 --mtime=@0 \
    oci-layout index.json blobs) >"$tarball.partial.$$"
  # Renamed into place whole: an agent importing DIR, or another build.sh into DIR, never sees half a tarball.
  mv "$tarball.partial.$$" "$tarball"
  echo "built $name -> $tarball ($(du -k "$tarball" | cut -f1) KiB)"
}

path_env='"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]'

# The busybox image's tree, also the bottom layer of the nginx and hello-app images (shared, so stored once).
busybox_base_built=""
busybox_base() {
  [ -z "$busybox_base_built" ] || return 0
  local rootfs="$work/busybox"
  mkdir -p "$rootfs"/{bin,dev,etc,home,proc,root,sys,tmp,usr/bin,usr/sbin,var/run,var/tmp}
  chmod 1777 "$rootfs/tmp" "$rootfs/var/tmp"
  chmod 700 "$rootfs/root"
  install -m 755 "$busybox_binary" "$rootfs/bin/busybox"
  local applet
  for applet in $("$busybox_binary" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
  done
  install -m 644 "$kit/busybox/rootfs/etc/"* "$rootfs/etc/"
  make_layer "$rootfs" busybox
  busybox_base_built=yes
}

# static_binary SOURCE OUTPUT [CFLAGS...]: a small static executable.
static_binary() {
  local source="$1" output="$2"
  shift 2
  mkdir -p "$(dirname "$output")"
  gcc -static -Os -s -Wall -Wextra -Werror -D_GNU_SOURCE "$@" -o "$output" "$source" \
    || fail "compiling $source failed (needs the Debian packages gcc and libc6-dev)"
}

build_pause() {
  local tarball="$out/pause-3.10.tar"
  if fresh "$tarball" "$script" "$kit/pause"; then
    echo "up to date: $tarball"
    return
  fi
  local rootfs="$work/pause"
  static_binary "$kit/pause/pause.c" "$rootfs/pause"
  make_layer "$rootfs" pause
  # As the official pause image: runs as 65535, so the sandbox's first process holds no root.
  write_image "$tarball" registry.k8s.io/pause:3.10 \
    "{$path_env,\"Entrypoint\":[\"/pause\"],\"User\":\"65535:65535\",\"WorkingDir\":\"/\"}" pause
}

build_busybox() {
  local tarball="$out/busybox-latest.tar"
  if fresh "$tarball" "$script" "$kit/busybox" "$busybox_binary"; then
    echo "up to date: $tarball"
    return
  fi
  busybox_base
  write_image "$tarball" docker.io/library/busybox:latest "{$path_env,\"Cmd\":[\"sh\"]}" busybox
}

# The libraries a dynamic executable loads (ldd's resolved paths and the loader), one a line.
shared_libraries() {
  ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
}

build_nginx() {
  local tarball="$out/nginx-alpine.tar"
  if fresh "$tarball" "$script" "$kit/nginx" "$kit/busybox" "$busybox_binary" "$nginx_binary" "$nginx_mime_types" \
    $(shared_libraries "$nginx_binary"); then
    echo "up to date: $tarball"
    return
  fi
  busybox_base
  local rootfs="$work/nginx" library
  mkdir -p "$rootfs/usr/sbin" "$rootfs/var/cache/nginx" "$rootfs/var/lib/nginx" "$rootfs/var/log/nginx" \
    "$rootfs/var/lock" "$rootfs/run" "$rootfs/etc"
  install -m 755 "$nginx_binary" "$rootfs/usr/sbin/nginx"
  for library in $(shared_libraries "$nginx_binary"); do
    mkdir -p "$rootfs$(dirname "$library")"
    install -m 755 "$library" "$rootfs$library"
  done
  cp -R "$kit/nginx/rootfs/." "$rootfs/"
  chmod -R u=rwX,go=rX "$rootfs/etc/nginx" "$rootfs/usr/share/nginx"
  chmod 755 "$rootfs/docker-entrypoint.sh"
  install -m 644 "$nginx_mime_types" "$rootfs/etc/nginx/mime.types"
  # The worker processes run as nginx (101), as in the official image.
  cat "$kit/busybox/rootfs/etc/passwd" - >"$rootfs/etc/passwd" <<<'nginx:x:101:101:nginx:/var/cache/nginx:/bin/false'
  cat "$kit/busybox/rootfs/etc/group" - >"$rootfs/etc/group" <<<'nginx:x:101:'
  chmod 644 "$rootfs/etc/passwd" "$rootfs/etc/group"
  # Logs go to the container's stdout and stderr, where `kubectl logs` reads them.
  ln -s /dev/stdout "$rootfs/var/log/nginx/access.log"
  ln -s /dev/stderr "$rootfs/var/log/nginx/error.log"
  make_layer "$rootfs" nginx
  write_image "$tarball" docker.io/library/nginx:alpine \
    "{$path_env,\"Entrypoint\":[\"/docker-entrypoint.sh\"],\"Cmd\":[\"nginx\",\"-g\",\"daemon off;\"],\"ExposedPorts\":{\"80/tcp\":{}},\"StopSignal\":\"SIGQUIT\"}" \
    busybox nginx
}

build_hello_app() {
  local tag="$1" version="$2"
  local tarball="$out/hello-app-$tag.tar"
  if fresh "$tarball" "$script" "$kit/hello-app" "$kit/busybox" "$busybox_binary"; then
    echo "up to date: $tarball"
    return
  fi
  busybox_base
  local rootfs="$work/hello-app-$tag"
  static_binary "$kit/hello-app/hello.c" "$rootfs/hello-app" "-DHELLO_VERSION=\"$version\""
  make_layer "$rootfs" "hello-app-$tag"
  write_image "$tarball" "gcr.io/google-samples/hello-app:$tag" \
    "{$path_env,\"Cmd\":[\"/hello-app\"],\"ExposedPorts\":{\"8080/tcp\":{}}}" busybox "hello-app-$tag"
}

# python_packages: python3-kubernetes and the Debian packages of Python code it depends on, transitively (one a
# line). Native libraries are not followed here: ldd finds the ones the interpreter and the extension modules load.
# Left out: the packaging tools Debian's python3-kubernetes depends on but no module of the client imports.
python_packages() {
  local queue=(python3-kubernetes) seen=" python3-setuptools python3-pkg-resources python3-distutils python3-lib2to3 " package dependency
  while [ ${#queue[@]} -gt 0 ]; do
    package="${queue[0]}"
    queue=("${queue[@]:1}")
    case "$seen" in *" $package "*) continue ;; esac
    seen+="$package "
    echo "$package"
    # "a (>= 1) | b, c:any" -> a c: the first of alternatives, without versions or architecture qualifiers.
    for dependency in $(dpkg-query -W -f='${Depends},${Pre-Depends}' "$package" | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/:any//; s/[[:space:]]//g' | grep -E '^(lib)?python3'); do
      queue+=("$(installed_provider "$dependency")")
    done
  done
}

# installed_provider NAME: NAME when it is an installed package, else the installed package that provides it (a
# virtual package such as python3-cffi-backend-api-min).
installed_provider() {
  if dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; then
    echo "$1"
  else
    dpkg-query -W -f='${Package}\t${Provides}\n' | awk -F'\t' -v name="$1" '
      { n = split($2, provided, /, */); for (i = 1; i <= n; i++) { sub(/ .*/, "", provided[i]); if (provided[i] == name) { print $1; exit } } }'
  fi
}

build_python_kubernetes() {
  local tarball="$out/python-kubernetes-1.tar" packages package_lists
  packages="$(python_packages)"
  # A package upgraded rewrites its file list: the image is rebuilt then.
  package_lists="$(for package in $packages; do ls /var/lib/dpkg/info/"$package".list /var/lib/dpkg/info/"$package":*.list 2>/dev/null || true; done)"
  if fresh "$tarball" "$script" "$kit/busybox" "$busybox_binary" "$python_binary" $package_lists $(shared_libraries "$python_binary"); then
    echo "up to date: $tarball"
    return
  fi
  busybox_base
  local rootfs="$work/python-kubernetes" library
  mkdir -p "$rootfs"
  # The interpreter, its standard library and the client's packages as Debian installed them; no documentation,
  # and no compiled .pyc (Debian generates those at install, outside the packages' file lists).
  # shellcheck disable=SC2086
  dpkg -L $packages | grep -E '^(/usr/bin/|/usr/lib/python3|/etc/python3)' | sort -u | while read -r path; do
    [ -d "$path" ] && [ ! -L "$path" ] || echo "${path#/}"
  done >"$work/python-files"
  tar --create --file=- --directory=/ --no-recursion --files-from="$work/python-files" | tar --extract --file=- --directory="$rootfs"
  for library in $(
    { shared_libraries "$python_binary"
      find "$rootfs" -name '*.so' -type f | while read -r module; do shared_libraries "$module"; done
    } | sort -u
  ); do
    [ -e "$rootfs$library" ] && continue
    mkdir -p "$rootfs$(dirname "$library")"
    install -m 755 "$library" "$rootfs$library"
  done
  make_layer "$rootfs" python-kubernetes
  write_image "$tarball" timonel.test/python-kubernetes:1 "{$path_env,\"Cmd\":[\"python3\"]}" busybox python-kubernetes
}

build_pause
build_busybox
build_nginx
build_hello_app 1.0 1.0.0
build_hello_app 2.0 2.0.0
build_python_kubernetes

if [ -n "$push" ]; then
  for tarball in "$out"/pause-3.10.tar "$out"/busybox-latest.tar "$out"/nginx-alpine.tar \
    "$out"/hello-app-1.0.tar "$out"/hello-app-2.0.tar "$out"/python-kubernetes-1.tar; do
    name="$(tar --extract --to-stdout --file="$tarball" index.json | grep -o '"io.containerd.image.name":"[^"]*"' | cut -d'"' -f4)"
    [ -n "$name" ] || fail "$tarball has no image name"
    repository="${name#*/}"
    skopeo copy --quiet --preserve-digests --dest-tls-verify=false \
      "oci-archive:$tarball" "docker://$push/$repository" \
      || fail "pushing $name to $push failed (is a registry listening there? tests/images/registry.sh START starts one)"
    echo "pushed $name -> $push/$repository"
  done
fi
