#!/bin/sh
# Captures keepalived's own view of each configuration in tests/data/keepalived/oracle:
#   NAME.test.txt   `keepalived -t` messages
#   NAME.vrrp.txt   the VRRP process's --dump-conf (-P) and messages
#   NAME.check.txt  the checker process's --dump-conf (-C) and messages
# keepalived runs in a network namespace of its own (unshare -n) holding one bridge "eth0",
# with pid files and TMPDIR of its own, and config id "dir1". The checker runs with
# ipvs_sockopt_stub.so preloaded so it starts without IPVS in the kernel.
# Needs root and keepalived 2.2.7. Usage: capture-keepalived-oracle.sh [CONF...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../../data/keepalived/oracle" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -shared -fPIC -O1 -o "$work/stub.so" "$here/ipvs_sockopt_stub.c" -ldl

clean() { # drop timestamps, use a stable name for the fixture directory
    sed -e 's/^[A-Z][a-z][a-z] [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* [0-9]*: //' \
        -e "s#$data#@ORACLE_DIR@#g" -e '/^Running on \|^Command line\|^  *.*\.pid'"'"'/d' \
        -e '/pid=[0-9]*$/d' -e '/used [0-9.]* user time/d' -e '/CPU usage/d' \
        -e '/^ *\(index\|MAC\|IPv6 address\) = /d'
}

run_daemon() { # MODE CONF OUT
    mode=$1 conf=$2 out=$3
    rm -rf "$work/run" && mkdir -p "$work/run"
    preload=""
    [ "$mode" = "-C" ] && preload="$work/stub.so"
    unshare -n sh -c '
        ip link add eth0 type bridge && ip link set eth0 up && ip link set lo up
        cd "$1"
        LD_PRELOAD="$2" TMPDIR="$3" exec keepalived -n -l -G -d -i dir1 '"$mode"' -f "$4" \
            -p "$3/k.pid" -r "$3/v.pid" -c "$3/c.pid" -b "$3/b.pid"
    ' sh "$data" "$preload" "$work/run" "$conf" >"$work/raw" 2>&1 &
    pid=$!
    # Until the output stops growing for a second (the dump is written right after start).
    last=-1 n=0
    while [ $n -lt 20 ]; do
        sleep 0.5
        size=$(wc -c <"$work/raw")
        if [ "$size" = "$last" ] && [ "$size" -gt 0 ]; then break; fi
        last=$size n=$((n + 1))
    done
    kill "$pid" 2>/dev/null || true
    n=0
    while kill -0 "$pid" 2>/dev/null && [ $n -lt 10 ]; do sleep 0.5; n=$((n + 1)); done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    clean <"$work/raw" >"$out"
}

cd "$data"
if [ $# -eq 0 ]; then set -- *.conf; fi
for conf in "$@"; do
    name=${conf%.conf}
    # keepalived -t does not return on some files (a track_file naming an undefined one): bounded.
    (timeout 15 keepalived -t -i dir1 -f "$conf" 2>&1 || true) | clean >"$name.test.txt"
    run_daemon -P "$conf" "$name.vrrp.txt"
    run_daemon -C "$conf" "$name.check.txt"
    echo "$name"
done
