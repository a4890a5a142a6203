#!/usr/bin/env python3
"""Raw NTP clients for the access/rate e2e test: mode-3 requests from chosen source addresses,
replies classified as time (stratum 1-15), RATE or DENY KoD (stratum 0), unsynchronised
(stratum 16) or none. Every loop is bounded in count and time.

  ntp_probe.py SERVER single SRC [COUNT] [GAP_S]   -> one JSON line: {"time":n,"RATE":n,"DENY":n,"none":n}
  ntp_probe.py SERVER flood FLOOD_SRC OTHER_SRC N SECONDS
      FLOOD_SRC sends N requests spread over SECONDS; OTHER_SRC one request every 0.25 s meanwhile;
      replies collected until 1 s after the last send. JSON with both tallies.
"""
import json
import os
import select
import socket
import struct
import sys
import time

NTP_EPOCH = 2208988800


def request(tag):
    # LI 0, VN 4, mode 3; transmit = now with `tag` in the low bits (to match replies).
    now = time.time() + NTP_EPOCH
    secs = int(now)
    frac = (int((now - secs) * 2**32) & ~0xFFFF) | (tag & 0xFFFF)
    return struct.pack("!BBbb11I", 0x23, 0, 6, -20, *([0] * 9), secs, frac), (secs << 32) | frac


def classify(data, sent):
    if len(data) < 48:
        return None
    mode = data[0] & 7
    stratum = data[1]
    refid = data[12:16]
    origin = struct.unpack("!Q", data[24:32])[0]
    if mode != 4 or origin not in sent:
        return None
    if stratum == 0:
        return refid.decode("ascii", "replace").strip("\0")
    return "time" if stratum < 16 else "unsync"


def sock(src):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.setblocking(False)
    return s


def drain(socks, sent, tallies, until):
    while True:
        left = until - time.monotonic()
        if left <= 0:
            return
        r, _, _ = select.select(socks, [], [], left)
        for s in r:
            while True:
                try:
                    data = s.recv(512)
                except BlockingIOError:
                    break
                kind = classify(data, sent[s])
                if kind:
                    tallies[s][kind] = tallies[s].get(kind, 0) + 1


def main():
    server, what = sys.argv[1], sys.argv[2]
    dst = (server, 123)
    if what == "single":
        src = sys.argv[3]
        count = int(sys.argv[4]) if len(sys.argv) > 4 else 1
        gap = float(sys.argv[5]) if len(sys.argv) > 5 else 0.3
        s = sock(src)
        sent = {s: set()}
        tallies = {s: {}}
        for i in range(min(count, 100)):
            pkt, ts = request(i)
            sent[s].add(ts)
            s.sendto(pkt, dst)
            drain([s], sent, tallies, time.monotonic() + gap)
        drain([s], sent, tallies, time.monotonic() + 0.7)
        t = tallies[s]
        t["none"] = count - sum(t.values())
        print(json.dumps(t))
        return
    flood_src, other_src, n, seconds = sys.argv[3], sys.argv[4], int(sys.argv[5]), float(sys.argv[6])
    n = min(n, 5000)
    seconds = min(seconds, 10.0)
    f, o = sock(flood_src), sock(other_src)
    sent = {f: set(), o: set()}
    tallies = {f: {}, o: {}}
    start = time.monotonic()
    other_sent = 0
    next_other = start
    for i in range(n):
        due = start + seconds * i / n
        while time.monotonic() < due:
            drain([f, o], sent, tallies, min(due, time.monotonic() + 0.005))
        if time.monotonic() >= next_other:
            pkt, ts = request(60000 + other_sent)
            sent[o].add(ts)
            o.sendto(pkt, dst)
            other_sent += 1
            next_other += 0.25
        pkt, ts = request(i)
        sent[f].add(ts)
        f.sendto(pkt, dst)
    drain([f, o], sent, tallies, time.monotonic() + 1.0)
    print(json.dumps({"flood": tallies[f], "flood_sent": n, "other": tallies[o],
                      "other_sent": other_sent}))


if __name__ == "__main__":
    main()
