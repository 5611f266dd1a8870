"""Matchmaking scheduler benchmark: generated events whose requests can all be placed (they come
from a hidden timetable that respects availability and tables), at several densities. Prints
how many meetings the scheduler placed against the number possible, and its run time.
Pure Python, no database:

    python bench/matchmaking_scheduler.py --people 200 --requests 600 --slots 10 --seeds 20
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

from matchmaking import scheduler  # noqa: E402


def generate(people: int, requests: int, slots: int, tables: int, seed: int):
    """Pairs and a grid for `people` participants (60% on site) and `requests` meetings."""
    rng = random.Random(seed)
    ids = list(range(1, people + 1))
    on_site = {p for p in ids if p % 5 < 3}
    slot_ids = list(range(1, slots + 1))
    hidden: dict[tuple[int, int], int] = {}
    per_slot = -(-requests // slots)
    for slot in slot_ids:
        order, taken, tables_used = rng.sample(ids, len(ids)), 0, 0
        for a, b in zip(order[0::2], order[1::2], strict=True):
            key = (min(a, b), max(a, b))
            both = a in on_site and b in on_site
            if key in hidden or (both and tables_used == tables):
                continue
            hidden[key] = slot
            taken += 1
            tables_used += both
            if taken == per_slot or len(hidden) == requests:
                break
    busy = {(p, s) for (a, b), s in hidden.items() for p in (a, b)}
    available = {p: set(slot_ids) for p in ids}
    for p in ids[::3]:
        for s in rng.sample(slot_ids, 3):
            if (p, s) not in busy:
                available[p].discard(s)
    pairs = [scheduler.Pair(n, a, b, a in on_site and b in on_site) for n, (a, b) in enumerate(hidden, start=1)]
    rng.shuffle(pairs)
    grid = scheduler.Grid(slots=slot_ids, available=available, busy={},
                          free_tables={s: list(range(1, tables + 1)) for s in slot_ids})
    return pairs, grid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--slots", type=str, default="7,10,12", help="comma-separated slot counts")
    parser.add_argument("--tables", type=int, default=25)
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    for slots in (int(s) for s in args.slots.split(",")):
        placed, possible, seconds = [], [], []
        for seed in range(args.seeds):
            pairs, grid = generate(args.people, args.requests, slots, args.tables, seed)
            started = time.perf_counter()
            report = scheduler.plan(pairs, grid)
            seconds.append(time.perf_counter() - started)
            placed.append(report.placed_count)
            possible.append(len(pairs))
        density = 2 * args.requests / (args.people * slots)
        worst = min(p / q for p, q in zip(placed, possible, strict=True))
        print(f"{slots:3d} slots (each person busy {density:.0%} of the time): placed {sum(placed)} of "
              f"{sum(possible)} possible over {args.seeds} events (worst {worst:.1%}); "
              f"run time median {statistics.median(seconds) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
