#!/usr/bin/env python3
"""Checks the wiretime-pcap command line: exit codes (0 ok, 1 unreadable file, 2 usage), and
that `decode` prints one valid JSON object per frame, numbered from 1, with an error reason
for every frame that is not NTP."""

import json
import os
import subprocess
import sys
import tempfile


def run(tool, *args):
    return subprocess.run([tool, *args], capture_output=True, text=True)


def main():
    tool, data = sys.argv[1], sys.argv[2]
    failures = []

    def expect(cond, what):
        if not cond:
            failures.append(what)

    for args, code in [((), 2), (("frobnicate",), 2), (("decode",), 2),
                       (("decode", "--bogus", "x.pcap"), 2), (("decode", "a", "b"), 2),
                       (("decode", "--ntp-port"), 2), (("decode", "--ntp-port", "0", "x"), 2),
                       (("decode", "--ntp-port", "70000", "x"), 2),
                       (("decode", "/nonexistent/file.pcap"), 1)]:
        p = run(tool, *args)
        expect(p.returncode == code, f"{args}: exit {p.returncode}, expected {code}")
        expect(p.stderr.strip() != "", f"{args}: no message on stderr")
    for args in [("--help",), ("decode", "--help")]:
        p = run(tool, *args)
        expect(p.returncode == 0 and "usage:" in p.stdout, f"{args}: help not printed")

    with tempfile.NamedTemporaryFile(suffix=".pcap") as junk:
        junk.write(b"this is not a pcap file at all")
        junk.flush()
        p = run(tool, "decode", junk.name)
        expect(p.returncode == 1, f"garbage file: exit {p.returncode}, expected 1")

    if os.path.isdir(data):
        path = os.path.join(data, "zeek-NTP_sync.pcap")  # 2 DNS frames, then 30 NTP
        p = run(tool, "decode", path)
        expect(p.returncode == 0, f"decode: exit {p.returncode}: {p.stderr}")
        records = [json.loads(line) for line in p.stdout.splitlines()]
        expect([r["frame"] for r in records] == list(range(1, len(records) + 1)),
               "frame numbers are not 1..N")
        expect(len(records) == 32, f"{len(records)} records, expected 32")
        expect(records[0].get("error") == "not NTP", f"DNS frame: {records[0]}")
        expect(records[0]["time"].startswith("2004-09-27T"), f"capture time {records[0]['time']}")
        expect(all("ntp" in r and "error" not in r for r in records[2:]), "NTP frames")
        # Checksum verification is opt-in: the loopback capture has no IPv4 header checksum.
        path = os.path.join(data, "zeek-ntp-no-extensions-mac.pcap")
        r = json.loads(run(tool, "decode", "--verify-checksums", path).stdout)
        expect(r.get("error") == "bad IPv4 header checksum", f"--verify-checksums: {r}")
        r = json.loads(run(tool, "decode", "--no-gre",
                           os.path.join(data, "zeek-gre-sample.pcap")).stdout.splitlines()[8])
        expect(r.get("error") == "not UDP" and r.get("protocol") == 47, f"--no-gre: {r}")

    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
