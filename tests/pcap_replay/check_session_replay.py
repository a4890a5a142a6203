#!/usr/bin/env python3
"""Issue 4 item 8b: replays a recorded wiretime<->server session with wiretime-replay and checks
that the offset and delay of every exchange equal those computed here, independently, from the
capture's own timestamps, within 1 us (--tolerance-ns).

Independent of the project's code: the pcap is parsed with struct (classic pcap, microsecond or
nanosecond records), NTP fields are read as raw 64-bit integers and all arithmetic is exact
(integers and fractions, no floats). T1 is the capture time of the client request whose transmit
field (wiretime's random cookie) equals the reply's origin, T4 the reply's capture time, T2 and
T3 the reply's receive and transmit fields. Every server reply to the client must be matched to
a request and appear in the tool's output exactly once.

Exit 0 pass, 1 fail.
"""
import argparse
import struct
import subprocess
import sys
from fractions import Fraction

NTP_UNIX_OFFSET = 2_208_988_800
ERA = 1 << 32


def read_pcap(path):
    """(capture time in ns, frame bytes) of every record of a classic pcap file."""
    with open(path, "rb") as f:
        data = f.read()
    magic_le = struct.unpack_from("<I", data, 0)[0]
    for endian, magic in (("<", magic_le), (">", struct.unpack_from(">I", data, 0)[0])):
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            break
    else:
        sys.exit(f"FAIL: {path} is not a classic pcap file (record with dumpcap -F pcap)")
    sub_ns = 1000 if magic == 0xA1B2C3D4 else 1
    linktype = struct.unpack_from(endian + "I", data, 20)[0]
    if linktype != 1:
        sys.exit(f"FAIL: {path}: link type {linktype}, not Ethernet")
    off = 24
    while off + 16 <= len(data):
        sec, sub, caplen, _ = struct.unpack_from(endian + "IIII", data, off)
        off += 16
        yield sec * 1_000_000_000 + sub * sub_ns, data[off:off + caplen]
        off += caplen


def ntp_of(frame):
    """(src ip, dst ip, mode, origin, receive, transmit) of an NTP-over-UDP frame, or None."""
    ethertype = struct.unpack_from("!H", frame, 12)[0]
    if ethertype == 0x0800:
        ihl = (frame[14] & 0x0F) * 4
        if frame[14 + 9] != 17:
            return None
        src, dst = frame[26:30], frame[30:34]
        udp = 14 + ihl
    elif ethertype == 0x86DD:
        if frame[14 + 6] != 17:
            return None
        src, dst = frame[22:38], frame[38:54]
        udp = 54
    else:
        return None
    sport, dport = struct.unpack_from("!HH", frame, udp)
    if 123 not in (sport, dport) or len(frame) < udp + 8 + 48:
        return None
    ntp = udp + 8
    mode = frame[ntp] & 0x07
    origin, receive, transmit = struct.unpack_from("!QQQ", frame, ntp + 24)
    return bytes(src), bytes(dst), mode, origin, receive, transmit


def safe_ntp_of(frame):
    """ntp_of, with truncated frames counting as not NTP."""
    try:
        return ntp_of(frame)
    except (struct.error, IndexError):
        return None


def ntp_to_unix_ns(raw, pivot_ns):
    """Exact Unix time (Fraction of ns) of a 64-bit NTP timestamp, in the era nearest pivot."""
    seconds = Fraction(raw, ERA)
    pivot_s = Fraction(pivot_ns, 1_000_000_000) + NTP_UNIX_OFFSET
    era = round((pivot_s - seconds) / ERA)
    return (seconds + era * ERA - NTP_UNIX_OFFSET) * 1_000_000_000


def expected_exchanges(path, precision_log2):
    packets = [(t, safe_ntp_of(f)) for t, f in read_pcap(path)]
    packets = [(t, n) for t, n in packets if n is not None]
    client = next((n[1] for _, n in packets if n[2] == 4), None)
    if client is None:
        sys.exit(f"FAIL: {path} holds no server reply")
    requests = [(t, n[5]) for t, n in packets if n[2] == 3 and n[0] == client]
    floor = Fraction(1_000_000_000) * Fraction(2) ** precision_log2
    exchanges = {}
    for t4, n in packets:
        if n[2] != 4 or n[1] != client:
            continue
        origin = n[3]
        t1 = max((t for t, cookie in requests if cookie == origin and t <= t4), default=None)
        if t1 is None:
            sys.exit(f"FAIL: reply at {t4} ns: origin {origin:016x} matches no request")
        if origin in exchanges:
            sys.exit(f"FAIL: two replies echo origin {origin:016x}")
        t2 = ntp_to_unix_ns(n[4], t4)
        t3 = ntp_to_unix_ns(n[5], t4)
        offset = ((t2 - t1) + (t3 - t4)) / 2
        delay = max((t4 - t1) - (t3 - t2), floor)
        exchanges[origin] = (t1, t4, offset, delay)
    return exchanges, len(requests)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tool", required=True, help="path to wiretime-replay")
    ap.add_argument("--tolerance-ns", type=int, default=1000)
    ap.add_argument("--min-exchanges", type=int, default=1)
    ap.add_argument("--precision", type=int, default=-24, help="log2 s, as given to the tool")
    ap.add_argument("capture")
    args = ap.parse_args()

    expected, n_requests = expected_exchanges(args.capture, args.precision)
    run = subprocess.run([args.tool, args.capture, "--precision", str(args.precision)],
                         capture_output=True, text=True, timeout=50)
    sys.stderr.write("".join(l + "\n" for l in run.stderr.splitlines() if not l.startswith("EAL")))
    if run.returncode != 0:
        print(f"FAIL: wiretime-replay exit status {run.returncode}")
        return 1
    lines = run.stdout.splitlines()
    if not lines or lines[0] != "origin,t1_ns,t2_ns,t3_ns,t4_ns,offset_ns,delay_ns":
        print("FAIL: unexpected output header")
        return 1
    status = 0
    seen = set()
    worst_offset = worst_delay = Fraction(0)
    print(f"{'origin':>16} {'offset ns':>12} {'delay ns':>10} {'d(off)':>7} {'d(del)':>7}")
    for line in lines[1:]:
        fields = line.split(",")
        origin = int(fields[0], 16)
        t1, _, _, t4, offset, delay = (int(x) for x in fields[1:])
        if origin not in expected or origin in seen:
            print(f"FAIL: tool exchange {origin:016x} is not a (single) reply of the capture")
            status = 1
            continue
        seen.add(origin)
        e_t1, e_t4, e_offset, e_delay = expected[origin]
        d_offset, d_delay = offset - e_offset, delay - e_delay
        worst_offset = max(worst_offset, abs(d_offset))
        worst_delay = max(worst_delay, abs(d_delay))
        print(f"{origin:016x} {offset:12d} {delay:10d} {float(d_offset):7.2f} {float(d_delay):7.2f}")
        if (t1, t4) != (e_t1, e_t4):
            print(f"FAIL: {origin:016x}: T1/T4 {t1}/{t4}, capture {e_t1}/{e_t4}")
            status = 1
        if abs(d_offset) > args.tolerance_ns or abs(d_delay) > args.tolerance_ns:
            print(f"FAIL: {origin:016x}: off by more than {args.tolerance_ns} ns")
            status = 1
    missing = set(expected) - seen
    print(f"{n_requests} requests, {len(expected)} replies in the capture, {len(seen)} exchanges "
          f"from wiretime-replay; worst difference offset {float(worst_offset):.2f} ns, "
          f"delay {float(worst_delay):.2f} ns")
    if missing:
        print(f"FAIL: {len(missing)} replies of the capture missing from the tool's output")
        status = 1
    if len(expected) < args.min_exchanges:
        print(f"FAIL: {len(expected)} exchanges, fewer than {args.min_exchanges}")
        status = 1
    print("PASS" if status == 0 else "FAIL")
    return status


if __name__ == "__main__":
    sys.exit(main())
