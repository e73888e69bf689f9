#!/usr/bin/env bash
# libFuzzer targets (clang, ASan + UBSan), see tests/fuzz/README.md.
#
#   tests/fuzz/run.sh
#       Bounded run (CI, tests/run-all.sh): build, then run every target for GC_FUZZ_SECONDS
#       (default 25) over a temporary copy of its seed corpus, all targets at the same time.
#       Fails on any crash, leak, timeout or sanitizer report. Logs: build/fuzz/fuzz_<name>.log.
#
#   tests/fuzz/run.sh --minutes N [--target decode|session]... [--jobs J] [--merge|--merge-min]
#                     [-- ARGS]
#       Long run: each target N minutes into its persistent work corpus
#       build/fuzz/long-<name>/corpus (read together with the committed seeds
#       tests/fuzz/corpus/<name>, which are never written). J targets at a time (default 1).
#       Prints executions, exec/s, final cov/ft, new corpus units and any crash with its
#       artifact path; exits non-zero on a crash. ARGS go to libFuzzer unchanged.
#       --merge: afterwards, add to tests/fuzz/corpus/<name>/ only the work-corpus inputs
#       that add coverage (libFuzzer -merge=1: new features, i.e. edges or hit-count buckets)
#       and report how many files were added; warns above 200 files or 1 MB added.
#       --merge-min: the minimized merge, for the committed corpus: only new edges
#       (-use_counters=0), smallest covering set (-set_cover_merge=1).
#
#   tests/fuzz/run.sh --merge|--merge-min [--target ...]
#       Only the merge, from the work corpora of earlier long runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

minutes=""; njobs=1; merge=0; merge_min=0; targets=(); extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=${2:?--minutes needs a number}; shift 2 ;;
    --minutes=*) minutes=${1#*=}; shift ;;
    --target) targets+=("${2:?--target needs decode or session}"); shift 2 ;;
    --target=*) targets+=("${1#*=}"); shift ;;
    --jobs) njobs=${2:?--jobs needs a number}; shift 2 ;;
    --jobs=*) njobs=${1#*=}; shift ;;
    --merge) merge=1; shift ;;
    --merge-min) merge=1; merge_min=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if [ -n "$minutes" ] && ! [[ "$minutes" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  echo "run.sh: --minutes wants a number, got '$minutes'" >&2; exit 2
fi
if ! [[ "$njobs" =~ ^[1-9][0-9]*$ ]]; then echo "run.sh: --jobs wants a number >= 1" >&2; exit 2; fi
if [ -z "$minutes" ] && [ "$merge" = 0 ] && { [ ${#targets[@]} -gt 0 ] || [ ${#extra[@]} -gt 0 ] || [ "$njobs" != 1 ]; }; then
  echo "run.sh: --target, --jobs and libFuzzer arguments need --minutes (or --merge)" >&2; exit 2
fi

wall_start=$(date +%s)
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

# Targets: every built fuzz_* binary, or the ones named with --target.
bins=()
if [ ${#targets[@]} -eq 0 ]; then
  for bin in build/fuzz/tests/fuzz/fuzz_*; do [ -x "$bin" ] && bins+=("$bin"); done
else
  for t in "${targets[@]}"; do
    bin="build/fuzz/tests/fuzz/fuzz_${t#fuzz_}"
    [ -x "$bin" ] || { echo "run.sh: no fuzz target '$t' ($bin)" >&2; exit 2; }
    bins+=("$bin")
  done
fi
[ ${#bins[@]} -gt 0 ] || { echo "run.sh: no fuzz targets built" >&2; exit 1; }

# Children die with us (Ctrl-C, kill): libFuzzer prints its stats and exits on SIGINT/SIGTERM.
trap 'kill $(jobs -p) 2>/dev/null || true' INT TERM

# Figures from a libFuzzer log.
fstat() { grep -Eo "stat::$2: *[0-9]+" "$1" | tail -n 1 | grep -Eo '[0-9]+$' || echo "?"; }
last_cov() {  # "cov: 123 ft: 456 corp: 78/9Kb" from the last status line
  grep -E '^#[0-9]+.*cov: ' "$1" | tail -n 1 |
    sed -E 's/.*(cov: [0-9]+ ft: [0-9]+ corp: [0-9]+\/[0-9]+[a-zA-Z]*).*/\1/' || true
}
files_in() { find "$1" -maxdepth 1 -type f 2>/dev/null | wc -l; }
bytes_in() { find "$1" -maxdepth 1 -type f -printf '%s\n' 2>/dev/null | awk '{s+=$1} END {print s+0}'; }

# ---------------------------------------------------------------------------------------------
# Bounded mode (CI): all targets concurrently, same output lines and semantics as before.
# ---------------------------------------------------------------------------------------------
bounded() {
  local per_target=${GC_FUZZ_SECONDS:-25} status=0 bin name corpus_name seeds work log
  local -a pids=() works=()
  for bin in "${bins[@]}"; do
    name=$(basename "$bin"); corpus_name=${name#fuzz_}
    seeds="tests/fuzz/corpus/$corpus_name"
    work=$(mktemp -d); works+=("$work")
    [ -d "$seeds" ] && cp -r "$seeds/." "$work/"
    log="build/fuzz/$name.log"
    "$bin" -max_total_time="$per_target" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="build/fuzz/$name-" "$work" >"$log" 2>&1 &
    pids+=($!)
  done
  local i rc
  for i in "${!bins[@]}"; do
    rc=0; wait "${pids[$i]}" || rc=$?
    name=$(basename "${bins[$i]}"); log="build/fuzz/$name.log"
    if [ $rc -eq 0 ]; then
      echo "fuzz: $name ok, $(fstat "$log" number_of_executed_units) executions in ${per_target}s"
    else
      echo "fuzz: $name FAILED (log: $log)"; tail -n 40 "$log"; status=1
    fi
    rm -rf "${works[$i]}"
  done
  echo "fuzz: ${#bins[@]} targets x ${per_target}s, concurrently, in $(( $(date +%s) - wall_start ))s wall time"
  return $status
}

# ---------------------------------------------------------------------------------------------
# Long mode: one target for N minutes into its persistent work corpus; report figures.
# ---------------------------------------------------------------------------------------------
long_one() {  # bin -> prints a report, returns libFuzzer's exit code
  local bin=$1 name corpus_name dir seeds log stamp before after rc=0 secs
  name=$(basename "$bin"); corpus_name=${name#fuzz_}
  dir="build/fuzz/long-$corpus_name"; seeds="tests/fuzz/corpus/$corpus_name"
  mkdir -p "$dir/corpus" "$dir/artifacts" "$dir/logs"
  stamp=$(date +%Y%m%d-%H%M%S); log="$dir/logs/$stamp.log"
  : >"$log"; ln -sfn "logs/$stamp.log" "$dir/last.log"  # tail -f build/fuzz/long-<name>/last.log
  secs=$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 + 0.5 }')
  before=$(files_in "$dir/corpus")
  echo "fuzz-long: $name started $(date '+%F %T'), ${minutes} min, work corpus $dir/corpus ($before units) + seeds $seeds ($(files_in "$seeds")), log $log"
  local t0; t0=$(date +%s)
  "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/" ${extra[@]+"${extra[@]}"} "$dir/corpus" "$seeds" \
    >"$log" 2>&1 &
  local fp=$!
  trap "kill $fp 2>/dev/null || true" INT TERM  # libFuzzer then prints its stats and exits
  wait $fp || rc=$?
  if kill -0 $fp 2>/dev/null; then rc=0; wait $fp || rc=$?; fi  # woken by the trap
  after=$(files_in "$dir/corpus")
  local runs eps elapsed; runs=$(fstat "$log" number_of_executed_units)
  eps=$(fstat "$log" average_exec_per_sec); elapsed=$(( $(date +%s) - t0 ))
  {
    echo "fuzz-long: $name $( [ $rc -eq 0 ] && echo ok || echo "FAILED (exit $rc)" )"
    echo "  time        ${elapsed}s"
    echo "  executions  $runs ($eps exec/s)"
    echo "  coverage    $(last_cov "$log")"
    echo "  new units   $(fstat "$log" new_units_added) (libFuzzer); work corpus $before -> $after files, $(bytes_in "$dir/corpus") bytes"
    echo "  peak rss    $(fstat "$log" peak_rss_mb) MB"
    if [ $rc -ne 0 ]; then
      local art
      art=$(grep -Eo '(Test unit|artifact) written to [^ ]+' "$log" | awk '{print $NF}' | tail -n 1)
      echo "  artifact    ${art:-none written (see log)}"
      grep -E '^==[0-9]+==ERROR|^SUMMARY:|deadly signal|invariant failed|^fuzz_decode:|ALARM|out-of-memory' "$log" |
        head -n 5 | sed 's/^/  report      /'
      echo "  log         $log"
    fi
  } | tee "$dir/last-summary.txt"
  return $rc
}

long() {
  local status=0 bin i=0 rc
  local -a pids=()
  for bin in "${bins[@]}"; do
    if [ "$njobs" -le 1 ]; then
      long_one "$bin" || status=1
    else
      long_one "$bin" > "build/fuzz/long-$(basename "$bin").report" 2>&1 &
      pids+=($!)
      if [ ${#pids[@]} -ge "$njobs" ]; then
        wait "${pids[0]}" || status=1; pids=("${pids[@]:1}")
      fi
    fi
  done
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || status=1; done
  if [ "$njobs" -gt 1 ]; then
    for bin in "${bins[@]}"; do cat "build/fuzz/long-$(basename "$bin").report"; done
  fi
  echo "fuzz-long: ${#bins[@]} target(s) x ${minutes} min in $(( $(date +%s) - wall_start ))s wall time$( [ $status -eq 0 ] && echo ", no crash" || echo ", FAILURES above")"
  return $status
}

# ---------------------------------------------------------------------------------------------
# Merge: add to the committed corpus only the work-corpus inputs that add coverage.
# ---------------------------------------------------------------------------------------------
merge_one() {
  local bin=$1 name corpus_name dir seeds log before after bytes0 bytes1 rc=0
  name=$(basename "$bin"); corpus_name=${name#fuzz_}
  dir="build/fuzz/long-$corpus_name"; seeds="tests/fuzz/corpus/$corpus_name"
  if [ ! -d "$dir/corpus" ]; then
    echo "fuzz-merge: $name: no work corpus $dir/corpus (run --minutes first)"; return 0
  fi
  mkdir -p "$seeds" "$dir/logs"; log="$dir/logs/merge-$(date +%Y%m%d-%H%M%S).log"
  before=$(files_in "$seeds"); bytes0=$(bytes_in "$seeds")
  local -a how=(-merge=1)
  [ "$merge_min" = 1 ] && how=(-set_cover_merge=1 -use_counters=0)
  "$bin" "${how[@]}" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$dir/artifacts/" \
    -merge_control_file="$dir/merge.control" "$seeds" "$dir/corpus" >"$log" 2>&1 || rc=$?
  rm -f "$dir/merge.control"
  after=$(files_in "$seeds"); bytes1=$(bytes_in "$seeds")
  if [ $rc -ne 0 ]; then
    echo "fuzz-merge: $name FAILED (exit $rc, log: $log)"; tail -n 20 "$log"; return 1
  fi
  echo "fuzz-merge: $name ($( [ "$merge_min" = 1 ] && echo "minimized: new edges, set cover" || echo "new features")) added $(( after - before )) files ($(( bytes1 - bytes0 )) bytes) to $seeds: $before -> $after files, $bytes0 -> $bytes1 bytes ($(grep -Eo 'MERGE-OUTER: [0-9]+ new files with [0-9]+ new features' "$log" | tail -n 1 || true))"
  if [ $(( after - before )) -gt 200 ] || [ $(( bytes1 - bytes0 )) -gt 1048576 ]; then
    if [ "$merge_min" = 1 ]; then
      echo "fuzz-merge: note: more than 200 files or 1 MB added to $seeds, even minimized"
    else
      echo "fuzz-merge: WARNING: more than 200 files or 1 MB added to $seeds; to keep the committed"
      echo "  corpus small, drop them (git clean -f $seeds) and use --merge-min"
    fi
  fi
}

merge_all() {
  local status=0 bin
  for bin in "${bins[@]}"; do merge_one "$bin" || status=1; done
  return $status
}

if [ -z "$minutes" ] && [ "$merge" = 0 ]; then
  bounded; exit $?
fi
status=0
if [ -n "$minutes" ]; then long || status=1; fi
if [ "$merge" = 1 ]; then merge_all || status=1; fi
exit $status
