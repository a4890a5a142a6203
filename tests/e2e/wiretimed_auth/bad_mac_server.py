#!/usr/bin/env python3
"""An NTP server (mode 4, stratum 1, host clock) whose replies carry the request's key id with
a random digest of the request's length: the MAC of a server that holds another secret. For
the e2e check that the daemon rejects and counts every such reply."""
import argparse
import os
import socket
import struct
import time

NTP_EPOCH = 2208988800


def ntp_now():
    t = time.time() + NTP_EPOCH
    return (int(t) << 32) | int((t % 1) * 2**32)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--address", required=True)
    a = p.parse_args()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a.address, 123))
    while True:
        data, peer = s.recvfrom(1024)
        if len(data) < 48 or data[0] & 7 != 3:
            continue
        rx = ntp_now()
        trailer = data[48:]
        header = struct.pack("!BBbb", (4 << 3) | 4, 1, data[2], -20)
        header += struct.pack("!II4s", 0, 0, b"LOCL")
        header += struct.pack("!Q", rx) + data[40:48] + struct.pack("!QQ", rx, ntp_now())
        mac = trailer[:4] + os.urandom(len(trailer) - 4) if len(trailer) > 4 else b""
        s.sendto(header + mac, peer)


if __name__ == "__main__":
    main()
