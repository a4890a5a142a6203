#!/usr/bin/env python3
"""Summary of a run_server_veth.sh run: per target, the highest rate answered with < 1 % loss
and the response time there, as ratios to chronyd; the response-time histograms at one common
rate and the DPDK lcore's own RX-to-TX histogram as PNGs (gnuplot).

    summarise.py RESULTS_DIR [--common-rate R]
"""
import json
import os
import shutil
import subprocess
import sys

TARGETS = [("reflector", "wt_loadgen reflect (null server)"),
           ("dpdk", "wiretimed, DPDK net_af_packet"),
           ("socket", "wiretimed, socket backend"),
           ("chronyd", "chronyd -x")]


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip().startswith("{")]


def achieved(step):
    """The rate the generator really offered (it falls short of the asked one at its ceiling)."""
    return (step["sent"] - step["send_errors"]) / step["duration_s"]


def best(steps):
    ok = [s for s in steps if s["loss"] < 0.01 and s["answered"] > 0]
    return max(ok, key=achieved) if ok else None


def histograms(path):
    out = {}
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                continue
            rate, lower, count = (int(x) for x in line.split())
            out.setdefault(rate, []).append((lower, count))
    return out


def plot(script):
    if shutil.which("gnuplot") is None:
        print("(gnuplot missing: no PNG)")
        return
    subprocess.run(["gnuplot"], input=script.encode(), check=True)


def main():
    d = sys.argv[1]
    common = None
    if "--common-rate" in sys.argv:
        common = int(sys.argv[sys.argv.index("--common-rate") + 1])
    runs = {t: load(os.path.join(d, t + ".jsonl")) for t, _ in TARGETS
            if os.path.exists(os.path.join(d, t + ".jsonl"))}
    rows = {t: best(s) for t, s in runs.items()}
    ref = rows.get("chronyd")
    print("| server | highest rate with < 1 % loss (req/s) | ratio to chronyd | "
          "response p50 / p99 there (us) | p50 / p99 ratio to chronyd | first rate over 1 % loss |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for t, name in TARGETS:
        if t not in runs:
            continue
        b = rows[t]
        over = next((s for s in runs[t] if s["loss"] >= 0.01), None)
        over_text = (f"{achieved(over):.0f} ({over['loss'] * 100:.1f} % lost)" if over
                     else "none (ran out of rates)")
        if b is None:
            print(f"| {name} | none | | | | {over_text} |")
            continue
        ratio = f"{achieved(b) / achieved(ref):.2f}" if ref else ""
        lat_ratio = (f"{b['p50_us'] / ref['p50_us']:.2f} / {b['p99_us'] / ref['p99_us']:.2f}"
                     if ref and ref["p50_us"] > 0 and ref["p99_us"] > 0 else "")
        print(f"| {name} | {achieved(b):.0f} | {ratio} | {b['p50_us']:.1f} / {b['p99_us']:.1f} | "
              f"{lat_ratio} | {over_text} |")

    # Every step: offered (achieved) rate and loss, per target.
    print("\nEvery step (asked rate: offered rate, loss %):\n")
    print("| asked (req/s) | " + " | ".join(name for t, name in TARGETS if t in runs) + " |")
    print("| ---: | " + " | ".join("---:" for t, _ in TARGETS if t in runs) + " |")
    for rate in sorted({s["rate"] for steps in runs.values() for s in steps}):
        cells = []
        for t, _ in TARGETS:
            if t not in runs:
                continue
            s = next((s for s in runs[t] if s["rate"] == rate), None)
            cells.append(f"{achieved(s) / 1000:.0f} k: {s['loss'] * 100:.2f} %" if s else "")
        print(f"| {rate} | " + " | ".join(cells) + " |")

    # One rate every target answered without loss: the response times side by side.
    answered = [set(s["rate"] for s in runs[t] if s["loss"] < 0.01) for t in runs]
    rates = set.intersection(*answered) if answered else set()
    if common is None and rates:
        common = max(rates)
    if common is not None:
        print(f"\nAt {common} req/s (every server under 1 % loss):\n")
        print("| server | answered | p50 (us) | p99 (us) | p99.9 (us) | max (us) |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for t, name in TARGETS:
            s = next((s for s in runs.get(t, []) if s["rate"] == common), None)
            if s:
                print(f"| {name} | {s['answered']}/{s['sent'] - s['send_errors']} | "
                      f"{s['p50_us']:.1f} | {s['p99_us']:.1f} | {s['p999_us']:.1f} | {s['max_us']:.1f} |")
        series = []
        for t, name in TARGETS:
            p = os.path.join(d, t + ".hist")
            if not os.path.exists(p):
                continue
            h = histograms(p).get(common)
            if not h:
                continue
            total = sum(c for _, c in h)
            data = os.path.join(d, f"{t}.{common}.dat")
            with open(data, "w") as f:
                for lower, c in h:
                    f.write(f"{lower / 1000:.3f} {c / total:.6f}\n")
            series.append(f"'{data}' using 1:2 with steps title '{name}'")
        if series:
            png = os.path.join(d, "response_time.png")
            plot(f"""set terminal pngcairo size 1000,500 noenhanced
set output '{png}'
set title 'NTP response time seen by wt_loadgen at {common} req/s (veth, kernel RX stamp - send time)'
set logscale x
set xlabel 'response time (us), log scale; buckets 1/32 of an octave'
set ylabel 'fraction of replies per bucket'
set grid
plot {", ".join(series)}
""")
            print(f"\n(plot: {png})")

    tel = os.path.join(d, "dpdk-telemetry.json")
    if os.path.exists(tel):
        with open(tel) as f:
            text = f.read()
        start = text.find("{")
        try:
            obj = json.loads(text[start:text.rfind("}") + 1])
        except ValueError:
            obj = None
        s = obj.get("/wiretime/server") if obj else None
        if s:
            print(f"\nDPDK lcore, per reply, all rates of the run ({s['latency_replies']} replies):\n")
            print("| from the RX burst's TSC to | p50 (us) | p99 (us) | p99.9 (us) | max (us) |")
            print("| --- | ---: | ---: | ---: | ---: |")
            for prefix, name in (("latency_", "the TX burst call (T3 read)"),
                                 ("latency_tx_return_", "the TX burst's return")):
                us = [float(s[prefix + k]) / 1000 for k in ("p50_ns", "p99_ns", "p999_ns", "max_ns")]
                print(f"| {name} | " + " | ".join(f"{v:.2f}" for v in us) + " |")
            series = []
            for prefix, name in (("latency_", "RX burst to TX burst call"),
                                 ("latency_tx_return_", "RX burst to TX burst return")):
                buckets = []
                for k, v in s.items():
                    if k.startswith(prefix + "buckets_"):
                        buckets += [(float(b), n) for b, n in v.items()]
                buckets.sort()
                total = sum(n for _, n in buckets) or 1
                data = os.path.join(d, f"lcore_{prefix.rstrip('_')}.dat")
                with open(data, "w") as f:
                    for b, n in buckets:
                        f.write(f"{b / 1000:.4f} {n / total:.6f}\n")
                series.append(f"'{data}' using 1:2 with steps title '{name}'")
            png = os.path.join(d, "lcore_latency.png")
            plot(f"""set terminal pngcairo size 1000,500 noenhanced
set output '{png}'
set title 'wiretimed DPDK lcore, net_af_packet on veth: latency per reply ({s["latency_replies"]} replies)'
set logscale x
set logscale y
set xlabel 'latency (us), log scale; buckets 1/32 of an octave'
set ylabel 'fraction of replies per bucket (log)'
set grid
plot {", ".join(series)}
""")
            print(f"(plot: {png})")


if __name__ == "__main__":
    main()
