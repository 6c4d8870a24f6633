#!/usr/bin/env bash
# The Debian packages on a clean Debian 12 root with real systemd as PID 1.
#   pkg_test.sh BUILD_DIR
# Builds hadeck-agent_*.deb and hadeck_*.deb from BUILD_DIR with cpack, unpacks a clean
# bookworm root (made once by mmdebstrap from Debian's registry and cached in
# $HADECK_PKG_CACHE, default /var/cache/hadeck-pkg), boots it with systemd-nspawn and checks,
# with systemctl and journalctl inside the root:
#   - apt installs both packages (dependencies resolved from Debian's registry);
#   - the groups, /var/lib/hadeck and its mode, the configuration, the unit enabled;
#   - policy-rc.d saying no (exit 101) keeps the agent stopped; without it the agent starts;
#   - Type=notify: `systemctl start` returns once the agent is ready, and a member of
#     hadeck gets agent.hello on the socket while a non-member is refused;
#   - `systemctl reload` re-reads the configuration (same PID, new node name in hello);
#   - the journal has the agent's own structured entries (native protocol, priority, code
#     location);
#   - remove keeps the state and the configuration, purge removes them;
#   - `systemd-analyze security hadeck-agent.service` (the score is printed);
#   - `hadeckctl deploy` over SSH (the root's own sshd, on 127.0.0.1:2299) onto the root with no
#     agent: the package uploaded and installed, the agent enabled and started by systemd, and
#     its hello received through the SSH connection.
# Needs root, mmdebstrap and systemd-container (tools/packages.txt). Nothing of it runs on
# the lab: no lab lock is needed.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

BUILD=$(readlink -f "${1:?usage: pkg_test.sh BUILD_DIR}")
CACHE=${HADECK_PKG_CACHE:-/var/cache/hadeck-pkg}
# The cached root; change the name when the package list changes.
INCLUDE=systemd,systemd-sysv,dbus,socat,openssh-server
TARBALL=$CACHE/bookworm-systemd-socat-sshd-v2.tar
SSH_PORT=2299
ARCHIVES=$CACHE/archives
SOCK=/run/hadeck/agent.sock

say() { printf '\033[1;34m[pkg]\033[0m %s\n' "$*" >&2; }
fail() { printf '\033[1;31m[pkg] FAIL:\033[0m %s\n' "$*" >&2; exit 1; }
pass() { printf '\033[1;32m[pkg] ok:\033[0m %s\n' "$*" >&2; PASSED=$((PASSED + 1)); }
PASSED=0
T0=$SECONDS

[ "$(id -u)" -eq 0 ] || fail "needs root (mmdebstrap, systemd-nspawn)"
for tool in mmdebstrap systemd-nspawn nsenter cpack lintian ssh-keygen ssh-keyscan; do
    command -v "$tool" >/dev/null || fail "$tool is missing: run ./dev.sh deps (tools/packages.txt)"
done

# ---------------------------------------------------------------- the packages
say "building the programs, the man pages and the packages in $BUILD"
cmake --build "$BUILD" --target hadeck-agent hadeckctl hadeck manpages >/dev/null
CTL=$BUILD/bin/hadeckctl
rm -rf "$BUILD/packages"
(cd "$BUILD" && cpack -G DEB -B "$BUILD/packages" >"$BUILD/packages.log" 2>&1) ||
    { tail -20 "$BUILD/packages.log"; fail "cpack failed"; }
AGENT_DEB=$(ls "$BUILD"/packages/hadeck-agent_*.deb)
CONSOLE_DEB=$(ls "$BUILD"/packages/hadeck_*.deb)
say "packages: $(basename "$AGENT_DEB") $(basename "$CONSOLE_DEB") ($((SECONDS - T0)) s)"
# Files checked in the package itself (no root to boot for them): the Grafana dashboard, the same
# as installer/'s, and the hadeckctl check timer examples.
LISTING=$(dpkg-deb -c "$CONSOLE_DEB" | awk '{print $NF}')
for f in ./usr/share/hadeck/grafana/grafana-hadeck-cluster.json ./usr/share/doc/hadeck/examples/hadeckctl-check@.timer \
    ./usr/share/doc/hadeck/examples/hadeckctl-check@.service; do
    grep -qxF "$f" <<<"$LISTING" || fail "$(basename "$CONSOLE_DEB") lacks $f"
done
SRC=$(readlink -f "$(dirname "$0")/../..")
dpkg-deb --fsys-tarfile "$CONSOLE_DEB" | tar -xOf - ./usr/share/hadeck/grafana/grafana-hadeck-cluster.json |
    cmp -s - "$SRC/installer/grafana-hadeck-cluster.json" ||
    fail "the packaged Grafana dashboard differs from installer/grafana-hadeck-cluster.json"
pass "hadeck ships the Grafana dashboard (/usr/share/hadeck/grafana) and the check timer examples"

# lintian: no error and no warning on either package. The overrides are the ones the packages
# ship (installer/debian/*.lintian-overrides); each, or its group, has a comment above it saying why.
for o in "$SRC"/installer/debian/*.lintian-overrides; do
    awk -v f="$o" '/^[[:space:]]*$/ { prev = ""; next }
        /^#/ { prev = "#"; next }
        prev == "" { printf "%s: the override \"%s\" has no comment above it saying why\n", f, $0; bad = 1 }
        { prev = "o" } END { exit bad }' "$o" >&2 || fail "an unexplained lintian override"
done
say "lintian on both packages"
LINTIAN_OUT=$(lintian --fail-on error,warning "$AGENT_DEB" "$CONSOLE_DEB" 2>&1) ||
    { printf '%s\n' "$LINTIAN_OUT" >&2; fail "lintian reports an error or a warning (above)"; }
pass "lintian: no error or warning on either package ($(grep -c . <<<"$LINTIAN_OUT" || true) informational lines)"

# ---------------------------------------------------------------- the clean root
mkdir -p "$CACHE" "$ARCHIVES/partial"
if [ ! -s "$TARBALL" ]; then
    say "making a clean Debian 12 root with mmdebstrap (once; cached in $TARBALL)"
    # The package lists stay in the root so later runs install offline from the cache.
    mmdebstrap --variant=minbase --include="$INCLUDE" --skip=cleanup/apt/lists --format=tar \
        bookworm "$TARBALL.partial" >"$CACHE/mmdebstrap.log" 2>&1 ||
        { tail -20 "$CACHE/mmdebstrap.log"; fail "mmdebstrap failed"; }
    mv "$TARBALL.partial" "$TARBALL"
fi

WORK=$(mktemp -d /var/tmp/hadeck-pkg.XXXXXX)
ROOT=$WORK/root
NSPAWN_PID=
cleanup() {
    local rc=$?
    if [ -n "$NSPAWN_PID" ] && kill -0 "$NSPAWN_PID" 2>/dev/null; then
        # SIGTERM asks the container's systemd to power off.
        kill -TERM "$NSPAWN_PID" 2>/dev/null || true
        for _ in $(seq 1 60); do kill -0 "$NSPAWN_PID" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$NSPAWN_PID" 2>/dev/null || true
        wait "$NSPAWN_PID" 2>/dev/null || true
    fi
    if [ $rc -ne 0 ] && [ -f "$WORK/console.log" ]; then
        say "the container's console (last lines):"
        tail -30 "$WORK/console.log" >&2 || true
    fi
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
mkdir -p "$ROOT"
tar -C "$ROOT" -xf "$TARBALL"
mkdir -p "$ROOT/opt/hadeck-debs"
cp "$AGENT_DEB" "$CONSOLE_DEB" "$ROOT/opt/hadeck-debs/"
# The root's own sshd for the deployment at the end: loopback only, a port of its own (the root
# shares the host's network), root by key only.
ssh-keygen -q -t ed25519 -N '' -C hadeck-pkg -f "$WORK/id"
mkdir -p "$ROOT/root/.ssh" "$ROOT/etc/ssh/sshd_config.d"
install -m 600 "$WORK/id.pub" "$ROOT/root/.ssh/authorized_keys"
chmod 700 "$ROOT/root/.ssh"
printf 'Port %s\nListenAddress 127.0.0.1\nPasswordAuthentication no\nPermitRootLogin prohibit-password\n' "$SSH_PORT" \
    >"$ROOT/etc/ssh/sshd_config.d/hadeck-pkg.conf"
# A machine where the admin forbids starting services from packages.
printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
chmod 755 "$ROOT/usr/sbin/policy-rc.d"

say "booting the root with systemd as PID 1"
systemd-nspawn --register=no --keep-unit --quiet -D "$ROOT" --machine=hadeck-pkg \
    --bind="$ARCHIVES:/var/cache/apt/archives" --boot </dev/null >"$WORK/console.log" 2>&1 &
NSPAWN_PID=$!
LEADER=
for _ in $(seq 1 200); do
    LEADER=$(ps -o pid= --ppid "$NSPAWN_PID" 2>/dev/null | tr -d ' ' | head -1 || true)
    if [ -n "$LEADER" ] && [ "$(cat "/proc/$LEADER/comm" 2>/dev/null)" = systemd ]; then break; fi
    kill -0 "$NSPAWN_PID" 2>/dev/null || fail "systemd-nspawn exited"
    LEADER=
    sleep 0.1
done
[ -n "$LEADER" ] || fail "no systemd inside the container"

# Run a command inside the booted root, as root or (runas USER) as that user.
cexec() {
    nsenter -t "$LEADER" -m -u -i -n -p -C -r -w -- \
        env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}
runas() { local u=$1; shift; cexec setpriv --reuid="$u" --regid="$u" --init-groups -- "$@"; }

# systemctl fails until systemd's private bus socket exists: poll until the boot is done.
state=
for _ in $(seq 1 240); do
    state=$(cexec systemctl is-system-running 2>/dev/null || true)
    case $state in running | degraded) break ;; esac
    kill -0 "$NSPAWN_PID" 2>/dev/null || fail "the container stopped while booting"
    sleep 0.5
done
case $state in
    running | degraded) pass "systemd $(cexec systemctl --version | head -1 | cut -d' ' -f2) is PID 1 ($state)" ;;
    *) fail "the container's systemd did not come up (state: ${state:-none})" ;;
esac
[ "$(cexec cat /proc/1/comm)" = systemd ] || fail "PID 1 is not systemd"

# ---------------------------------------------------------------- install
say "apt install of both packages"
apt_install() {
    if ! cexec apt-get install -y -q --no-install-recommends "$@" >"$WORK/apt.log" 2>&1; then
        # The cached lists may name files the registry no longer has: refresh once.
        cexec apt-get update -q >>"$WORK/apt.log" 2>&1 || { tail -20 "$WORK/apt.log"; fail "apt-get update failed"; }
        cexec apt-get install -y -q --no-install-recommends "$@" >>"$WORK/apt.log" 2>&1 ||
            { tail -30 "$WORK/apt.log"; fail "apt-get install $* failed"; }
    fi
}
apt_install /opt/hadeck-debs/"$(basename "$AGENT_DEB")" /opt/hadeck-debs/"$(basename "$CONSOLE_DEB")"
for p in hadeck-agent hadeck; do
    [ "$(cexec dpkg-query -W -f='${Status}' "$p")" = "install ok installed" ] || fail "$p is not installed"
done
pass "apt installed hadeck-agent and hadeck with their dependencies"
for f in /usr/sbin/hadeck-agent /usr/bin/hadeck /usr/bin/hadeckctl /usr/share/applications/hadeck.desktop \
    /usr/share/icons/hicolor/scalable/apps/hadeck.svg /usr/share/man/man8/hadeck-agent.8.gz \
    /usr/share/man/man1/hadeck.1.gz /usr/share/man/man1/hadeckctl.1.gz /etc/hadeck/agent.toml; do
    cexec test -f "$f" || fail "$f is missing after the installation"
done
cexec hadeckctl --version >/dev/null || fail "hadeckctl does not run: a library dependency is missing"
cexec ldd /usr/bin/hadeck | grep -q 'not found' && fail "hadeck has unresolved libraries"
pass "programs, man pages, desktop entry, icon and configuration installed; hadeckctl runs"

for g in hadeck hadeck-operator hadeck-admin; do
    cexec getent group "$g" >/dev/null || fail "group $g was not created"
done
pass "groups hadeck, hadeck-operator and hadeck-admin exist"
[ "$(cexec stat -c '%a %U:%G' /var/lib/hadeck)" = "750 root:root" ] ||
    fail "/var/lib/hadeck is $(cexec stat -c '%a %U:%G' /var/lib/hadeck), not 750 root:root"
pass "/var/lib/hadeck is 750 root:root"
[ "$(cexec systemctl is-enabled hadeck-agent.service)" = enabled ] || fail "the unit is not enabled"
pass "the unit is enabled"
st=$(cexec systemctl is-active hadeck-agent.service || true)
[ "$st" = inactive ] || fail "the agent is '$st' although policy-rc.d said no"
pass "policy-rc.d said no: the agent was not started"

# ---------------------------------------------------------------- start, hello, permissions
cexec rm -f /usr/sbin/policy-rc.d
cexec systemctl start hadeck-agent.service || { cexec journalctl -u hadeck-agent --no-pager | tail -20; fail "systemctl start failed"; }
show=$(cexec systemctl show -p Type -p ActiveState -p SubState -p MainPID hadeck-agent.service)
grep -qx 'Type=notify' <<<"$show" || fail "unit type: $show"
grep -qx 'ActiveState=active' <<<"$show" || fail "not active after start: $show"
cexec test -S "$SOCK" || fail "no socket at $SOCK once systemctl start returned (Type=notify)"
pass "Type=notify: active with its socket when systemctl start returns"
PID1=$(grep '^MainPID=' <<<"$show" | cut -d= -f2)

cexec useradd -m -G hadeck alice
cexec useradd -m bob
HELLO='{"jsonrpc":"2.0","id":1,"method":"agent.hello","params":{"protocolVersion":1,"client":"pkg-test"}}'
hello_as() { printf '%s\n' "$HELLO" | runas "$1" timeout 10 socat -t 5 - "UNIX-CONNECT:$SOCK"; }
reply=$(hello_as alice) || fail "alice (member of hadeck) could not talk to the agent"
grep -q '"result"' <<<"$reply" && grep -q '"user":"alice"' <<<"$reply" && grep -q '"permission":"read"' <<<"$reply" ||
    fail "agent.hello for alice (expected user alice, permission read): $reply"
pass "a member of hadeck gets agent.hello ($(grep -o '"agentVersion":"[^"]*"' <<<"$reply"))"
if out=$(hello_as bob 2>&1); then
    fail "bob (not in hadeck) was let in: $out"
fi
grep -qi 'permission denied' <<<"$out" || fail "bob was refused, but not by the socket's permissions: $out"
pass "a non-member is refused (permission denied)"

# ---------------------------------------------------------------- reload, journal
cexec sed -i 's/^# name = "lb1"$/name = "pkg-reloaded"/' /etc/hadeck/agent.toml
cexec grep -q '^name = "pkg-reloaded"' /etc/hadeck/agent.toml || fail "could not edit the configuration"
cexec systemctl reload hadeck-agent.service ||
    { cexec journalctl -u hadeck-agent --no-pager | tail -20 >&2; fail "systemctl reload failed"; }
PID2=$(cexec systemctl show -p MainPID --value hadeck-agent.service)
[ "$PID1" = "$PID2" ] || fail "reload restarted the agent ($PID1 -> $PID2)"
reply=$(hello_as alice) || fail "no hello after the reload"
grep -q '"node":"pkg-reloaded"' <<<"$reply" || fail "the reload did not re-read the configuration: $reply"
pass "systemctl reload re-read the configuration (same PID $PID1, node name now pkg-reloaded)"

journal=$(cexec journalctl -u hadeck-agent.service -o json --no-pager)
entry=$(grep '"MESSAGE":"configuration reloaded' <<<"$journal" | head -1 || true)
[ -n "$entry" ] || fail "the journal has no 'configuration reloaded' entry from the agent"
grep -q '"_TRANSPORT":"journal"' <<<"$entry" || fail "the agent's entry did not come over the native journal protocol: $entry"
grep -q '"PRIORITY":"6"' <<<"$entry" || fail "the agent's entry has no info priority: $entry"
grep -q '"CODE_FILE":' <<<"$entry" || fail "the agent's entry has no code location: $entry"
grep -q '"MESSAGE":"listening on /run/hadeck/agent.sock' <<<"$journal" || fail "no 'listening on' entry in the journal"
pass "the journal has the agent's structured entries (native transport, PRIORITY, CODE_FILE)"

say "systemd-analyze security hadeck-agent.service:"
security=$(cexec systemd-analyze security --no-pager hadeck-agent.service 2>&1 || true)
printf '%s\n' "$security" >&2
score=$(grep -o 'Overall exposure level for hadeck-agent.service: .*' <<<"$security" || true)
[ -n "$score" ] || fail "systemd-analyze security gave no score"
pass "$score"

# ---------------------------------------------------------------- upgrade (same action again)
cexec apt-get install -y -q --reinstall /opt/hadeck-debs/"$(basename "$AGENT_DEB")" >"$WORK/apt.log" 2>&1 ||
    { tail -20 "$WORK/apt.log"; fail "reinstalling hadeck-agent failed"; }
PID3=$(cexec systemctl show -p MainPID --value hadeck-agent.service)
[ "$(cexec systemctl is-active hadeck-agent.service)" = active ] || fail "the agent is down after an upgrade"
[ "$PID3" != "$PID2" ] || fail "an upgrade did not restart the agent on the new binary"
reply=$(hello_as alice) || fail "no hello after the upgrade"
grep -q '"node":"pkg-reloaded"' <<<"$reply" || fail "the upgrade lost the admin's configuration: $reply"
pass "an upgrade restarts the agent (PID $PID2 -> $PID3) and keeps the edited configuration"

# ---------------------------------------------------------------- remove, purge
cexec sh -c 'echo state >/var/lib/hadeck/pkg-test-marker'
cexec apt-get remove -y -q hadeck-agent >"$WORK/apt.log" 2>&1 || fail "apt-get remove failed"
st=$(cexec systemctl is-active hadeck-agent.service || true)
[ "$st" != active ] || fail "the agent still runs after remove"
cexec test -f /var/lib/hadeck/pkg-test-marker || fail "remove deleted the state"
cexec test -f /etc/hadeck/agent.toml || fail "remove deleted the configuration"
pass "remove stopped the agent and kept the state and the configuration"
cexec apt-get purge -y -q hadeck-agent hadeck >"$WORK/apt.log" 2>&1 || fail "apt-get purge failed"
for f in /var/lib/hadeck /etc/hadeck /run/hadeck /lib/systemd/system/hadeck-agent.service \
    /etc/systemd/system/multi-user.target.wants/hadeck-agent.service /usr/sbin/hadeck-agent /usr/bin/hadeck; do
    cexec test -e "$f" && fail "$f is left after purge"
done
left=$(cexec dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 2>/dev/null | grep ' hadeck' || true)
[ -z "$left" ] || fail "dpkg still knows: $left"
for g in hadeck-operator hadeck-admin; do
    cexec getent group "$g" >/dev/null && fail "purge left the empty group $g"
done
cexec getent group hadeck | grep -q alice || fail "purge removed the group hadeck that alice is in"
pass "purge removed the state, the configuration, the unit and the empty groups (hadeck stays: alice is in it)"

# ---------------------------------------------------------------- reinstall, started
apt_install /opt/hadeck-debs/"$(basename "$AGENT_DEB")"
[ "$(cexec systemctl is-active hadeck-agent.service)" = active ] ||
    fail "without policy-rc.d the installation did not start the agent"
reply=$(hello_as alice) || fail "no hello after the reinstallation"
grep -q '"result"' <<<"$reply" || fail "agent.hello after the reinstallation: $reply"
pass "without policy-rc.d the installation starts the agent, and it answers"

# ---------------------------------------------------------------- deploy over SSH, started by systemd
# The console's "Install agent" onto a node with systemd and no agent: what the lab (no systemd
# in its nodes) cannot show.
cexec apt-get purge -y -q hadeck-agent >"$WORK/apt.log" 2>&1 || fail "apt-get purge before the deployment failed"
cexec test -e /usr/sbin/hadeck-agent && fail "the agent is still installed before the deployment"
for _ in $(seq 1 100); do
    ssh-keyscan -T 2 -p "$SSH_PORT" 127.0.0.1 >"$WORK/known_hosts" 2>/dev/null && [ -s "$WORK/known_hosts" ] && break
    sleep 0.3
done
[ -s "$WORK/known_hosts" ] || { cexec systemctl status ssh --no-pager >&2 || true; fail "the root's sshd does not answer on 127.0.0.1:$SSH_PORT"; }
cat >"$WORK/cluster.json" <<JSON
{"name": "pkg", "knownHosts": "$WORK/known_hosts", "nodes": [
  {"name": "pkgnode", "address": "127.0.0.1", "port": $SSH_PORT, "user": "root", "key": "$WORK/id"}]}
JSON
say "hadeckctl deploy onto the root over SSH"
if ! deployed=$(HADECK_LANG=en timeout 300 "$CTL" --cluster "$WORK/cluster.json" --batch --json deploy pkgnode \
    --package "$AGENT_DEB" 2>"$WORK/deploy.err"); then
    cat "$WORK/deploy.err" >&2
    printf '%s\n' "$deployed" >&2
    cexec journalctl -u hadeck-agent --no-pager | tail -20 >&2 || true
    fail "hadeckctl deploy failed"
fi
[ "$(cexec systemctl is-active hadeck-agent.service)" = active ] || fail "after the deployment the agent is not active under systemd"
[ "$(cexec systemctl is-enabled hadeck-agent.service)" = enabled ] || fail "after the deployment the unit is not enabled"
MAIN=$(cexec systemctl show -p MainPID --value hadeck-agent.service)
[ "$(cexec cat "/proc/$MAIN/comm")" = hadeck-agent ] || fail "systemd's MainPID $MAIN is not the agent"
cexec test -e /run/hadeck-agent.pid && fail "the deployment started the agent outside systemd (start-stop-daemon's pid file)"
grep -q '"ok": true' <<<"$deployed" && grep -q '"versionAfter": "' <<<"$deployed" ||
    fail "the deployment does not report the node done with its new version: $deployed"
pass "hadeckctl deploy over SSH installed the agent, systemd started it (PID $MAIN, enabled), and it said hello"

say "all $PASSED checks passed in $((SECONDS - T0)) s"
