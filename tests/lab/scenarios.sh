#!/usr/bin/env bash
# Scenario checks against a running lab (ctest runs each one as its own test; see CMakeLists.txt).
#   scenarios.sh traffic|replication|moosefs|vrrp|ipvs|realserver-down|director-failover
# Each prints what it saw and fails with a message saying what did not hold.
set -euo pipefail
LAB=$(dirname "$(readlink -f "$0")")/lab
VIP=198.18.0.100
WEB1=198.18.0.21
WEB2=198.18.0.22

fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
pass() { printf 'PASS: %s\n' "$*"; }
lab() { "$LAB" "$@"; }

# N requests from client to the VIP, each on a new connection. Prints one line per request:
# "<http code> <server>".
requests() {
    local n=$1
    lab exec client bash -c "
        for i in \$(seq $n); do
            body=\$(curl -s -m 5 -H 'Connection: close' -w '\ncode=%{http_code}' http://$VIP/ || true)
            code=\$(printf '%s\n' \"\$body\" | sed -n 's/^code=//p')
            server=\$(printf '%s\n' \"\$body\" | sed -n 's/^server=//p')
            echo \"\${code:-000} \${server:-none}\"
        done"
}

# The director whose keepalived holds the VIP; fails unless exactly one does.
master_director() {
    local d holders=()
    for d in dir1 dir2; do
        if lab exec "$d" ip -o -4 addr show dev eth0 | grep -q " $VIP/"; then holders+=("$d"); fi
    done
    [ ${#holders[@]} = 1 ] || { echo "VIP holders: ${holders[*]:-none}" >&2; return 1; }
    echo "${holders[0]}"
}

# VRRP state of a director from keepalived's own JSON dump (2 = MASTER).
vrrp_state() {
    lab exec "$1" sh -c 'rm -f /run/keepalived/keepalived.json; kill -s "$(keepalived --signum=JSON)" "$(cat /run/keepalived.pid)";
        for i in $(seq 50); do [ -s /run/keepalived/keepalived.json ] && break; sleep 0.2; done; sleep 0.3; cat /run/keepalived/keepalived.json' |
        tr -d ' \n' | grep -o '"state":[0-9]*' | head -1 | cut -d: -f2
}

wait_until() { # timeout-seconds description command...
    local t=$1 what=$2 i; shift 2
    for ((i = 0; i < t; i++)); do "$@" && return 0; sleep 1; done
    fail "$what (waited ${t}s)"
}

ipvs_has() { lab exec "$1" ipvsadm -Ln | grep -q -- "-> $2:80 "; }
ipvs_lacks() { ! ipvs_has "$@"; }

check_all_ok() { # output of requests, expected count, label
    local out=$1 want=$2 label=$3 ok
    ok=$(grep -c '^200 ' <<<"$out" || true)
    [ "$ok" = "$want" ] || { echo "$out" | sort | uniq -c >&2; fail "$label: $ok of $want requests succeeded"; }
}

case ${1:-} in
    traffic)
        out=$(requests 100)
        check_all_ok "$out" 100 "client to VIP"
        w1=$(grep -c '^200 web1$' <<<"$out" || true); w2=$(grep -c '^200 web2$' <<<"$out" || true)
        echo "served: web1=$w1 web2=$w2"
        [ "$w1" -gt 0 ] && [ "$w2" -gt 0 ] || fail "not served by both real servers (web1=$w1 web2=$w2)"
        pass "100/100 requests through the VIP, served by web1 ($w1) and web2 ($w2)" ;;
    replication)
        st=$(lab exec db2 mariadb --socket=/run/mysqld/mysqld.sock -uroot -e 'SHOW SLAVE STATUS\G')
        grep -E 'Slave_(IO|SQL)_Running:|Using_Gtid|Master_Host' <<<"$st"
        grep -q 'Slave_IO_Running: Yes' <<<"$st" || fail "db2: Slave_IO_Running is not Yes"
        grep -q 'Slave_SQL_Running: Yes' <<<"$st" || fail "db2: Slave_SQL_Running is not Yes"
        grep -q 'Using_Gtid: Slave_Pos' <<<"$st" || fail "db2: not replicating by GTID"
        # A row written on the master shows up on the replica.
        tag="probe-$RANDOM$RANDOM"
        lab exec db1 mariadb --socket=/run/mysqld/mysqld.sock -uroot -e "INSERT INTO gaokao.hits (server) VALUES ('$tag')"
        wait_until 20 "row written on db1 did not reach db2" \
            bash -c "[ \"\$('$LAB' exec db2 mariadb --socket=/run/mysqld/mysqld.sock -uroot -N -e \"SELECT COUNT(*) FROM gaokao.hits WHERE server='$tag'\")\" = 1 ]"
        pass "db2 replicates db1 by GTID (IO and SQL threads running, a new row arrived)" ;;
    moosefs)
        cs=$(lab exec mfsmaster mfscli -H 198.18.0.41 -SCS -s '|')
        echo "$cs" | head -5
        grep -q '198.18.0.42' <<<"$cs" || fail "chunkserver cs1 (198.18.0.42) missing in mfscli -SCS"
        grep -q '198.18.0.43' <<<"$cs" || fail "chunkserver cs2 (198.18.0.43) missing in mfscli -SCS"
        up=$(lab exec web1 sh -c 'ls /srv/mfs/uploads | head -3')
        [ -n "$up" ] || fail "no uploads on the MooseFS mount of web1"
        lab exec web2 sh -c "test -e /srv/mfs/uploads/$(head -1 <<<"$up")" || fail "web2 does not see web1's upload"
        pass "MooseFS has both chunkservers, and web1's uploads are visible on web2" ;;
    vrrp)
        m=$(master_director) || fail "not exactly one director holds the VIP"
        s1=$(vrrp_state dir1); s2=$(vrrp_state dir2)
        echo "VIP on $m; keepalived states: dir1=$s1 dir2=$s2 (2 = MASTER, 1 = BACKUP)"
        masters=0; [ "$s1" = 2 ] && masters=$((masters + 1)); [ "$s2" = 2 ] && masters=$((masters + 1))
        [ $masters = 1 ] || fail "expected exactly one VRRP MASTER, got $masters"
        [ "$(vrrp_state "$m")" = 2 ] || fail "the VIP holder $m is not the MASTER"
        pass "exactly one MASTER ($m) and it holds $VIP" ;;
    ipvs)
        m=$(master_director) || fail "not exactly one director holds the VIP"
        lab exec "$m" ipvsadm -Ln
        ipvs_has "$m" $WEB1 || fail "ipvsadm -Ln on $m does not list web1"
        ipvs_has "$m" $WEB2 || fail "ipvsadm -Ln on $m does not list web2"
        lab exec "$m" ipvsadm -Ln | grep -q "$WEB1:80 *Route" || fail "web1 is not forwarded by direct routing"
        pass "ipvsadm on the MASTER $m lists both real servers (DR)" ;;
    realserver-down)
        m=$(master_director) || fail "not exactly one director holds the VIP"
        lab stop web1 apache
        trap 'lab start web1 apache >/dev/null 2>&1 || true' EXIT
        wait_until 60 "keepalived's TCP_CHECK did not remove web1 from IPVS on $m" ipvs_lacks "$m" $WEB1
        echo "web1 removed from IPVS on $m"
        out=$(requests 20)
        check_all_ok "$out" 20 "with web1 down"
        grep -q '^200 web1$' <<<"$out" && fail "web1 answered while its Apache was stopped"
        lab start web1 apache
        trap - EXIT
        wait_until 60 "web1 did not come back into IPVS on $m" ipvs_has "$m" $WEB1
        pass "web1 down: removed by TCP_CHECK, 20/20 requests served by web2; web1 back after restart" ;;
    director-failover)
        m=$(master_director) || fail "not exactly one director holds the VIP"
        other=dir1; [ "$m" = dir1 ] && other=dir2
        # A crash, not a clean stop: the parent and both children die at once.
        lab exec "$m" sh -c 'kill -KILL $(cat /run/vrrp.pid) $(cat /run/checkers.pid) $(cat /run/keepalived.pid)'
        trap 'lab start '"$m"' keepalived >/dev/null 2>&1 || true' EXIT
        wait_until 60 "the VIP did not move to $other" bash -c "'$LAB' exec $other ip -o -4 addr show dev eth0 | grep -q ' $VIP/'"
        echo "VIP moved from $m to $other"
        ok=0
        for ((i = 0; i < 30; i++)); do
            out=$(requests 10)
            if [ "$(grep -c '^200 ' <<<"$out" || true)" = 10 ]; then ok=1; break; fi
            sleep 1
        done
        [ $ok = 1 ] || fail "requests did not recover after the failover to $other"
        lab start "$m" keepalived
        trap - EXIT
        wait_until 60 "not exactly one VIP holder after restarting keepalived on $m" eval "master_director >/dev/null"
        out=$(requests 10)
        check_all_ok "$out" 10 "after restarting keepalived on $m"
        pass "keepalived killed on $m: VIP moved to $other, requests recovered; $m restarted" ;;
    *) sed -n '2,4p' "$0"; exit 2 ;;
esac
