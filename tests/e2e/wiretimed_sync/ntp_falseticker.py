#!/usr/bin/env python3
"""A scripted NTP server that is wrong on purpose: answers every mode-3 request as a stratum-1
server whose clock is --offset seconds off the host clock. For the falseticker e2e test only."""
import argparse
import socket
import struct
import time

NTP_EPOCH_OFFSET = 2208988800


def ntp_timestamp(unix_ns):
    seconds, nanos = divmod(unix_ns + NTP_EPOCH_OFFSET * 10**9, 10**9)
    return (seconds << 32) | ((nanos << 32) // 10**9)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--address", required=True)
    p.add_argument("--port", type=int, default=123)
    p.add_argument("--offset", type=float, default=0.010)
    a = p.parse_args()
    offset_ns = int(a.offset * 1e9)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a.address, a.port))
    while True:
        data, peer = s.recvfrom(1024)
        received = time.time_ns() + offset_ns
        if len(data) < 48 or data[0] & 7 != 3:
            continue
        version = (data[0] >> 3) & 7
        origin = data[40:48]
        header = struct.pack("!BBbbII4s", (0 << 6) | (version << 3) | 4, 1, data[2], -20, 0, 16,
                             b"FAKE")
        reference = ntp_timestamp(received - 10**9)
        transmit = time.time_ns() + offset_ns
        s.sendto(header + struct.pack("!Q", reference) + origin +
                 struct.pack("!QQ", ntp_timestamp(received), ntp_timestamp(transmit)), peer)


if __name__ == "__main__":
    main()
