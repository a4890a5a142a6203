#!/usr/bin/env python3
"""Checks a wiretimed run against the e2e accuracy limits.

Reads the test_error_ns column (the virtual clock minus the host CLOCK_REALTIME, written by the
daemon as test instrumentation) of its measurements and tracking logs and checks:
  * |error| falls below --converge-limit within --converge seconds of --start, and
  * |error| stays below --steady-limit for every record after --converge seconds.
Records are placed in time by their own date/time columns (the disciplined clock's reading,
within milliseconds of the truth, which is plenty for placing them in a 60 s window).
Prints a one-line summary; exit status 1 when a limit is broken or there are too few records.
"""
import argparse
import calendar
import sys


def records(path):
    out = []
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                continue
            cols = line.split()
            if len(cols) < 3 or cols[-1] == "-":
                continue
            date, clock = cols[0], cols[1]
            y, mo, d = (int(x) for x in date.split("-"))
            hh, mm, ss = clock.split(":")
            t = calendar.timegm((y, mo, d, int(hh), int(mm), 0)) + float(ss)
            out.append((t, int(cols[-1]) * 1e-9))
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--start", type=float, required=True, help="daemon start, Unix seconds")
    p.add_argument("--converge", type=float, default=60.0)
    p.add_argument("--converge-limit", type=float, default=100e-6)
    p.add_argument("--steady-limit", type=float, default=20e-6)
    p.add_argument("--min-steady", type=int, default=5, help="records needed after --converge")
    p.add_argument("logs", nargs="+")
    a = p.parse_args()
    recs = sorted(r for path in a.logs for r in records(path))
    converged_at = next((t - a.start for t, e in recs if abs(e) < a.converge_limit), None)
    steady = [(t - a.start, e) for t, e in recs if t - a.start > a.converge]
    worst = max((abs(e) for _, e in steady), default=float("nan"))
    bad = [(round(t, 1), round(e * 1e6, 2)) for t, e in steady if abs(e) >= a.steady_limit]
    print(f"records {len(recs)}; |error| < {a.converge_limit * 1e6:g} us first at "
          f"{converged_at if converged_at is None else round(converged_at, 1)} s; "
          f"after {a.converge:g} s: {len(steady)} records, max |error| {worst * 1e6:.2f} us, "
          f"{len(bad)} at or above {a.steady_limit * 1e6:g} us {bad[:5]}")
    ok = (converged_at is not None and converged_at <= a.converge and not bad
          and len(steady) >= a.min_steady)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
