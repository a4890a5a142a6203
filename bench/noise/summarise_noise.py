#!/usr/bin/env python3
"""Measurement-noise summary: wiretimed's per-sample log beside chronyd's measurements.log.

Both clients measure the same chronyd server over their own veth, in the same run, and both
clocks are the host's CLOCK_REALTIME (wiretimed's virtual clock with its test offset at 0), so
the true offset is 0: the mean is the bias, the standard deviation the noise.

Inputs:
- wiretimed's measurements log (docs/operations.md, "Logs"): columns date time source stratum
  leap poll reason offset_s delay_s dispersion_s stamp test_error_ns; only `ok` samples count.
  `test_error_ns` is the virtual clock's error against the host's CLOCK_REALTIME when the line
  was written, so a sample's error against the truth is offset_s + test_error_ns (the offset of
  a perfect measurement is minus the clock's error). The older skeleton format
  "<RFC 3339 time> sample ... offset_ns=N delay_ns=N" is read too (error = offset: its clock was
  never steered).
- chronyd's `log rawmeasurements` / `log measurements` file (chrony.conf(5)): column 12 offset
  (theta, s), column 13 peer delay. chronyd -x never steers the clock, which is the truth, so
  the error is the offset.
Both offsets use the RFC 5905 sign: positive = the local clock is behind the server.
"""
import argparse
import datetime
import statistics
import sys


def parse_rfc3339(text):
    # 2026-11-27T20:41:55.035018310Z: datetime takes microseconds only.
    text = text.rstrip("Z")
    whole, _, frac = text.partition(".")
    base = datetime.datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S")
    base = base.replace(tzinfo=datetime.timezone.utc).timestamp()
    return base + (float("0." + frac) if frac else 0.0)


def read_wiretimed(path):
    samples = []
    with open(path) as f:
        for line in f:
            words = line.split()
            if not words or line.startswith("#"):
                continue
            if "sample" in words:  # skeleton key=value format
                kv = dict(w.split("=", 1) for w in words if "=" in w)
                if "offset_ns" not in kv or "delay_ns" not in kv:
                    continue
                try:
                    t = parse_rfc3339(words[0])
                except ValueError:
                    t = float(len(samples))
                samples.append((t, float(kv["offset_ns"]) * 1e-9, float(kv["delay_ns"]) * 1e-9,
                                kv.get("rx_stamp", "?")))
                continue
            if len(words) < 12 or words[6] != "ok":
                continue
            try:
                t = parse_rfc3339(words[0] + "T" + words[1] + "Z")
                offset, delay = float(words[7]), float(words[8])
                error = 0.0 if words[11] == "-" else float(words[11]) * 1e-9
            except ValueError:
                continue
            samples.append((t, offset + error, delay, words[10]))
    return samples


def read_chrony(path):
    samples = []
    with open(path) as f:
        for line in f:
            words = line.split()
            if len(words) < 13 or not words[0][:1].isdigit():
                continue  # header / separator lines
            try:
                t = datetime.datetime.strptime(words[0] + " " + words[1], "%Y-%m-%d %H:%M:%S")
                t = t.replace(tzinfo=datetime.timezone.utc).timestamp()
                offset, delay = float(words[11]), float(words[12])
            except ValueError:
                continue
            stamps = "tx=%s rx=%s" % (words[18], words[19]) if len(words) >= 20 else "?"
            samples.append((t, offset, delay, stamps))
    return samples


def summarise(name, samples, skip):
    used = samples[skip:]
    if len(used) < 2:
        return None
    offsets = [s[1] for s in used]  # errors against the truth
    delays = [s[2] for s in used]
    # The same samples without the 10 % of highest delay: what a clock filter, which prefers
    # low-delay samples, gets to see. One rule for both clients.
    by_delay = sorted(used, key=lambda s: s[2])
    filtered = [s[1] for s in by_delay[:max(2, (len(by_delay) * 9) // 10)]]
    errors = sorted(abs(o) for o in offsets)
    return {
        "filtered_stdev": statistics.stdev(filtered),
        "p95_abs": errors[min(len(errors) - 1, (len(errors) * 95) // 100)],
        "name": name,
        "n": len(used),
        "mean": statistics.fmean(offsets),
        "stdev": statistics.stdev(offsets),
        "median_delay": statistics.median(delays),
        "stamps": ", ".join(sorted({s[3] for s in used})),
    }


def ratio(a, b):
    return "%.2f" % (a / b) if b else "inf"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wiretimed", required=True, help="wiretimed measurements log")
    ap.add_argument("--chrony", required=True, help="chronyd measurements.log")
    ap.add_argument("--skip", type=int, default=3,
                    help="first samples of each client left out (start-up), default 3")
    args = ap.parse_args()

    rows = [summarise("wiretimed (DPDK net_af_packet)", read_wiretimed(args.wiretimed), args.skip),
            summarise("chronyd -x (kernel socket)", read_chrony(args.chrony), args.skip)]
    if any(r is None for r in rows):
        print("not enough samples: wiretimed %s, chronyd %s" %
              tuple("ok" if r else "missing" for r in rows), file=sys.stderr)
        return 1
    us = 1e6
    print("| client | samples | mean error (us) | std dev (us) | std dev, 90 % lowest delay (us)"
          " | p95 abs error (us) | median delay (us) | timestamps |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in rows:
        print("| %s | %d | %+.2f | %.2f | %.2f | %.1f | %.1f | %s |" % (
            r["name"], r["n"], r["mean"] * us, r["stdev"] * us, r["filtered_stdev"] * us,
            r["p95_abs"] * us, r["median_delay"] * us, r["stamps"]))
    w, c = rows
    print("| ratio chronyd / wiretimed | | %s (of abs) | %s | %s | %s | %s | |" % (
        ratio(abs(c["mean"]), abs(w["mean"])), ratio(c["stdev"], w["stdev"]),
        ratio(c["filtered_stdev"], w["filtered_stdev"]), ratio(c["p95_abs"], w["p95_abs"]),
        ratio(c["median_delay"], w["median_delay"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
