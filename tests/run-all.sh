#!/usr/bin/env bash
# The test command: install what is needed, then run every test suite.
#   the native GoogleTest suites (core, UI, client wiring) built with ASan + UBSan, libFuzzer
#   targets (bounded), the reference server's node:test suite, the Wasm build, the browser
#   scenarios and an ~66 s kiosk soak. Prints each step's time and a summary; stops at the
#   first failure (a background job's when it is waited for: the builds' at the end). The
#   same suites without sanitizers (cmake --workflow --preset native) are not run here: they
#   are the same tests, and the optimised code is built by the Wasm step (and by
#   tests/bench/run); the sanitized run catches more.
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

# Background jobs: start_bg KEY NAME COMMAND... starts COMMAND in its own process group (setsid:
# a failure stops its servers and Chromium with it), output to a log; wait_bg KEY waits for
# it, prints the log and records its time like a step's (from its start, "in the
# background"). Every job still running is stopped when this script exits.
declare -A bg_pid bg_name bg_log bg_t0
start_bg() {
  local key=$1 name=$2; shift 2
  # lowest COMMAND...: the lowest CPU priority for the job's whole session. With autogroup
  # scheduling (Debian's default: /proc/sys/kernel/sched_autogroup_enabled) nice only
  # orders processes inside one session, and a job in a session of its own (setsid) gets
  # as much CPU as the foreground's whole session unless its group is niced as well.
  if [ "$1" = lowest ]; then
    shift
    set -- bash -c 'echo 19 > /proc/self/autogroup 2>/dev/null || true; exec nice -n 19 "$@"' lowest "$@"
  fi
  bg_name[$key]=$name; bg_log[$key]=$(mktemp); bg_t0[$key]=$(date +%s)
  setsid "$@" > "${bg_log[$key]}" 2>&1 &
  bg_pid[$key]=$!
  printf '\n==== %s: started in the background (at %ss)\n' "$name" "$(( bg_t0[$key] - start ))"
}
wait_bg() {
  local key=$1 status=0
  printf '\n==== %s (waiting for the background run, at %ss)\n' "${bg_name[$key]}" "$(( $(date +%s) - start ))"
  wait "${bg_pid[$key]}" || status=$?
  bg_pid[$key]=""
  # The job's last output is its end: the log's modification time says when it finished,
  # which may be long before it is waited for.
  local done_at; done_at=$(stat -c %Y "${bg_log[$key]}")
  cat "${bg_log[$key]}"; rm -f "${bg_log[$key]}"
  local took=$(( done_at - bg_t0[$key] ))
  summary+=("$(printf '%5ss  %s (in the background, done at %ss)%s' "$took" "${bg_name[$key]}" "$(( done_at - start ))" "$([ "$status" -eq 0 ] || echo "  FAILED ($status)")")")
  if [ "$status" -ne 0 ]; then report; exit "$status"; fi
}
stop_bg() { local k; for k in "${!bg_pid[@]}"; do [ -z "${bg_pid[$k]}" ] || kill -TERM -- "-${bg_pid[$k]}" 2>/dev/null || true; done; }
trap stop_bg EXIT

step "setup: packages, npm, Dear ImGui" bash tests/setup.sh

# The two cores are the limit (this machine: 2 cores for everything), so the order is about
# filling them. The compilers' work is fixed whatever the load, so the sanitized build (and
# its GoogleTest suites: no wall-clock limits) and the fuzzers' build run at nice 19 from
# the start: they take what the steps in front leave idle (the Wasm link is one thread; the
# soak is ~110 s of CPU in its 121 s; the browser scenarios wait on timers and restarts for
# ~160 core-seconds) and never take CPU the timed steps need. The fuzzers themselves run after the scenarios, in the foreground: libFuzzer's
# per-input timeout is wall time, and a niced fuzzer beside the scenarios was starved past
# it (a clean-clone run: "timeout after 10 seconds" on an input that runs in 0.15 s alone).
# The reference server's suite (timeouts of 5-10 s, ~27 core-seconds) runs beside the Wasm
# build.
# Measured on a clean clone before this order (everything in turn, the build beside the
# soak): 829 s; see the README's Tests section for the runs after it.
start_bg asan "native-asan: GoogleTest suites under ASan + UBSan (nice 19)" lowest cmake --workflow --preset native-asan
start_bg fuzzbuild "fuzz: build the libFuzzer targets (nice 19)" \
  lowest bash -c 'cmake --preset fuzz > /dev/null && cmake --build --preset fuzz'
start_bg server "reference server: node:test" bash -c 'cd tests/server && npm test'
step "web: Wasm build" cmake --workflow --preset web
wait_bg server

# The kiosk soak: ~66 s and about a core of CPU (one Chromium with three pages, the
# reference server restarted three times). Three restarts (SIGTERM, SIGKILL, SIGTERM) 18 s
# apart: the same recoveries and thresholds as the longer runs this replaced (36 s apart,
# 121 s; 24 s apart, 85 s; a recovery takes 1.3-2.5 s, then 3 s of settling and a 5 s
# idle-frame window, which leaves ~7 s of steady video between restarts; the whole test
# run is bound by its two cores, 2026-12-04; the 60-minute soak, tests/soak/run, is where
# slow growth shows). Only the niced builds run beside it: at
# equal priority a compiler took CPU from the kiosk's recovery and a clean-clone run failed
# the 15 s limit with 16.1 s (the same run on this machine: 5.5-7.8 s; beside the nice
# build 2.8-3.9 s, idle 2.5-3.2 s). It has finished before the browser scenarios, whose
# timing it would disturb.
start_bg soak "soak: kiosk, server restarted 3 times, 18 s apart" tests/soak/run --minutes 0.9 --restart-every 0.3
wait_bg soak
rm -f tests/e2e/out/largest-frames.jsonl
step "e2e: headless Chromium scenarios" bash -c 'cd tests/e2e && npm test'
wait_bg asan
wait_bg fuzzbuild
step "fuzz: libFuzzer targets, bounded" bash tests/fuzz/run.sh
# Rule 12 figure: the largest frame any page sent during the scenarios (limit 8192 bytes).
if [ -f tests/e2e/out/largest-frames.jsonl ]; then
  node -e 'const l = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
           const m = l.reduce((a, b) => (b.largestFrameSent > a.largestFrameSent ? b : a));
           console.log(`largest frame the client sent in the e2e scenarios: ${m.largestFrameSent} bytes (${m.test}, ${m.page}; ${l.length} pages; limit 8192)`);' \
    tests/e2e/out/largest-frames.jsonl
fi
report
printf 'all suites passed in %ss\n' "$(( $(date +%s) - start ))"
