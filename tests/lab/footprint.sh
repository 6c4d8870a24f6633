#!/bin/bash
# Footprint of hadeck-agent on a lab node next to prometheus-node-exporter (Debian's,
# default collectors, scraped once a second) on the same node in the same window.
# Run with the lab up (under the lab lock): tests/lab/footprint.sh [NODE] [SECONDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lab=$here/lab
STATE=${HADECK_LAB_DIR:-/run/hadeck-lab}
node=${1:-web1}
secs=${2:-60}
hz=$(getconf CLK_TCK)
command -v prometheus-node-exporter >/dev/null || { echo "prometheus-node-exporter is not installed"; exit 2; }

agent=$(cat "$STATE/nodes/$node/pids/agent.pid")
"$lab" exec "$node" bash -c 'prometheus-node-exporter --web.listen-address=127.0.0.1:19100 >/dev/null 2>&1 & echo $! > /tmp/node-exporter.pid'
ne=""
for _ in $(seq 50); do
    ne=$("$lab" exec "$node" cat /tmp/node-exporter.pid 2>/dev/null || true)
    "$lab" exec "$node" curl -sf -o /dev/null http://127.0.0.1:19100/metrics && break
    sleep 0.2
done
[ -n "$ne" ] || { echo "node_exporter did not start"; exit 1; }
# The pid inside the node's namespaces is the host's pid too (no pid namespace).
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
rss() { awk '/^VmRSS/{print $2}' "/proc/$1/status"; }
# 1 Hz scrapes for node_exporter, as the agent samples at 1 Hz.
"$lab" exec "$node" bash -c "end=\$((SECONDS+$secs+2)); while [ \$SECONDS -lt \$end ]; do curl -s -o /dev/null http://127.0.0.1:19100/metrics; sleep 1; done" &
scraper=$!
sleep 2
a0=$(ticks "$agent"); n0=$(ticks "$ne")
sleep "$secs"
a1=$(ticks "$agent"); n1=$(ticks "$ne")
arss=$(rss "$agent"); nrss=$(rss "$ne")
wait "$scraper" || true
kill "$ne" 2>/dev/null || true
awk -v node="$node" -v s="$secs" -v hz="$hz" -v a="$((a1 - a0))" -v n="$((n1 - n0))" -v ar="$arss" -v nr="$nrss" 'BEGIN {
    printf "footprint on %s over %d s:\n", node, s
    printf "  hadeck-agent              RSS %6d KiB  CPU %5.2f %%\n", ar, 100 * a / hz / s
    printf "  prometheus-node-exporter  RSS %6d KiB  CPU %5.2f %% (scraped at 1 Hz)\n", nr, 100 * n / hz / s
}'
