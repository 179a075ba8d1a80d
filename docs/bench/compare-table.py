#!/usr/bin/env python3
"""Summarizes the JSON files of docs/bench/compare-artemis.sh as the Markdown table of docs/performance.md.

    python3 docs/bench/compare-table.py /tmp/tern-compare-artemis/json [first-provider second-provider]

(providers as the JSON files name them: tern, artemis, tern-nio; tern and artemis by default)

Per workload: medians over the repetitions (range in brackets) of throughput (S5: deliveries/s), end-to-end
p50 / p99 / p99.9, broker CPU % of one core and broker CPU microseconds per message, disk flushes per second and
the broker's peak RSS; S7 gives its produce and drain phases as two rows.
"""
import glob
import json
import os
import statistics
import sys


def load(directory):
    runs = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        parts = os.path.basename(path)[:-5].split("-")
        workload, provider = parts[0], "-".join(parts[1:-1])
        for run in json.load(open(path))["runs"]:
            phase = workload if workload != "S7" else ("S7 produce" if run["mode"] == "produce" else "S7 drain")
            runs.setdefault((phase, provider), []).append(run)
    return runs


def rate(run):
    return run["received_per_s"] if run["mode"] in ("roundtrip", "consume") else run["sent_per_s"]


def med(values):
    return statistics.median(values) if values else float("nan")


def cell(values, fmt="{:,.0f}"):
    if not values:
        return ""
    if len(values) == 1:
        return fmt.format(values[0])
    return (fmt + " ({}-{})").format(med(values), fmt.format(min(values)), fmt.format(max(values)))


def latency(runs):
    if not runs or "e2e_latency_ms" not in runs[0]:
        return ""
    return " / ".join("{:.2f}".format(med([r["e2e_latency_ms"][p] for r in runs])) for p in ("p50", "p99", "p99.9"))


def main():
    runs = load(sys.argv[1])
    names = sys.argv[2:4] if len(sys.argv) >= 4 else ["tern", "artemis"]
    a, b = (n.capitalize() for n in names)
    print(f"| workload | {a} msg/s (median; range) | {b} msg/s | {a}/{b} | {a} e2e p50 / p99 / p99.9 ms"
          f" | {b} e2e p50 / p99 / p99.9 ms | broker CPU % {a} / {b} | broker CPU µs per msg {a} / {b}"
          f" | disk flushes/s {a} / {b} | broker peak RSS MiB {a} / {b} |")
    print("|---" * 10 + "|")
    phases = sorted({p for p, _ in runs}, key=lambda p: (p[:2], p))
    for phase in phases:
        t, a = runs.get((phase, names[0]), []), runs.get((phase, names[1]), [])
        tr, ar = [rate(r) for r in t], [rate(r) for r in a]
        ratio = med(tr) / med(ar) if tr and ar and med(ar) > 0 else float("nan")
        cpu = lambda rs: med([r.get("broker_cpu_pct", float("nan")) for r in rs])
        per = lambda rs: med([r.get("broker_cpu_pct", 0) * 1e4 / rate(r) for r in rs if rate(r) > 0])
        flush = lambda rs: med([r.get("disk_flushes_per_s", float("nan")) for r in rs])
        rss = lambda rs: max([r.get("broker_peak_rss_bytes", 0) for r in rs]) / 2**20 if rs else float("nan")
        print("| {} | {} | {} | {:.2f} | {} | {} | {:.0f} / {:.0f} | {:.0f} / {:.0f} | {:,.0f} / {:,.0f} | {:.0f} / {:.0f} |".format(
            phase, cell(tr), cell(ar), ratio, latency(t), latency(a), cpu(t), cpu(a), per(t), per(a),
            flush(t), flush(a), rss(t), rss(a)))


if __name__ == "__main__":
    main()
