#!/usr/bin/env bash
# The test command: install what is needed, then run every test suite.
#   native GoogleTest suite, the same under ASan + UBSan, libFuzzer targets (bounded),
#   the reference server's node:test suite, the Wasm build, and the browser suites.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
start=$(date +%s)
step() { printf '\n==== %s (%ss)\n' "$1" "$(( $(date +%s) - start ))"; }

step "setup"
bash tests/setup.sh

step "native: configure, build, GoogleTest"
cmake --workflow --preset native

step "native-asan: the same suite under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake --workflow --preset native-asan

step "fuzz: libFuzzer targets, bounded"
bash tests/fuzz/run.sh

if [ -f tests/server/package.json ]; then
  step "reference server: node:test"
  (cd tests/server && npm test)
fi

step "web: Wasm build"
cmake --workflow --preset web

if [ -f tests/e2e/package.json ]; then
  step "e2e: headless Chromium"
  (cd tests/e2e && npm test)
fi

step "all suites passed in $(( $(date +%s) - start ))s"
