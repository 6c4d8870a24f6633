#!/bin/bash
# Captures the mfscli (-s SEP) and MariaDB replication fixtures from the running lab.
# Run under the lab lock with the lab up: ./capture.sh  (it leaves cs2 and maintenance as it found them)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lab=$here/../../lab/lab
db=$here/../mariadb
m() { mfscli -H 198.18.0.41 -P 9421 -s '|' "$@"; }
for s in SIN SCS SMB SHD SIG SIC; do m -$s > "$here/mfscli-$s.txt"; done
cs2=198.18.0.43
m -CM1/$cs2/9422 > "$here/mfscli-CM1.txt" 2>&1 || true
m -SCS > "$here/mfscli-SCS-maintenance.txt"
m -CM0/$cs2/9422 > /dev/null 2>&1 || true
"$lab" stop cs2 mfschunkserver
for _ in $(seq 100); do m -SCS | grep -qi 'disconnected' && break; sleep 0.2; done
m -SCS > "$here/mfscli-SCS-disconnected.txt"
m -SIN > "$here/mfscli-SIN-cs2-down.txt"
"$lab" start cs2 mfschunkserver

"$lab" exec db2 mariadb --batch -e 'SHOW REPLICA STATUS' > "$db/replica-status-running.tsv"
"$lab" exec db1 mariadb --batch -e 'SHOW REPLICA STATUS' > "$db/replica-status-master.tsv"
"$lab" exec db1 mariadb --batch -e 'SHOW MASTER STATUS' > "$db/master-status.tsv"
"$lab" exec db1 mariadb --batch -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('Uptime','Threads_connected','Threads_running','Questions','Slow_queries')" > "$db/global-status.tsv"
"$lab" stop db1 mariadb
for _ in $(seq 100); do "$lab" exec db2 mariadb --batch -e 'SHOW REPLICA STATUS' | grep -q Connecting && break; sleep 0.2; done
"$lab" exec db2 mariadb --batch -e 'SHOW REPLICA STATUS' > "$db/replica-status-connecting.tsv"
"$lab" start db1 mariadb
"$lab" exec web1 curl -s 'http://127.0.0.1/server-status?auto' > "$here/../apache/status-lab-worker.txt"
