#!/usr/bin/env bash
# The long fuzz run: every fuzz target (or those named) for RUNS executions each, under ASan and
# UBSan as built, from its working corpus and the checked-in seeds, with the options of its ctest
# entry (max_len, timeout). Targets run JOBS at a time at nice 19 (in a session of their own, see
# below). Prints one line per target
# (executions, seconds, exec/s, result) and writes them to BUILD_FUZZ/fuzz-long-run.txt; a crash
# leaves libFuzzer's crash-* file in BUILD_FUZZ/tests/fuzz and makes the exit status 1. A target
# stopped with SIGINT sent to the fuzzer alone (pkill -INT -f '^/[^ ]*/bin/fuzz_NAME '; the
# unanchored pattern also matches the wrappers whose command line names it, and the result line is
# lost with them, the log keeping the count) is reported with its count so far.
#   tests/fuzz/long_run.sh [target...]
# Environment: HADECK_FUZZ_BUILD_DIR (default <repo>/build-fuzz, configured with -DHADECK_FUZZ=ON
# and built), HADECK_FUZZ_RUNS (10000000), JOBS (nproc), HADECK_FUZZ_NAME (fuzz-long-run: the
# names of the result file and the log directory, for a second run beside a first).
set -uo pipefail
# With autogroup scheduling (the kernel's default) nice only orders the processes of one session
# against each other: every other session, the lab's VM included (qemu -daemonize has its own),
# gets an equal share against the fuzzers whatever their nice. So the run takes a session of its
# own whose autogroup is at nice 19 too. (It has no terminal then: stop it with
# pkill -f long_run.sh; pkill -f bin/fuzz_.)
if [ -z "${HADECK_FUZZ_SESSION:-}" ] && [ -e /proc/self/autogroup ]; then
    HADECK_FUZZ_SESSION=1 exec setsid -w "$0" "$@"
fi
[ -w /proc/self/autogroup ] && { echo 19 >/proc/self/autogroup; } 2>/dev/null
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
BUILD=${HADECK_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
RUNS=${HADECK_FUZZ_RUNS:-10000000}
JOBS=${JOBS:-$(nproc)}
OUT=$BUILD/${HADECK_FUZZ_NAME:-fuzz-long-run}.txt
LOGS=$BUILD/${HADECK_FUZZ_NAME:-fuzz-long-run}
[ -f "$BUILD/CTestTestfile.cmake" ] || { echo "no fuzz build in $BUILD (see README: fuzz targets)" >&2; exit 2; }
mkdir -p "$LOGS"

# name<TAB>command, from ctest's own entries, with the 60 s limit replaced by the run count.
commands=$(cd "$BUILD" && ctest -N -V -L fuzz | sed -n 's/^[0-9]*: Test command: //p' |
    sed -E "s/-max_total_time=60/-runs=$RUNS -print_final_stats=1/")
[ -n "$commands" ] || { echo "ctest lists no fuzz target in $BUILD" >&2; exit 2; }

run_one() { # command line as ctest gives it (quoted words)
    local cmd=$1 name start rc
    name=$(grep -o 'bin/fuzz_[a-z0-9_]*' <<<"$cmd" | head -1 | cut -d/ -f2)
    start=$(date +%s)
    eval "nice -n 19 $cmd" >"$LOGS/$name.log" 2>&1
    rc=$?
    local secs=$(($(date +%s) - start)) done
    done=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$LOGS/$name.log" | tail -1)
    local result="no finding" log=$LOGS/$name.log unit ms units finding=
    # A sanitizer's report or a crash (a timeout's report is neither). UBSan's "runtime error" line
    # counts too, should a target be built to go on after it.
    grep -aq '^==[0-9]*==ERROR\|deadly signal\|: runtime error: ' "$log" && finding=1
    units=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -1)
    unit=$(sed -n "s/^artifact_prefix='[^']*'; Test unit written to \(.*timeout-[0-9a-f]*\)$/\1/p" "$log" | tail -1)
    if [ $rc -ne 0 ]; then
        result="FAILED (exit $rc, log $log)"
        if [ -z "$finding" ] && grep -aq 'libFuzzer: run interrupted' "$log"; then
            # Stopped on purpose (SIGINT): its count so far, and no finding.
            done=$units
            result="interrupted, no finding"
        elif [ -z "$finding" ] && [ -n "$unit" ]; then
            # libFuzzer's -timeout is wall-clock time: at nice 19 a starved target can pass it on a
            # unit that takes milliseconds. The unit is run again alone; a timeout it does not
            # repeat is named as such, with its time, beside the count so far (not a 10 M run).
            unit=$BUILD/tests/fuzz/${unit#./}
            ms=$(date +%s%N)
            if timeout 60 "$BUILD/bin/$name" "$unit" >/dev/null 2>&1; then
                ms=$((($(date +%s%N) - ms) / 1000000))
                done=$units
                result="stopped by a timeout while starved: its unit ($unit) runs alone in $ms ms; no finding"
            fi
        fi
    fi
    printf '%-24s %12s runs %7s s %9s exec/s  %s\n' "$name" "${done:-?}" "$secs" \
        "$([ -n "$done" ] && [ "$secs" -gt 0 ] && echo $((done / secs)) || echo '?')" "$result"
}
export -f run_one
export LOGS BUILD

selected=$commands
if [ $# -gt 0 ]; then
    selected=$(for t in "$@"; do grep -F "bin/$t'" <<<"$commands"; done)
fi
echo "fuzz long run: $RUNS executions per target, $JOBS at a time, $(date -u +%FT%TZ), commit $(git -C "$ROOT" rev-parse --short HEAD)" | tee "$OUT"
printf '%s\n' "$selected" | tr '\n' '\0' | xargs -0 -n1 -P "$JOBS" bash -c 'run_one "$1"' _ | tee -a "$OUT"
! grep -q FAILED "$OUT"
