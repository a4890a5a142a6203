#!/usr/bin/env python3
"""Sends ICMPv6 echo requests to ADDRESS and exits 0 on the first matching reply (ping may be
absent from minimal systems). The kernel fills the ICMPv6 checksum of raw ICMPv6 sockets."""
import os
import select
import socket
import struct
import sys
import time


def main():
    address = sys.argv[1]
    ident = os.getpid() & 0xFFFF
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    for seq in range(1, 4):
        s.sendto(struct.pack("!BBHHH", 128, 0, 0, ident, seq) + b"wiretime", (address, 0))
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            ready, _, _ = select.select([s], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            data, _ = s.recvfrom(1500)
            if len(data) >= 8:
                kind, _, _, rid, rseq = struct.unpack("!BBHHH", data[:8])
                if kind == 129 and rid == ident and rseq == seq:
                    return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
