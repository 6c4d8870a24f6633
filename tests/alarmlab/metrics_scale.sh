# Runs INSIDE a director (POSIX sh, given to `lab exec NODE sh -c` by tst_metrics_scale_lab after
# `set -- AGENT_PIDFILE AGENT_URL NE_LISTEN SCRAPES`): /metrics with 10,000 IPVS dests, the
# agent's endpoint against Debian's prometheus-node-exporter with only its ipvs collector, started
# here on NE_LISTEN for the window. Scratch table: 1000 services 198.19.100.1-198.19.103.250:80,
# 10 DR dests each in 198.19.120.1-198.19.159.250 (unused by the lab), removed at the end however
# the script ends. Prints one line per figure:
#   START   agent_rss_kib ne_rss_kib            (both answering, 5 scrapes each, no scratch table)
#   A0|N0   seconds bytes http_code                   (those warm-up scrapes: agent, node_exporter)
#   LOAD    ms_to_load_the_table
#   WAIT    ms W seconds bytes http_code dests  (the agent's scrapes until it serves them all)
#   SEEN    ms_until_the_agent_serves_10000_scratch_dests agent_cpu_ticks_meanwhile
#   IDLE    agent_cpu_pct                       (with the table, 20 s without a scrape)
#   A|N     seconds bytes http_code             (SCRAPES each, alternating, with the table; fewer
#                                                when they take over 300 s)
#   CPU     agent_pct ne_pct                    (over those scrapes)
#   END     agent_rss_kib ne_rss_kib
#   SERIES  agent_scratch_dests ne_scratch_dests  (node_ipvs_backend_weight series in the last scrape)
set -eu
pidfile=$1 agent_url=$2 ne_listen=$3 scrapes=$4
agent=$(cat "$pidfile")
[ -d "/proc/$agent" ] || { echo "ERROR no agent process $agent"; exit 1; }
command -v prometheus-node-exporter >/dev/null || { echo "ERROR prometheus-node-exporter is not installed"; exit 1; }
ne_url="http://$ne_listen/metrics"
work=$(mktemp -d)
ne=

scratch() {
    ipvsadm -Sn | grep '^-A -t 198\.19\.10[0-3]\.[0-9]*:80 ' | sed 's/^-A \(-t [^ ]*\).*/-D \1/' >"$work/del" || true
    [ -s "$work/del" ] && ipvsadm -R <"$work/del"
    return 0
}
cleanup() {
    # The kernel's word on a process killed meanwhile (the VM's memory is small).
    dmesg 2>/dev/null | grep -iE 'out of memory|killed process|oom-kill' | tail -5 | sed 's/^/DMESG /' || true
    if [ ! -d "/proc/$agent" ]; then echo "GONE the agent process $agent is gone"; fi
    if [ -n "$ne" ]; then kill "$ne" 2>/dev/null || true; fi
    scratch
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
scratch

prometheus-node-exporter --collector.disable-defaults --collector.ipvs --web.listen-address="$ne_listen" \
    >"$work/ne.log" 2>&1 &
ne=$!
up() { curl -sf -m 5 -o /dev/null "$1"; }
i=0
until up "$ne_url" && up "$agent_url"; do
    i=$((i + 1))
    [ $i -lt 300 ] || { echo "ERROR no answer: node_exporter $(up "$ne_url" && echo up || echo down), agent $(up "$agent_url" && echo up || echo down)"; cat "$work/ne.log" >&2; exit 1; }
    sleep 0.2
done

ms() { echo $(($(date +%s%N) / 1000000)); }
rss() { awk '/^VmRSS/{print $2}' "/proc/$1/status"; }
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
# A scrape that fails or times out (120 s) is printed with http code 000, not fatal.
scrape() { curl -s -m 120 -o "$work/$1.txt" -w "$1 %{time_total} %{size_download} %{http_code}\n" "$2" || true; }
scratch_series() { grep -c '^node_ipvs_backend_weight{.*remote_address="198\.19\.' "$1" || true; }

for i in 1 2 3 4 5; do
    scrape A0 "$agent_url"
    scrape N0 "$ne_url"
done
echo "START $(rss "$agent") $(rss "$ne")"
echo "MEM $(awk '/MemAvailable/{print $2}' /proc/meminfo) KiB available in the VM"

awk 'BEGIN {
    for (i = 0; i < 1000; i++) {
        s = sprintf("198.19.%d.%d:80", 100 + int(i / 250), 1 + i % 250)
        print "-A -t " s " -s rr"
        for (j = 0; j < 10; j++) {
            k = i * 10 + j
            printf "-a -t %s -r 198.19.%d.%d:80 -g -w 1\n", s, 120 + int(k / 250), 1 + k % 250
        }
    }
}' >"$work/add"
t0=$(ms)
ipvsadm -R <"$work/add"
t1=$(ms)
echo "LOAD $((t1 - t0))"
n=0
w0=$(ticks "$agent")
until [ "$n" -ge 10000 ]; do
    [ $(($(ms) - t1)) -lt 300000 ] || { echo "ERROR the agent served $n of the 10000 scratch dests after 300 s"; exit 1; }
    sleep 0.5
    echo "WAIT $(($(ms) - t1)) $(scrape W "$agent_url") $(scratch_series "$work/W.txt")"
    n=$(scratch_series "$work/W.txt")
done
echo "SEEN $(($(ms) - t1)) $(($(ticks "$agent") - w0))"

# The agent's CPU with the table and no scrape (its own sampling), over 20 s.
i0=$(ticks "$agent"); d0=$(date +%s%N)
sleep 20
awk -v hz="$(getconf CLK_TCK)" -v a=$(($(ticks "$agent") - i0)) -v ns=$(($(date +%s%N) - d0)) \
    'BEGIN { printf "IDLE %.1f\n", 100 * a / hz / (ns / 1e9) }'

# SCRAPES each, or as many as fit in 300 s.
a0=$(ticks "$agent"); n0=$(ticks "$ne"); c0=$(date +%s%N)
i=0
while [ $i -lt "$scrapes" ] && [ $((($(date +%s%N) - c0) / 1000000000)) -lt 300 ]; do
    scrape A "$agent_url"
    scrape N "$ne_url"
    i=$((i + 1))
done
[ -d "/proc/$agent" ] || { echo "ERROR the agent process $agent ended during the scrapes"; exit 1; }
a1=$(ticks "$agent"); n1=$(ticks "$ne"); c1=$(date +%s%N)
awk -v hz="$(getconf CLK_TCK)" -v a=$((a1 - a0)) -v n=$((n1 - n0)) -v ns=$((c1 - c0)) \
    'BEGIN { s = ns / 1e9; printf "CPU %.1f %.1f\n", 100 * a / hz / s, 100 * n / hz / s }'
echo "END $(rss "$agent") $(rss "$ne")"
echo "MEM $(awk '/MemAvailable/{print $2}' /proc/meminfo) KiB available in the VM"
echo "SERIES $(scratch_series "$work/A.txt") $(scratch_series "$work/N.txt")"
