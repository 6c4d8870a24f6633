#!/bin/sh
# Captures the firewall fixtures from the real nft and iptables-nft, each in a
# private network namespace (run as root from this directory):
#   ruleset.json         `nft -j list ruleset` of node.nft after some traffic (counters)
#   ruleset-handles.txt  `nft -a list ruleset` of the same, for the one-line texts
#   iptables-nft.json    the same plus tables written by iptables-nft
#   iptables-legacy.txt  `iptables-legacy-save` output
#   elements-with-options.json / -handles.txt  the same two of elements-with-options.nft
#                        (set and map elements with comments: {"elem":{"val":...}} keys)
set -eu
cd "$(dirname "$0")"
unshare -n sh -c '
  ip link set lo up
  nft -f node.nft
  # Traffic for the counters: TCP to a closed port on loopback (refused, counted).
  curl -s -m 2 http://127.0.0.1:81/ >/dev/null 2>&1 || true
  nft -j list ruleset > ruleset.json
  nft -a list ruleset > ruleset-handles.txt
  iptables-nft -A INPUT -s 198.18.5.0/24 -p tcp --dport 22 -j ACCEPT
  iptables-nft -A INPUT -m comment --comment "legacy style" -j DROP
  iptables-nft -t nat -A POSTROUTING -o eth0 -j MASQUERADE
  nft -j list ruleset > iptables-nft.json
  nft -a list ruleset > iptables-nft-handles.txt
'
unshare -n sh -c '
  nft -f elements-with-options.nft
  nft -j list ruleset > elements-with-options.json
  nft -a list ruleset > elements-with-options-handles.txt
'
unshare -n sh -c '
  iptables-legacy -A INPUT -s 198.18.5.0/24 -p tcp --dport 22 -j ACCEPT
  iptables-legacy -P FORWARD DROP
  iptables-legacy-save | grep -v "^#" > iptables-legacy.txt
'
