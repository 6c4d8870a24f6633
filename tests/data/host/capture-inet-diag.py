#!/usr/bin/env python3
"""Captures the fixtures of tst_proc_net_tcp's one-walk dump: in a fresh network namespace
(run under `unshare -n`), a listener and one connection on 127.0.0.1:8080 and on [::1]:8081,
then the kernel's reply to a TCPDIAG_GETSOCK dump (both families in one walk of the hash
table) and /proc/net/tcp and tcp6 at the same moment.
  unshare -n python3 capture-inet-diag.py OUTDIR"""
import os, socket, struct, subprocess, sys

out = sys.argv[1]
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
keep = []
for fam, addr, port in ((socket.AF_INET, "127.0.0.1", 8080), (socket.AF_INET6, "::1", 8081)):
    l = socket.socket(fam, socket.SOCK_STREAM)
    l.bind((addr, port)); l.listen(4)
    c = socket.socket(fam, socket.SOCK_STREAM); c.connect((addr, port))
    s, _ = l.accept()
    keep += [l, c, s]

NETLINK_SOCK_DIAG, TCPDIAG_GETSOCK, NLM_F_REQUEST, NLM_F_DUMP = 4, 18, 1, 0x300
req = struct.pack("=BBBB", 0, 0, 0, 0) + bytes(48) + struct.pack("=II", 0xFFFFFFFF, 0)
msg = struct.pack("=IHHII", 16 + len(req), TCPDIAG_GETSOCK, NLM_F_REQUEST | NLM_F_DUMP, 1, 0) + req
n = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_SOCK_DIAG)
n.settimeout(5)
n.sendto(msg, (0, 0))
reply = b""
while True:
    part = n.recv(65536)
    reply += part
    off, done = 0, False
    while off + 16 <= len(part):  # walk the messages: NLMSG_DONE (3) ends the dump
        length, kind = struct.unpack_from("=IH", part, off)
        done = done or kind == 3
        off += (length + 3) & ~3
    if done:
        break
open(os.path.join(out, "inet_diag-tcp-both.bin"), "wb").write(reply)
for name in ("tcp", "tcp6"):
    open(os.path.join(out, "net_%s-with-diag-both" % name), "w").write(open("/proc/net/" + name).read())
