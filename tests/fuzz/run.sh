#!/usr/bin/env bash
# Build the libFuzzer targets (clang, ASan + UBSan) and run each one for a bounded time over
# its seed corpus. Fails on any crash, leak or sanitizer report. Total budget ~60 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
per_target=${GC_FUZZ_SECONDS:-25}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
status=0
for bin in build/fuzz/tests/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin"); corpus_name=${name#fuzz_}
  seeds="tests/fuzz/corpus/$corpus_name"
  work=$(mktemp -d)
  [ -d "$seeds" ] && cp -r "$seeds/." "$work/"
  log="build/fuzz/$name.log"
  if "$bin" -max_total_time="$per_target" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="build/fuzz/$name-" "$work" >"$log" 2>&1; then
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo "?")
    echo "fuzz: $name ok, $runs executions in ${per_target}s"
  else
    echo "fuzz: $name FAILED (log: $log)"; tail -n 40 "$log"; status=1
  fi
  rm -rf "$work"
done
exit $status
