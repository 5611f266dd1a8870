"""Plot p50/p99 publish-to-receipt latency against room size for both engines.

    python bench/plot.py bench/results/sizes.json docs/performance.png
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(source: str, target: str) -> None:
    with open(source) as results:
        runs = json.load(results)["runs"]
    figure, axis = plt.subplots(figsize=(7, 4.2), dpi=120)
    styles = {"hub": "tab:blue", "baseline": "tab:red"}
    for engine, colour in styles.items():
        points = sorted((r["clients"], r["latency_ms"]) for r in runs
                        if r["engine"] == engine and r["latency_ms"]["p50"])
        if not points:
            continue
        sizes = [p[0] for p in points]
        axis.plot(sizes, [p[1]["p50"] for p in points], "o-", color=colour, label=f"{engine} p50")
        axis.plot(sizes, [p[1]["p99"] for p in points], "s--", color=colour, label=f"{engine} p99")
    axis.set_xlabel("clients in one room")
    axis.set_ylabel("publish → receipt latency (ms)")
    axis.set_yscale("log")
    axis.set_title("Chat fan-out on Daphne, 2 cores: platform hub vs Channels group_send")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend()
    figure.tight_layout()
    figure.savefig(target)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
