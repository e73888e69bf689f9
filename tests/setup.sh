#!/usr/bin/env bash
# Install every system package the build and the tests need on a fresh Debian 12, then the
# npm packages of the Node.js parts. Non-interactive, idempotent: re-running it installs
# nothing that is already there. Needs root (or sudo) only when something is missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

packages=(
  # native build + tests
  build-essential cmake ninja-build git ca-certificates xz-utils
  libgtest-dev libgmock-dev nlohmann-json3-dev libbenchmark-dev
  # libFuzzer + sanitizers
  clang libclang-rt-14-dev
  # Wasm
  emscripten
  # reference server, e2e, benchmarks
  nodejs npm openssl chromium
  # fonts shipped to the browser (Latin base + CJK + emoji) and their subsetting
  # (python3-munkres: fontTools depends on "python3-scipy | python3-munkres"; naming the small
  # one keeps apt from pulling SciPy, NumPy, Pythran and the Boost headers, which the
  # subsetter never imports: 30 -> 17 s of apt-get install on this machine, more to download)
  fonts-dejavu-core fonts-wqy-microhei fonts-unifont python3-fonttools python3-munkres
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node.js 20 or newer is needed (werift 0.24.4); Debian 12's nodejs is 18. A machine that
# already has a newer node (e.g. NodeSource) keeps it.
if command -v node >/dev/null && node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)'; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
filtered=(); for p in "${missing[@]}"; do [ -n "$p" ] && filtered+=("$p"); done
missing=("${filtered[@]+"${filtered[@]}"}")

if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: all ${#packages[@]} system packages present"
fi

node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' || {
  echo "setup: Node.js >= 20 is required (found $(node --version)); install it and re-run" >&2; exit 1; }

# npm packages (lock files committed; `npm ci` only when the lock changed since last time).
for dir in tests/server tests/e2e tests/bench; do
  [ -f "$root/$dir/package-lock.json" ] || continue
  stamp="$root/$dir/node_modules/.gc-lock.sha256"
  want=$(sha256sum "$root/$dir/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then continue; fi
  echo "setup: npm ci in $dir"
  (cd "$root/$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
done

# Dear ImGui 1.90.1 sources (checksum-verified, into build/deps).
bash "$root/src/third_party/fetch-imgui.sh"
echo "setup: done"
