#!/usr/bin/env bash
# One benchmark run that puts HaDeck beside its peers (issue 21): every figure measured in this
# run, each peer in the same run, on the same machine. Prints one table and writes
# $BUILD/bench-report/report.json and report.md. A report, never a gate: it exits 0 when the
# table was written, whatever the figures say.
#   tests/bench/run.sh            (./dev.sh bench builds what it needs first and calls this)
# Environment: HADECK_BUILD_DIR (default <repo>/build), HADECK_LAB_DIR (/run/hadeck-lab),
# HADECK_BENCH_RUNS (repetitions of the lab figures, default 7), HADECK_BENCH_FOOTPRINT_S (20),
# HADECK_BENCH_ONLY=lab (skip the console benchmarks), HADECK_BENCH_ONLY=p5 (only the agents'
# footprint and the profile of dir1's agent), HADECK_BENCH_PROFILE=0 (no perf profile).
# The lab part runs under the lab lock (/var/lock/hadeck-lab.lock); it brings the lab up when it
# is down and takes it down again, and leaves it up when it was up.
set -uo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
BUILD=${HADECK_BUILD_DIR:-$ROOT/build}
export HADECK_BUILD_DIR=$BUILD
STATE=${HADECK_LAB_DIR:-/run/hadeck-lab}
LAB=$ROOT/tests/lab/lab
LOCK=${HADECK_LAB_LOCK:-/var/lock/hadeck-lab.lock}
OUT=${HADECK_BENCH_OUT:-$BUILD/bench-report}
ROWS=$OUT/rows.jsonl
RUNS=${HADECK_BENCH_RUNS:-7}
FOOT_S=${HADECK_BENCH_FOOTPRINT_S:-20}
VIP=198.18.0.100
WEB1=198.18.0.21
CTL=$BUILD/bin/hadeckctl
INV=$STATE/inventory.json

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
now_ms() { date +%s%3N; }

# row ID FIGURE HADECK PEER UNIT PEER_NAME GOAL [NOTE]: one line of the table. HADECK or PEER may be
# empty (not measured / no peer); the ratio is HADECK/PEER (lower is better for every figure).
row() {
    jq -cn --arg id "$1" --arg figure "$2" --arg h "$3" --arg p "$4" --arg unit "$5" --arg peer "$6" \
        --arg goal "$7" --arg note "${8:-}" '
        def num: if . == "" then null else tonumber end;
        ($h | num) as $hv | ($p | num) as $pv |
        {id: $id, figure: $figure, hadeck: $hv, peer: $pv, unit: $unit, peerName: $peer, goal: $goal,
         ratio: (if $hv != null and $pv != null and $pv != 0 then ($hv / $pv * 1000 | round / 1000) else null end),
         note: (if $note == "" and $hv == null then "not measured (logs in bench-report/)" else $note end)}' >>"$ROWS"
}

# quantile Q < numbers: the value at quantile Q (nearest rank) of the numbers on stdin.
quantile() { sort -g | awk -v q="$1" '{v[NR]=$1} END {if (NR == 0) exit; i = int(q * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; printf "%.1f\n", v[i]}'; }

# ------------------------------------------------------------------ P7: console, no lab needed
p7() {
    if [ -x "$BUILD/bin/models_bench" ] || [ -x "$BUILD/tests/bench/models_bench" ]; then
        local mb
        mb=$(command -v "$BUILD/bin/models_bench" || echo "$BUILD/tests/bench/models_bench")
        log "P7 models bench (300 nodes, 30k real servers)"
        if QT_QPA_PLATFORM=offscreen "$mb" --benchmark_min_time=0.01 --benchmark_format=json >"$OUT/models_bench.json" 2>"$OUT/models_bench.log"; then
            local q='.benchmarks[] | select(.name | startswith($n))'
            row P7a "GUI thread per tick, 1 % deltas, p99" \
                "$(jq -r --arg n BM_DeltaTick "$q | .gui_p99_ms" "$OUT/models_bench.json")" "" ms "" "<= 8 ms"
            row P7b "GUI thread per tick, full snapshots, p99" \
                "$(jq -r --arg n BM_SnapshotTick "$q | .gui_p99_ms" "$OUT/models_bench.json")" "" ms "" "<= 8 ms"
            row P7c "full snapshot decoded (decode thread), p99" \
                "$(jq -r --arg n BM_SnapshotTick "$q | .decode_p99_ms" "$OUT/models_bench.json")" "" ms "" "<= 100 ms"
            row P7d "console RSS with 30k rows" \
                "$(jq -r --arg n BM_SnapshotTick "$q | .rss_MiB" "$OUT/models_bench.json")" "" MiB "" "<= 300 MiB"
        else
            warn "models_bench failed (log: $OUT/models_bench.log)"
        fi
    fi
    local sb
    sb=$(command -v "$BUILD/bin/ssh_pool_bench" || echo "$BUILD/tests/bench/ssh_pool_bench")
    if [ -x "$sb" ]; then
        log "P7 ssh pool bench (100 agents behind one sshd)"
        if "$sb" --benchmark_format=json >"$OUT/ssh_pool_bench.json" 2>"$OUT/ssh_pool_bench.log"; then
            # A benchmark that could not run says why (error_message) instead of a number.
            local b='.benchmarks[] | select(.name | startswith($n))' j=$OUT/ssh_pool_bench.json
            row P7e "100 SSH connects until all online" \
                "$(jq -r --arg n BM_ConnectAll100 "$b | select(.error_occurred | not) | .real_time" "$j" | head -1)" \
                "" ms "" "<= 3000 ms" "$(jq -r --arg n BM_ConnectAll100 "$b | .error_message // empty" "$j" | head -1)"
            row P7f "console idle with 100 connections, CPU" \
                "$(jq -r --arg n BM_Idle100 "$b | select(.error_occurred | not) | .cpu_percent" "$j" | head -1)" \
                "" "%" "" "-" "$(jq -r --arg n BM_Idle100 "$b | .error_message // empty" "$j" | head -1)"
        else
            warn "ssh_pool_bench failed (log: $OUT/ssh_pool_bench.log)"
        fi
    fi
}

# ------------------------------------------------------------------ lab figures (under the lock)
ssh_node() { # IP CMD...: the lab's own SSH, as an admin's script would use it
    ssh -i "$STATE/id_ed25519" -o UserKnownHostsFile="$STATE/known_hosts" -o BatchMode=yes -o ConnectTimeout=10 \
        "root@$1" "${@:2}"
}

ctl() { "$CTL" --cluster "$INV" --batch "$@"; }

# P6: the existing ipvs_dump bench on dir1 (the VM sees the host read-only and caches it: a copy
# named after the binary's mtime is never stale to it).
p6() {
    local bin=$BUILD/bin/ipvs_dump_bench
    [ -x "$bin" ] || bin=$BUILD/tests/bench/ipvs_dump_bench
    [ -x "$bin" ] || { warn "no ipvs_dump_bench"; row P6 "full IPVS dump 1000x10" "" "" ms "ipvsadm -Ln" "<= 0.5x" "not built"; return; }
    local b
    b="$bin.vm-$(stat -c %Y "$bin")"
    [ -e "$b" ] || cp "$bin" "$b"
    log "P6 full IPVS dump, 1000 services x 10 dests, on dir1"
    if "$LAB" exec dir1 "$b" --benchmark_format=json --benchmark_repetitions=3 --benchmark_min_time=0.01 \
        --benchmark_report_aggregates_only=true >"$OUT/ipvs_dump_bench.json" 2>"$OUT/ipvs_dump_bench.log"; then
        local sel='[.benchmarks[] | select(.ratio_ipvsadm_Ln_over_agent != null)] | (map(select(.aggregate_name == "median")) + .)[0]'
        row P6 "full IPVS dump 1000x10 (median)" \
            "$(jq -r "$sel | .agent_netlink_median_ms" "$OUT/ipvs_dump_bench.json")" \
            "$(jq -r "$sel | .ipvsadm_Ln_median_ms" "$OUT/ipvs_dump_bench.json")" ms "ipvsadm -Ln" "<= 0.5x"
    else
        warn "ipvs_dump_bench failed (log: $OUT/ipvs_dump_bench.log)"
        row P6 "full IPVS dump 1000x10" "" "" ms "ipvsadm -Ln" "<= 0.5x" "the bench failed"
    fi
}

# P2: drain apply, request until weight 0 on both directors (hadeckctl's applyLatencyMs, measured
# by the console from the request to both agents' verified answers), against a shell loop of
# `ipvsadm -e` over SSH on both directors.
p2() {
    log "P2 drain apply x$RUNS: hadeckctl drain web1 vs ssh+ipvsadm -e on dir1 and dir2"
    local h=() s=() i v t0 t1
    for i in $(seq "$RUNS"); do
        v=$(ctl --json drain web1 2>>"$OUT/p2.log" | jq -r '.applyLatencyMs // empty' 2>/dev/null | tail -1)
        [ -n "$v" ] && h+=("$v")
        ctl restore web1 >>"$OUT/p2.log" 2>&1 || warn "restore web1 failed"
        t0=$(date +%s%N)
        for d in 198.18.0.11 198.18.0.12; do
            ssh_node "$d" ipvsadm -e -t "$VIP:80" -r "$WEB1:80" -g -w 0 >>"$OUT/p2.log" 2>&1
        done
        t1=$(date +%s%N)
        s+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b - a) / 1e6}')")
        for d in 198.18.0.11 198.18.0.12; do
            ssh_node "$d" ipvsadm -e -t "$VIP:80" -r "$WEB1:80" -g -w 100 >>"$OUT/p2.log" 2>&1
        done
    done
    printf '%s\n' "hadeck ${h[*]:-}" "shell ${s[*]:-}" >>"$OUT/p2.log"
    if [ ${#h[@]} -eq 0 ]; then
        row P2 "drain apply, both directors" "" "" ms "ssh ipvsadm -e loop" "p99 <= 150 ms, <= peer" "hadeckctl gave no apply latency (log: p2.log)"
        return
    fi
    row P2a "drain apply, both directors, p50" "$(printf '%s\n' "${h[@]}" | quantile 0.5)" \
        "$(printf '%s\n' "${s[@]}" | quantile 0.5)" ms "ssh ipvsadm -e loop" "<= peer"
    row P2b "drain apply, both directors, p99 (max of $RUNS)" "$(printf '%s\n' "${h[@]}" | quantile 0.99)" \
        "$(printf '%s\n' "${s[@]}" | quantile 0.99)" ms "ssh ipvsadm -e loop" "<= 150 ms"
}

# The director holding the VIP as seen from inside both (dir1 and dir2 share the VM's clock).
vip_on() { "$LAB" exec "$1" ip -o -4 addr show dev eth0 2>/dev/null | grep -q " $VIP/"; }

wait_master() { # DIRECTOR SECONDS
    local end=$((SECONDS + $2))
    while [ $SECONDS -lt $end ]; do
        vip_on "$1" && return 0
        sleep 0.5
    done
    return 1
}

traffic() { # SECONDS OUTFILE: loadgen from the client namespace, in the background (pid in $!)
    "$LAB" exec client "$BUILD/bin/hadeck-loadgen" --target "$VIP:80" --connections 6 --think-ms 50 \
        --duration "$1" --out "$2" >/dev/null 2>>"$OUT/p3.log" &
}

# P3: planned failover (hadeckctl failover: the peer's keepalived MASTER after the release, and the
# longest gap in traffic) against a manual stop of keepalived on the MASTER, same traffic.
p3() {
    local runs=$(((RUNS + 2) / 3)) i v tp h=() hv=() hg=() pk=() pg=() lg hf=0 pf=0
    log "P3 planned failover x$runs: hadeckctl failover vs stopping keepalived on the MASTER"
    for i in $(seq "$runs"); do
        wait_master dir1 60 || { warn "dir1 is not MASTER"; break; }
        lg=$OUT/p3-hadeck-$i.json
        traffic 12 "$lg"
        tp=$!
        sleep 3
        v=$(ctl --json failover VI_CACHE 2>>"$OUT/p3.log")
        printf '%s\n' "$v" >>"$OUT/p3.log"
        wait "$tp" || true
        h+=("$(jq -r '.transitionMs // empty' <<<"$v" 2>/dev/null)")
        hv+=("$(jq -r '.failoverMs // empty' <<<"$v" 2>/dev/null)")
        hg+=("$(jq -r '.longestGapMs // empty' "$lg" 2>/dev/null)")
        hf=$((hf + $(jq -r ".failed // 0" "$lg" 2>/dev/null || echo 0)))
        ctl maintenance dir1 off VI_CACHE >>"$OUT/p3.log" 2>&1 || warn "maintenance dir1 off failed"
        wait_master dir1 60 || { warn "dir1 did not take the VIP back"; break; }
        # The peer: stop keepalived on the MASTER; dir2 notes when it holds the VIP.
        lg=$OUT/p3-stop-$i.json
        traffic 12 "$lg"
        tp=$!
        sleep 3
        "$LAB" exec dir2 bash -c "until ip -o -4 addr show dev eth0 | grep -q ' $VIP/'; do sleep 0.005; done; date +%s%N" \
            >"$OUT/p3-stop-$i.at" 2>>"$OUT/p3.log" &
        local watcher=$!
        sleep 1
        local stopped
        stopped=$("$LAB" exec dir1 bash -c 'date +%s%N; kill -TERM "$(cat /run/keepalived.pid)"' 2>>"$OUT/p3.log")
        wait "$watcher" || true
        wait "$tp" || true
        local at
        at=$(cat "$OUT/p3-stop-$i.at" 2>/dev/null)
        [ -n "$at" ] && [ -n "$stopped" ] && pk+=("$(awk -v a="$stopped" -v b="$at" 'BEGIN {printf "%.1f", (b - a) / 1e6}')")
        pg+=("$(jq -r '.longestGapMs // empty' "$lg" 2>/dev/null)")
        pf=$((pf + $(jq -r ".failed // 0" "$lg" 2>/dev/null || echo 0)))
        # Back as the lab started: keepalived on dir1, which preempts.
        "$LAB" start dir1 keepalived >>"$OUT/p3.log" 2>&1 || warn "lab start dir1 keepalived failed"
        wait_master dir1 60 || { warn "dir1 did not take the VIP back"; break; }
    done
    printf '%s\n' "hadeck transition ${h[*]:-}" "hadeck verified ${hv[*]:-}" "hadeck gap ${hg[*]:-}" \
        "stop transition ${pk[*]:-}" "stop gap ${pg[*]:-}" >>"$OUT/p3.log"
    row P3a "planned failover until peer MASTER, worst" "$(printf '%s\n' "${h[@]}" | sed '/^$/d' | quantile 1)" \
        "$(printf '%s\n' "${pk[@]}" | sed '/^$/d' | quantile 1)" ms "keepalived stopped on MASTER" "<= 800 ms"
    row P3b "planned failover, console verified, worst" "$(printf '%s\n' "${hv[@]}" | sed '/^$/d' | quantile 1)" \
        "" ms "" "-"
    row P3c "longest traffic gap during failover, worst" "$(printf '%s\n' "${hg[@]}" | sed '/^$/d' | quantile 1)" \
        "$(printf '%s\n' "${pg[@]}" | sed '/^$/d' | quantile 1)" ms "keepalived stopped on MASTER" "<= 800 ms"
    row P4 "failed requests through the VIP during the failovers" "$hf" "$pf" requests "keepalived stopped on MASTER" "0"
}

# P5: the agent's footprint against node_exporter (default collectors, 1 Hz scrapes) on the same
# node in the same window; on a director, keepalived's CPU too.  p5 TAG NODE...
p5() {
    local tag=$1 n j; shift
    for n in "$@"; do
        log "P5 footprint on $n over $FOOT_S s${tag:+ ($tag)}"
        j=$("$LAB" exec "$n" bash "$ROOT/tests/bench/node_footprint.sh" "$STATE/nodes/$n/pids/agent.pid" "$FOOT_S" \
            2>>"$OUT/p5.log" | tail -1)
        printf '%s %s %s\n' "$n" "$tag" "$j" >>"$OUT/p5.log"
        if [ -z "$j" ] || ! jq -e '.agent_cpu_pct' <<<"$j" >/dev/null 2>&1; then
            row "P5-$n" "agent footprint on $n" "" "" "" "node_exporter" "<= 0.5x" "not measured (log: p5.log)"
            continue
        fi
        row "P5-$n-cpu" "agent CPU on $n${tag:+, $tag}" "$(jq -r .agent_cpu_pct <<<"$j")" \
            "$(jq -r .node_exporter_cpu_pct <<<"$j")" "%" "node_exporter" "<= 0.5x"
        row "P5-$n-rss" "agent RSS on $n${tag:+, $tag}" "$(jq -r '.agent_rss_kib / 1024 * 10 | round / 10' <<<"$j")" \
            "$(jq -r '.node_exporter_rss_kib / 1024 * 10 | round / 10' <<<"$j")" MiB "node_exporter" "<= 0.5x"
        if jq -e '.keepalived_cpu_pct' <<<"$j" >/dev/null 2>&1; then
            row "P5-$n-ka" "agent CPU on $n vs keepalived${tag:+, $tag}" "$(jq -r .agent_cpu_pct <<<"$j")" \
                "$(jq -r .keepalived_cpu_pct <<<"$j")" "%" "keepalived" "<= 1x"
        fi
    done
}

# One [modules.MODULE] KEY of a node's agent for the next figures, or "default" (the agent.toml as
# the lab wrote it); SIGHUP reloads it. Used for the IPVS quick looks between samples
# ([modules.ipvs] change_poll_ms) and keepalived's periodic dump ([modules.keepalived] dump_interval_ms).
agent_setting() { # NODE MODULE KEY VALUE|default
    local n=$1 m=$2 k=$3 v=$4
    "$LAB" exec "$n" bash -c "sed -i '/^# bench: $m.$k\$/,/^# bench end\$/d' /etc/hadeck/agent.toml
        [ '$v' = default ] || printf '# bench: %s.%s\n[modules.%s]\n%s = %s\n# bench end\n' '$m' '$k' '$m' '$k' '$v' >>/etc/hadeck/agent.toml
        kill -HUP \$(cat $STATE/nodes/$n/pids/agent.pid)" >>"$OUT/settings.log" 2>&1
    sleep 2
}
ipvs_quick_looks() { agent_setting "$1" ipvs change_poll_ms "$2"; } # NODE MS|default
keepalived_dumps() { agent_setting "$1" keepalived dump_interval_ms "$2"; } # NODE MS|default

# P1: an outside change until an agent's subscriber sees it (freshness_bench, when built).  p1 TAG
p1() {
    local tag=$1 fb=$BUILD/bin/freshness_bench json
    [ -x "$fb" ] || fb=$BUILD/tests/bench/freshness_bench
    if [ ! -x "$fb" ]; then
        row P1 "freshness: ipvsadm weight set until a subscriber sees it" "" "" ms "Prometheus scrape 15 s" "p50 <= 100 ms" "freshness_bench not built"
        return
    fi
    json=$OUT/p1${tag:+-${tag// /-}}.json
    log "P1 freshness x$((RUNS * 2))${tag:+ ($tag)}"
    if timeout 300 "$fb" --inventory "$INV" --runs $((RUNS * 2)) >"$json" 2>>"$OUT/p1.log"; then
        local k
        for k in ipvs vrrp; do
            jq -e ".$k" "$json" >/dev/null 2>&1 || continue
            row "P1-$k-p50" "freshness: $k change outside HaDeck until subscriber, p50${tag:+, $tag}" \
                "$(jq -r ".$k.p50" "$json")" "$(jq -r ".$k.peer" "$json")" ms "$(jq -r ".$k.peerName" "$json")" "<= 100 ms"
            row "P1-$k-p99" "freshness: $k change outside HaDeck until subscriber, p99${tag:+, $tag}" \
                "$(jq -r ".$k.p99" "$json")" "" ms "" "<= 300 ms" "$(jq -r ".$k.note // empty" "$json")"
        done
    else
        row P1 "freshness${tag:+, $tag}" "" "" ms "" "p50 <= 100 ms" "freshness_bench failed (log: p1.log)"
    fi
}

# Where the director's agent spends its CPU while idle: perf (software clock, the VM has no PMU)
# on dir1's agent; the top symbols go to profile-dir1.txt. HADECK_BENCH_PROFILE=0 skips it.
profile_agent() {
    [ "${HADECK_BENCH_PROFILE:-1}" = 1 ] || return 0
    command -v perf >/dev/null || { warn "perf is not installed: no profile"; return 0; }
    local n=dir1 secs=20
    log "profile of the agent on $n over $secs s (perf)"
    "$LAB" exec "$n" bash -c "perf record -q -e cpu-clock -F 499 -g -o /tmp/agent.perf -p \$(cat $STATE/nodes/$n/pids/agent.pid) -- sleep $secs >/dev/null 2>&1; perf report -q -i /tmp/agent.perf --stdio --no-children --sort dso,sym -g none --percent-limit 1.5 2>/dev/null | head -40; rm -f /tmp/agent.perf" >"$OUT/profile-$n.txt" 2>&1 || warn "perf failed on $n"
}

lab_part() {
    local was_up=1
    "$LAB" status >/dev/null 2>&1 || was_up=0
    local lab_build
    lab_build=$(cat "$STATE/build-dir" 2>/dev/null || true)
    if [ $was_up = 1 ] && [ "$(readlink -f "$lab_build")" != "$(readlink -f "$BUILD")" ]; then
        # The figures are the agents of $BUILD, not those of whatever build started the lab.
        log "the lab runs the agents of ${lab_build:-another build}: restarting it with those of $BUILD"
        "$LAB" down >>"$OUT/lab.log" 2>&1
        "$LAB" up >>"$OUT/lab.log" 2>&1 || { warn "lab up failed (log: $OUT/lab.log)"; return 1; }
    fi
    if [ $was_up = 0 ]; then
        log "bringing the lab up (it is taken down at the end)"
        trap '"$LAB" down >>"$OUT/lab.log" 2>&1' EXIT
        "$LAB" up >>"$OUT/lab.log" 2>&1 || { warn "lab up failed (log: $OUT/lab.log)"; return 1; }
    fi
    wait_master dir1 60 || warn "dir1 does not hold the VIP at the start"
    if [ "${HADECK_BENCH_ONLY:-}" = p5 ]; then
        # The director's agent as it was before its periodic keepalived dump slowed to 5 s.
        keepalived_dumps dir1 1000
        p5 "keepalived dump every 1 s" dir1
        keepalived_dumps dir1 default
        p5 "" web1 dir1
        profile_agent
        return 0
    fi
    p6
    p2
    # P1 twice: the quick looks at the IPVS table off (a change waits for the 1 s sample, as before
    # them) and as configured, so the table shows what they gain.
    ipvs_quick_looks dir1 0
    p1 "quick looks off"
    ipvs_quick_looks dir1 default
    p1 ""
    # The director's footprint twice: keepalived's periodic dump every second (as before the 5 s
    # default) and as configured. (The quick looks run only while someone watches the table.)
    keepalived_dumps dir1 1000
    p5 "keepalived dump every 1 s" dir1
    keepalived_dumps dir1 default
    p5 "" web1 dir1
    p3
    profile_agent
}

# ------------------------------------------------------------------ the table
report() {
    local host cpu
    host=$(hostname)
    cpu=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)
    local btype
    btype=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD/CMakeCache.txt" 2>/dev/null)
    jq -s --arg host "$host" --arg cpu "$cpu" --arg cores "$(nproc)" --arg when "$(date -u +%FT%TZ)" \
        --arg build "${btype:-unknown}" \
        --arg commit "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
        '{machine: {host: $host, cpu: $cpu, cores: ($cores | tonumber), loadavg: $load}, when: $when, commit: $commit, build: $build, figures: .}' \
        "$ROWS" >"$OUT/report.json"
    jq -r '
        def v: if . == null then "-" elif type == "number" then (. * 10 | round / 10 | tostring) else tostring end;
        def r: if . == null then "-" else (. * 100 | round / 100 | tostring) end;
        "Machine: \(.machine.host), \(.machine.cores) cores, \(.machine.cpu); load \(.machine.loadavg) at the end; \(.when), commit \(.commit), \(.build) build",
        "",
        "| figure | HaDeck | peer (same run) | ratio | goal | note |",
        "|---|---|---|---|---|---|",
        (.figures[] | "| \(.id) \(.figure) | \(.hadeck | v) \(.unit) | \(if .peerName == "" then "-" else "\(.peer | v) \(.unit) (\(.peerName))" end) | \(.ratio | r) | \(.goal) | \(.note) |")
    ' "$OUT/report.json" >"$OUT/report.md"
    cat "$OUT/report.md"
}

case ${1:-all} in
    --lab-part) lab_part ;; # called under the lock by the line below
    --report) report ;;     # the table again from rows.jsonl
    all)
        mkdir -p "$OUT"
        : >"$ROWS"
        rm -f "$OUT"/p[0-9]*.log
        command -v jq >/dev/null || { echo "jq is needed" >&2; exit 1; }
        [ -x "$CTL" ] || [ "${HADECK_BENCH_ONLY:-}" = p5 ] || { echo "build first: no $CTL" >&2; exit 1; }
        case ${HADECK_BENCH_ONLY:-} in lab | p5) ;; *) p7 ;; esac
        log "waiting for the lab lock ($LOCK)"
        flock "$LOCK" "$0" --lab-part || warn "the lab part did not finish"
        report
        ;;
    *) sed -n '2,10p' "$0"; exit 2 ;;
esac
