#!/usr/bin/env python3
"""Compares `wiretime-pcap decode` with tshark, field by field, on every NTP packet of every
.pcap in the test-data folder. Exit 0 on agreement, 1 on any disagreement (each one printed
with file, frame, field and both values), 77 (ctest SKIP) when the folder is absent."""

import argparse
import calendar
import json
import os
import re
import shutil
import subprocess
import sys

SKIP = 77

# Files whose NTP packets wiretime may reject, with the only reason allowed. The header is
# still compared; the MAC/extension trailer is not.
ALLOWED_ERRORS = {
    # Fuzzer output: NTPv2 with a 25-byte trailer, which is no MAC length.
    "zeek-ntp-no-extensions-mac.pcap": {"bad MAC length"},
}

FIELDS = [
    "frame.number", "ntp.flags", "ntp.flags.li", "ntp.flags.vn", "ntp.flags.mode", "ntp.stratum",
    "ntp.ppoll", "ntp.precision", "ntp.rootdelay", "ntp.rootdispersion", "ntp.refid",
    "ntp.reftime", "ntp.org", "ntp.rec", "ntp.xmt", "ntp.keyid", "ntp.mac", "ntp.ext.type",
    "ntp.ext.length", "udp.srcport", "udp.dstport", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
]
TIMESTAMPS = [("ntp.reftime", "reference"), ("ntp.org", "origin"), ("ntp.rec", "receive"),
              ("ntp.xmt", "transmit")]
MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}
TSHARK_TIME = re.compile(r"^(\w{3}) +(\d+), (\d+) (\d\d):(\d\d):(\d\d)(?:\.(\d+))? UTC$")
ISO_TIME = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{9})Z$")


def tshark_nanos(text):
    m = TSHARK_TIME.match(text)
    if not m:
        raise ValueError(f"unparsed tshark time {text!r}")
    mon, day, year, hh, mm, ss, frac = m.groups()
    secs = calendar.timegm((int(year), MONTHS[mon], int(day), int(hh), int(mm), int(ss)))
    return secs * 10**9 + int((frac or "0").ljust(9, "0")[:9])


def iso_nanos(text):
    m = ISO_TIME.match(text)
    if not m:
        raise ValueError(f"unparsed wiretime time {text!r}")
    y, mo, d, hh, mm, ss, ns = (int(g) for g in m.groups())
    return calendar.timegm((y, mo, d, hh, mm, ss)) * 10**9 + ns


def signed8(text):
    v = int(text)
    return v - 256 if v >= 128 else v


def last(value):
    return value.split(",")[-1] if value else ""


def run_tshark(path):
    cmd = ["tshark", "-r", path, "-Y", "ntp", "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rows = {}
    for line in out.splitlines():
        values = line.split("\t")
        row = dict(zip(FIELDS, values + [""] * (len(FIELDS) - len(values))))
        rows[int(row["frame.number"])] = row
    # Raw timestamp bytes come only from the JSON output.
    cmd = ["tshark", "-r", path, "-Y", "ntp", "-T", "json", "-x", "--no-duplicate-keys",
           "-J", "frame ntp"]
    packets = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    for p in packets:
        layers = p["_source"]["layers"]
        number = int(layers["frame"]["frame.number"])
        ntp = layers.get("ntp", {})
        if isinstance(ntp, list):
            ntp = ntp[-1]
        for field, _ in TIMESTAMPS:
            raw = ntp.get(field + "_raw")
            if raw:
                rows[number][field + "_raw"] = raw[0]
    return rows


def run_wiretime(tool, path):
    proc = subprocess.run([tool, "decode", path], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"wiretime-pcap exited {proc.returncode}: {proc.stderr.strip()}")
    return {r["frame"]: r for r in map(json.loads, proc.stdout.splitlines())}


def compare_file(tool, path):
    name = os.path.basename(path)
    errors = []

    def differ(frame, field, theirs, ours):
        errors.append(f"{name} frame {frame}: {field}: tshark={theirs!r} wiretime={ours!r}")

    tshark = run_tshark(path)
    ours = run_wiretime(tool, path)
    compared = 0
    for frame, t in sorted(tshark.items()):
        w = ours.get(frame)
        if w is None:
            differ(frame, "frame", "present", "missing")
            continue
        ntp = w.get("ntp")
        error = w.get("error")
        if error is not None and error not in ALLOWED_ERRORS.get(name, set()):
            differ(frame, "error", "decodes as NTP", error)
        if ntp is None:
            if error is None:
                differ(frame, "ntp", "NTP", "not NTP")
            continue
        compared += 1
        # Addresses and ports of the (inner) packet: tshark lists outer,inner for tunnels.
        t_src = last(t["ip.src"]) or last(t["ipv6.src"])
        t_dst = last(t["ip.dst"]) or last(t["ipv6.dst"])
        for field, theirs, mine in [("src", t_src, w.get("src")), ("dst", t_dst, w.get("dst")),
                                    ("src_port", last(t["udp.srcport"]), str(w.get("src_port"))),
                                    ("dst_port", last(t["udp.dstport"]), str(w.get("dst_port")))]:
            if theirs != mine:
                differ(frame, field, theirs, mine)
        # Mode 7 calls the top two bits response/more, so tshark has no li there: compare
        # the whole first byte as well as the named fields it does give.
        first_byte = ntp["leap"] << 6 | ntp["version"] << 3 | ntp["mode"]
        if int(t["ntp.flags"], 16) != first_byte:
            differ(frame, "flags byte", t["ntp.flags"], hex(first_byte))
        for field, key in [("ntp.flags.li", "leap"), ("ntp.flags.vn", "version"),
                           ("ntp.flags.mode", "mode")]:
            if t[field] and int(t[field]) != ntp[key]:
                differ(frame, key, t[field], ntp[key])
        if ntp["mode"] in (6, 7):
            if ntp["time_packet"]:
                differ(frame, "time_packet", False, True)
            continue
        for field, key, conv in [("ntp.stratum", "stratum", int), ("ntp.ppoll", "poll", signed8),
                                 ("ntp.precision", "precision", signed8)]:
            if conv(t[field]) != ntp[key]:
                differ(frame, key, t[field], ntp[key])
        for field, key in [("ntp.rootdelay", "root_delay"),
                           ("ntp.rootdispersion", "root_dispersion")]:
            if int(t[field]) != int(ntp[key]["hex"], 16):
                differ(frame, key, t[field], ntp[key]["hex"])
        if int(t["ntp.refid"].replace(":", ""), 16) != int(ntp["refid"]["hex"], 16):
            differ(frame, "refid", t["ntp.refid"], ntp["refid"]["hex"])
        for field, key in TIMESTAMPS:
            ts = ntp[key]
            raw = t.get(field + "_raw")
            if raw is not None and int(raw, 16) != int(ts["hex"], 16):
                differ(frame, key + ".hex", raw, ts["hex"])
            if t[field] == "NULL":
                if ts["utc"] is not None:
                    differ(frame, key + ".utc", "NULL", ts["utc"])
            elif ts["utc"] is None:
                differ(frame, key + ".utc", t[field], None)
            elif abs(tshark_nanos(t[field]) - iso_nanos(ts["utc"])) > 1:
                # tshark truncates to the nanosecond, wiretime rounds: 1 ns apart at most.
                differ(frame, key + ".utc", t[field], ts["utc"])
        if error is not None:
            continue  # the trailer was rejected; nothing more is comparable
        t_types = [int(x, 16) for x in t["ntp.ext.type"].split(",") if x]
        t_lengths = [int(x) for x in t["ntp.ext.length"].split(",") if x]
        if t_types != [e["type"] for e in ntp["extensions"]]:
            differ(frame, "extension types", t_types, [e["type"] for e in ntp["extensions"]])
        if t_lengths != [e["length"] for e in ntp["extensions"]]:
            differ(frame, "extension lengths", t_lengths,
                   [e["length"] for e in ntp["extensions"]])
        mac = ntp.get("mac")
        if t["ntp.keyid"]:
            if mac is None:
                differ(frame, "mac", "key id " + t["ntp.keyid"], None)
            else:
                if int(t["ntp.keyid"].replace(":", ""), 16) != mac["key_id"]:
                    differ(frame, "mac.key_id", t["ntp.keyid"], mac["key_id"])
                t_digest = len(t["ntp.mac"].replace(":", "")) // 2
                if t_digest != mac["digest_length"]:
                    differ(frame, "mac.digest_length", t_digest, mac["digest_length"])
        elif mac is not None:
            differ(frame, "mac", None, mac)
    # Nothing that tshark does not call NTP may be decoded as NTP.
    for frame, w in sorted(ours.items()):
        if "ntp" in w and frame not in tshark:
            differ(frame, "ntp", "not NTP", "NTP")
    return compared, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tool", required=True, help="path to wiretime-pcap")
    parser.add_argument("--data", required=True, help="folder with the .pcap files")
    args = parser.parse_args()
    if not os.path.isdir(args.data):
        print(f"SKIP: test data folder {args.data} is absent")
        return SKIP
    if shutil.which("tshark") is None:
        print("FAIL: tshark is not installed (apt-get install tshark)")
        return 1
    files = sorted(f for f in os.listdir(args.data) if f.endswith(".pcap"))
    if not files:
        print(f"FAIL: no .pcap files in {args.data}")
        return 1
    failures = []
    total = 0
    for f in files:
        compared, errors = compare_file(args.tool, os.path.join(args.data, f))
        total += compared
        print(f"{f}: {compared} NTP packets compared, {len(errors)} disagreements")
        failures += errors
    for e in failures:
        print("DISAGREE:", e)
    print(f"{len(files)} files, {total} packets, {len(failures)} disagreements")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
