#!/usr/bin/env bash
# The test command: install what is needed, then run every test suite.
#   the native GoogleTest suites (core, UI, client wiring) built with ASan + UBSan, libFuzzer
#   targets (bounded), the reference server's node:test suite, the Wasm build, the browser
#   scenarios and a 2-minute kiosk soak. Prints each step's time and a summary; stops at the
#   first failure. The same suites without sanitizers (cmake --workflow --preset native)
#   are not run here: they are the same tests, and the optimised code is built by the Wasm
#   step (and by tests/bench/run); the sanitized run catches more.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
start=$(date +%s)
summary=()

# step NAME COMMAND...: runs COMMAND, records how long it took.
step() {
  local name=$1; shift
  local t0; t0=$(date +%s)
  printf '\n==== %s (at %ss)\n' "$name" "$(( t0 - start ))"
  local status=0
  "$@" || status=$?
  local took=$(( $(date +%s) - t0 ))
  summary+=("$(printf '%5ss  %s%s' "$took" "$name" "$([ "$status" -eq 0 ] || echo "  FAILED ($status)")")")
  if [ "$status" -ne 0 ]; then report; exit "$status"; fi
}
report() {
  printf '\n==== step times\n'
  printf '%s\n' "${summary[@]}"
  printf '%5ss  total\n' "$(( $(date +%s) - start ))"
}

step "setup: packages, npm, Dear ImGui" bash tests/setup.sh
step "web: Wasm build" cmake --workflow --preset web

# The kiosk soak runs beside the sanitizer build: two minutes of wall time and about as much
# CPU (one Chromium with three pages, the reference server restarted three times: ~110 s of
# CPU measured with /proc over a 121 s run). Three restarts (SIGTERM, SIGKILL, SIGTERM) 36 s
# apart: the same recoveries and thresholds as the 3-minute run this replaced (the 60-minute
# soak, tests/soak/run, is where slow growth shows). The build beside it runs at nice 19: a
# compiler's CPU is a fixed amount of work, so it finishes about as soon either way (alone
# 179 s; beside the soak 280 s at equal priority, 251 s at nice 19), but at equal priority it
# took CPU from the kiosk's recovery and a clean-clone run failed the 15 s limit with 16.1 s
# (the same run on this machine: 5.5-7.8 s; beside the nice build 2.8-3.9 s, idle 2.5-3.2 s).
# The soak must have finished before the browser scenarios, whose timing it would disturb.
soak_log=$(mktemp)
soak_pid=""
# Its own process group (setsid), so a failed step stops its server and Chromium with it.
stop_soak() { [ -z "$soak_pid" ] || kill -TERM -- "-$soak_pid" 2>/dev/null || true; }
trap stop_soak EXIT
setsid tests/soak/run --minutes 2 --restart-every 0.6 > "$soak_log" 2>&1 &
soak_pid=$!
printf '\n==== soak: kiosk, 2 minutes, server restarted every 36 s: started in the background (at %ss)\n' \
  "$(( $(date +%s) - start ))"

step "native-asan: GoogleTest suites under ASan + UBSan" nice -n 19 cmake --workflow --preset native-asan
step "fuzz: libFuzzer targets, bounded" bash tests/fuzz/run.sh
step "reference server: node:test" bash -c 'cd tests/server && npm test'
# wait_soak: the soak's exit status, after printing its log (the wait is this step's time).
wait_soak() {
  local status=0
  wait "$soak_pid" || status=$?
  soak_pid=""
  cat "$soak_log"
  rm -f "$soak_log"
  return "$status"
}
step "soak: kiosk, 2 minutes, server restarted every 36 s (waiting for the background run)" wait_soak
rm -f tests/e2e/out/largest-frames.jsonl
step "e2e: headless Chromium scenarios" bash -c 'cd tests/e2e && npm test'
# Rule 12 figure: the largest frame any page sent during the scenarios (limit 8192 bytes).
if [ -f tests/e2e/out/largest-frames.jsonl ]; then
  node -e 'const l = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
           const m = l.reduce((a, b) => (b.largestFrameSent > a.largestFrameSent ? b : a));
           console.log(`largest frame the client sent in the e2e scenarios: ${m.largestFrameSent} bytes (${m.test}, ${m.page}; ${l.length} pages; limit 8192)`);' \
    tests/e2e/out/largest-frames.jsonl
fi
report
printf 'all suites passed in %ss\n' "$(( $(date +%s) - start ))"
