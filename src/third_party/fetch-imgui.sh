#!/usr/bin/env bash
# Fetch Dear ImGui 1.90.1 into DEST (default: build/deps/imgui-1.90.1), checksum-verified.
#
# 1. Debian's source package imgui 1.90.1+ds-1 (trixie), through a private apt state whose
#    deb-src entry is built from this machine's own configured Debian mirror (no host name is
#    written in this repository).
# 2. Where Debian is not reachable: the upstream v1.90.1 tag (git).
# Either way every file we compile must match src/third_party/imgui-1.90.1.sha256.
# Idempotent: a verified DEST is left alone. Never committed (build/ is ignored).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dest=${1:-$root/build/deps/imgui-1.90.1}
sums="$here/imgui-1.90.1.sha256"
pkg_version="1.90.1+ds-1"
orig_sha="ecce377df0f90b292f15dcbd83d438bddc162b2388c881132bde18c787572a1c"

verify() {  # verify DIR: every listed file present with the listed sha256
  (cd "$1" && grep -v '^#' "$sums" | sha256sum --check --quiet --strict) >/dev/null 2>&1
}

if [ -f "$dest/.verified" ] && verify "$dest"; then
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mirror_uri() {  # first non-security Debian URI configured on this machine
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri=$(awk '/^URIs:/{for(i=2;i<=NF;i++) print $i}' "$f" | grep -v -- '-security' | grep -E '/debian/?$' | head -n1 || true)
    [ -n "$uri" ] && { echo "${uri%/}"; return 0; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri=$(awk '$1=="deb"||$1=="deb-src"{for(i=2;i<=NF;i++) if($i ~ /^[a-z+]+:\/\//){print $i; break}}' "$f" |
          grep -v -- '-security' | grep -E '/debian/?$' | head -n1 || true)
    [ -n "$uri" ] && { echo "${uri%/}"; return 0; }
  done
  return 1
}

from_debian() {
  command -v apt-get >/dev/null || return 1
  local uri; uri=$(mirror_uri) || { echo "fetch-imgui: no Debian mirror configured" >&2; return 1; }
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  mkdir -p "$work/apt/parts" "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/src"
  cat > "$work/apt/parts/imgui-src.sources" <<SRC
Types: deb-src
URIs: $uri
Suites: trixie
Components: main
Signed-By: $keyring
SRC
  local opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$work/apt/parts"
              -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache"
              -o "APT::Sandbox::User=$(id -un)" -o "Debug::NoLocking=1" -q)
  echo "fetch-imgui: Debian source package imgui $pkg_version from $uri (trixie)" >&2
  apt-get "${opts[@]}" update >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; return 1; }
  (cd "$work/src" && apt-get "${opts[@]}" source --download-only "imgui=$pkg_version") >>"$work/apt.log" 2>&1 ||
    { tail -n 5 "$work/apt.log" >&2; return 1; }
  local tarball="$work/src/imgui_1.90.1+ds.orig.tar.xz"
  echo "$orig_sha  $tarball" | sha256sum --check --quiet --strict ||
    { echo "fetch-imgui: checksum mismatch for $(basename "$tarball")" >&2; return 1; }
  tar -xJf "$tarball" -C "$work/src"
  mv "$work/src/imgui-1.90.1" "$work/imgui"
}

from_upstream() {
  command -v git >/dev/null || return 1
  echo "fetch-imgui: falling back to the upstream v1.90.1 tag" >&2
  git -c advice.detachedHead=false clone --quiet --depth 1 --branch v1.90.1 \
    https://github.com/ocornut/imgui.git "$work/imgui"
}

if ! from_debian; then
  rm -rf "$work/imgui"
  from_upstream || { echo "fetch-imgui: could not fetch Dear ImGui 1.90.1 (Debian source package and upstream tag both failed)" >&2; exit 1; }
fi
verify "$work/imgui" || {
  echo "fetch-imgui: fetched sources do not match $sums:" >&2
  (cd "$work/imgui" && grep -v '^#' "$sums" | sha256sum --check --strict 2>&1 | grep -v ': OK$' >&2) || true
  exit 1
}
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$work/imgui" "$dest"
touch "$dest/.verified"
echo "fetch-imgui: Dear ImGui 1.90.1 verified in $dest" >&2
