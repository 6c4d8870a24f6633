#!/bin/sh
# Captures what keepalived 2.2.7's checker writes to its lvs_notify_fifo for a fwmark service,
# a virtual_server_group and a plain one (tests/data/keepalived/lvs-fifo-services.conf):
# 198.18.99.1 listens on 80 and 8080, 198.18.99.2 on nothing, so its checks fail.
# keepalived runs in a network namespace of its own with ipvs_sockopt_stub.so preloaded.
# Needs root. Writes tests/data/keepalived/notify_fifo-lvs-services.txt.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../../data/keepalived" && pwd)
work=/tmp/hadeck-lvs-fifo # the configuration names its FIFO here
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
cc -shared -fPIC -O1 -o "$work/stub.so" "$here/ipvs_sockopt_stub.c" -ldl
mkfifo "$work/lvs.fifo"
timeout 30 unshare -n sh -c '
    ip link add eth0 type bridge && ip link set eth0 up && ip link set lo up
    ip addr add 198.18.99.1/24 dev eth0 && ip addr add 198.18.99.2/24 dev eth0
    socat TCP-LISTEN:80,bind=198.18.99.1,fork,reuseaddr /dev/null &
    socat TCP-LISTEN:8080,bind=198.18.99.1,fork,reuseaddr /dev/null &
    cat "$1/lvs.fifo" >"$1/fifo.out" &
    LD_PRELOAD="$1/stub.so" TMPDIR="$1" keepalived -n -l -C -i dir1 -f "$2" \
        -p "$1/k.pid" -c "$1/c.pid" -r "$1/v.pid" -b "$1/b.pid" >"$1/keepalived.log" 2>&1 &
    ka=$!
    # The checks run every second; three rounds are enough for every DOWN line.
    sleep 6
    kill $ka
    wait $ka || true
    kill $(jobs -p) 2>/dev/null || true
' sh "$work" "$data/lvs-fifo-services.conf"
cp "$work/fifo.out" "$data/notify_fifo-lvs-services.txt"
cat "$data/notify_fifo-lvs-services.txt"
