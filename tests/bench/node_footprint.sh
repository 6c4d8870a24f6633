#!/bin/bash
# Runs INSIDE a lab node (tests/lab/lab exec NODE bash node_footprint.sh ...): CPU and RSS of
# hadeck-agent, of Debian's prometheus-node-exporter (default collectors, started here for the
# window and scraped once a second, as the agent samples once a second) and, on a director,
# of keepalived (its three processes), all over the same window. Prints one JSON object.
#   node_footprint.sh AGENT_PIDFILE SECONDS [PORT]
set -euo pipefail
agent_pidfile=$1
secs=$2
port=${3:-19100}
hz=$(getconf CLK_TCK)
agent=$(cat "$agent_pidfile")
[ -d "/proc/$agent" ] || { echo "{\"error\":\"no agent process $agent\"}"; exit 1; }
command -v prometheus-node-exporter >/dev/null || { echo '{"error":"prometheus-node-exporter is not installed"}'; exit 1; }

prometheus-node-exporter --web.listen-address="127.0.0.1:$port" >/dev/null 2>&1 &
ne=$!
trap 'kill "$ne" 2>/dev/null || true' EXIT
for _ in $(seq 300); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/metrics" && break
    sleep 0.1
done
curl -sf -o /dev/null "http://127.0.0.1:$port/metrics" || { echo '{"error":"node_exporter did not answer"}'; exit 1; }

ticks() { [ -r "/proc/$1/stat" ] && awk '{print $14+$15}' "/proc/$1/stat" || echo 0; }
rss() { [ -r "/proc/$1/status" ] && awk '/^VmRSS/{print $2}' "/proc/$1/status" || echo 0; }
# keepalived: the parent and its VRRP and checker children (pid files in the node's own /run).
kpids=()
for f in /run/keepalived.pid /run/vrrp.pid /run/checkers.pid; do
    [ -s "$f" ] && kpids+=("$(cat "$f")")
done
kticks() { local t=0 p; for p in "${kpids[@]}"; do t=$((t + $(ticks "$p"))); done; echo "$t"; }

end=$((SECONDS + secs + 2))
(while [ $SECONDS -lt $end ]; do curl -s -o /dev/null "http://127.0.0.1:$port/metrics"; sleep 1; done) &
scraper=$!
sleep 1
a0=$(ticks "$agent"); n0=$(ticks "$ne"); k0=$(kticks); t0=$(date +%s%N)
sleep "$secs"
a1=$(ticks "$agent"); n1=$(ticks "$ne"); k1=$(kticks); t1=$(date +%s%N)
arss=$(rss "$agent"); nrss=$(rss "$ne")
wait "$scraper" || true
awk -v hz="$hz" -v a="$((a1 - a0))" -v n="$((n1 - n0))" -v k="$((k1 - k0))" -v kn="${#kpids[@]}" \
    -v ar="$arss" -v nr="$nrss" -v ns="$((t1 - t0))" 'BEGIN {
    s = ns / 1e9
    printf "{\"seconds\":%.2f,\"agent_cpu_pct\":%.3f,\"agent_rss_kib\":%d,\"node_exporter_cpu_pct\":%.3f,\"node_exporter_rss_kib\":%d",
           s, 100 * a / hz / s, ar, 100 * n / hz / s, nr
    if (kn > 0) printf ",\"keepalived_cpu_pct\":%.3f", 100 * k / hz / s
    printf "}\n"
}'
