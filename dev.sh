#!/usr/bin/env bash
# HaDeck developer entry point.
#   ./dev.sh demo    install, build, start the lab cluster, print its status, open the console
#   ./dev.sh test    install, build, run the whole test suite (plus a sanitizer build of the unit tests)
#   ./dev.sh build   build only (build/)
#   ./dev.sh bench   install, build what the benchmarks need (optimized, in build-release/), run them
#                    all beside their peers (the lab comes up under the lab lock if down); table in
#                    build-release/bench-report/
#   ./dev.sh deps    install the Debian packages only
#   ./dev.sh format-check [BASE]  lines changed since BASE (default: the last commit's) follow .clang-format
#   ./dev.sh lab ... pass through to tests/lab/lab (up, down, status, exec NODE CMD)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
ROOT=$PWD
BUILD=${HADECK_BUILD_DIR:-$ROOT/build}
ASAN_BUILD=${HADECK_ASAN_BUILD_DIR:-$ROOT/build-asan}
JOBS=${JOBS:-$(nproc)}

log() { printf '\033[1;34m==>\033[0m [%s, %ds] %s\n' "$(date +%H:%M:%S)" "$SECONDS" "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

need_root() { [ "$(id -u)" -eq 0 ] || die "run as root: the lab needs network namespaces, and packages must be installed"; }

deps() {
    need_root
    # Debian's maintainer scripts would start apache2, mariadb, keepalived... as system
    # services; the lab starts its own instances, so keep the packaged ones down.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
    fi
    local want missing=()
    want=$(grep -v '^#' tools/packages.txt | tr -s ' \n' '\n' | sed '/^$/d')
    for p in $want; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${#missing[@]} Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq || die "apt-get update failed"
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/hadeck-apt.log 2>&1 \
            || { tail -30 /tmp/hadeck-apt.log; die "apt-get install failed (log: /tmp/hadeck-apt.log)"; }
    fi
    # Packaged daemons that may have started anyway must not hold the lab's ports.
    for svc in apache2 mariadb keepalived moosefs-master moosefs-chunkserver moosefs-metalogger php8.2-fpm; do
        [ -x "/etc/init.d/$svc" ] && "/etc/init.d/$svc" stop >/dev/null 2>&1 || true
    done
}

configure_build() { # dir, extra cmake args...
    local dir=$1; shift
    cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="${HADECK_BUILD_TYPE:-Debug}" -DHADECK_WERROR=ON "$@" >/dev/null
    cmake --build "$dir" -j "$JOBS"
}

build() { # extra cmake args...
    log "building in $BUILD"
    configure_build "$BUILD" "$@"
}

# The benchmarks and what they drive: only these targets, so a clean clone is benched in time.
# They measure what ships: an optimized build with line tables (as a package is built), in its own
# directory, so the Debug build the tests use is left alone.
bench() {
    local dir=${HADECK_BENCH_BUILD_DIR:-$ROOT/build-release}
    log "building the benchmark targets in $dir (${HADECK_BENCH_BUILD_TYPE:-RelWithDebInfo})"
    [ -f "$dir/build.ninja" ] || cmake -S "$ROOT" -B "$dir" -G Ninja \
        -DCMAKE_BUILD_TYPE="${HADECK_BENCH_BUILD_TYPE:-RelWithDebInfo}" -DHADECK_WERROR=ON >/dev/null
    local t targets=()
    for t in hadeck-agent hadeckctl hadeck-loadgen ipvs_dump_bench models_bench ssh_pool_bench freshness_bench; do
        ninja -C "$dir" -t query "$t" >/dev/null 2>&1 && targets+=("$t")
    done
    cmake --build "$dir" -j "$JOBS" --target "${targets[@]}"
    HADECK_BUILD_DIR=$dir "$ROOT/tests/bench/run.sh"
}

# The lines changed since BASE (the last commit's own lines by default) must be as
# .clang-format writes them; `git clang-format BASE` fixes them.
format_check() {
    local base=${1:-HEAD~1}
    if ! git rev-parse -q --verify "$base^{commit}" >/dev/null 2>&1; then
        log "format check: no commit $base here; skipped"
        return 0
    fi
    local out
    out=$(git clang-format --diff --extensions cpp,h "$base" 2>&1) || true
    case $out in
        "" | "no modified files to format"* | "clang-format did not modify any files"*) return 0 ;;
    esac
    printf '%s\n' "$out" | head -60 >&2
    die "lines changed since $base are not formatted as .clang-format says; run: git clang-format $base"
}

# The sanitizer build compiles only what the unit tests run: their executables and the
# programs they start (the suite is configured, not yet built, when it asks ctest). The lab tests' executables, which it never runs, are left out.
asan_targets() { # build dir
    local dir=$1 t
    # A unit test's name is its executable's target (those that run a script have no target).
    (cd "$dir" && ctest -N -L unit) | sed -n 's/^ *Test *#[0-9]*: //p'
    for t in hadeck-agent hadeckctl hadeck-fakeagent hadeck-loadgen; do echo "$t"; done
}

run_tests() {
    local rc=0
    log "format check of the last commit's lines"
    format_check || rc=1
    # The tests that need nothing of the machine's own run side by side; the lab's, the VM's
    # and the package test (one lab, one nspawn root) one at a time.
    log "ctest: unit and GUI tests, $JOBS at a time"
    (cd "$BUILD" && ctest --output-on-failure -j"$JOBS" -L 'unit|gui' -LE 'lab|vm|pkg|bench' --timeout 900) || rc=1
    # The sanitizer build compiles beside the lab stage, which mostly waits on its nodes and the
    # VM: at nice 19 it takes only the CPU time the lab leaves, and the suite ends one build sooner.
    local asan_pid= asan_log=$ASAN_BUILD.log targets=()
    log "sanitizer build (ASan + UBSan) of the unit tests in $ASAN_BUILD, at nice 19 beside the lab stage"
    if asan_configure; then
        local t
        for t in $(asan_targets "$ASAN_BUILD"); do
            ninja -C "$ASAN_BUILD" -t query "$t" >/dev/null 2>&1 && targets+=("$t")
        done
        log "sanitizer build: ${#targets[@]} targets (log: $asan_log)"
        nice -n 19 cmake --build "$ASAN_BUILD" -j "$JOBS" --target "${targets[@]}" >"$asan_log" 2>&1 &
        asan_pid=$!
    else
        rc=1
    fi
    log "ctest: lab, VM and package tests, one at a time"
    (cd "$BUILD" && ctest --output-on-failure -j1 -L 'lab|vm|pkg' -LE bench --timeout 900) || rc=1
    if [ -n "$asan_pid" ]; then
        log "waiting for the sanitizer build"
        if wait "$asan_pid"; then
            log "sanitizer build done; its unit tests, $JOBS at a time"
            (cd "$ASAN_BUILD" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
                ctest --output-on-failure -j"$JOBS" -L unit) || rc=1
        else
            tail -40 "$asan_log" >&2
            log "the sanitizer build failed (log: $asan_log)"
            rc=1
        fi
    fi
    log "tests done (exit $rc)"
    return $rc
}

# -g1: line tables are all a sanitizer report needs, and the build is shorter without the rest.
# The default linker: mold gave the sanitized tst_drain_hold an unaligned RELRO segment beside its
# one-byte TLS, and the loader refused it ("cannot apply additional memory protection after relocation").
asan_configure() {
    cmake -S "$ROOT" -B "$ASAN_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DHADECK_WERROR=ON -DHADECK_SANITIZE=ON \
        -DHADECK_LINKER=default \
        -DHADECK_BENCH=OFF -DHADECK_GUI=OFF -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DCMAKE_C_FLAGS_DEBUG=-g1 >/dev/null
}

demo() {
    deps
    build -DHADECK_UNIT_TESTS_SANITIZED_ONLY=OFF
    log "starting the lab cluster"
    "$ROOT/tests/lab/lab" up
    "$ROOT/tests/lab/lab" status || true
    local inv=${HADECK_LAB_DIR:-/run/hadeck-lab}/inventory.json
    if [ -x "$BUILD/bin/hadeckctl" ] && [ -f "$inv" ]; then
        log "cluster status as the console sees it"
        "$BUILD/bin/hadeckctl" --cluster "$inv" --batch status || true
    fi
    local shot=
    if [ -x "$BUILD/bin/hadeck" ]; then
        if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
            log "opening the console (the lab keeps running when it closes)"
            "$BUILD/bin/hadeck" --cluster "$inv" || true
        else
            shot=$ROOT/demo-screenshot.png
            log "no display: saving a screenshot of the console to $shot"
            QT_QPA_PLATFORM=offscreen "$BUILD/bin/hadeck" --cluster "$inv" --screenshot "$shot" --screenshot-delay 8000
        fi
    fi
    demo_epilogue "$inv" "$shot"
}

# What a newcomer needs once the demo has run: how to stop the lab, where the screenshot is,
# and how to open the console on the lab from a desktop.
demo_epilogue() { # inventory, screenshot (may be empty)
    local inv=$1 shot=$2 host
    host=$(hostname -f 2>/dev/null || hostname)
    printf '\n\033[1mThe lab cluster keeps running.\033[0m\n'
    printf '  Stop it:      ./dev.sh lab down\n'
    printf '  Its state:    ./dev.sh lab status    or    %s --cluster %s status\n' "$BUILD/bin/hadeckctl" "$inv"
    if [ -n "$shot" ] && [ -f "$shot" ]; then
        printf '  Screenshot:   %s\n' "$shot"
    fi
    printf '  The console on the lab, from a desktop:\n'
    printf '    on this machine, with a display:  %s --cluster %s\n' "$BUILD/bin/hadeck" "$inv"
    printf '    from another Linux desktop:       ssh -X root@%s %s --cluster %s\n' "$host" "$BUILD/bin/hadeck" "$inv"
    printf "    (the lab's nodes are on this machine's 198.18.0.0/24 bridge: the console must run here)\n"
}

cmd=${1:-help}
shift || true
case "$cmd" in
    deps) deps ;;
    format-check) format_check "$@" ;;
    build) build -DHADECK_UNIT_TESTS_SANITIZED_ONLY=OFF ;;
    bench) deps; bench ;;
    # The suite's plain build leaves out the unit tests that its sanitizer build runs (the same tests,
    # built and run once, with ASan and UBSan); the other commands build them all.
    test) deps; build -DHADECK_UNIT_TESTS_SANITIZED_ONLY=ON; run_tests ;;
    demo) demo ;;
    lab) exec "$ROOT/tests/lab/lab" "$@" ;;
    *) sed -n '2,11p' "$0"; exit 2 ;;
esac
