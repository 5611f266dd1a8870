"""Summarise py-spy raw samples (bench/fanout.py --profile FILE): where the server's time goes.

    python bench/profile_report.py FILE [--top 25]
"""

import argparse
import collections


def frame_name(frame: str) -> str:
    name, _, where = frame.partition(" (")
    return f"{name} ({where.split('/')[-1].rstrip(')')})" if where else name


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--top", type=int, default=25)
    options = parser.parse_args()
    own, inclusive, total = collections.Counter(), collections.Counter(), 0
    with open(options.file) as samples:
        for line in samples:
            stack, _, count = line.rstrip().rpartition(" ")
            frames = [frame_name(f) for f in stack.split(";")]
            total += int(count)
            own[frames[-1]] += int(count)
            for name in set(frames):
                inclusive[name] += int(count)
    print(f"{total} samples")
    print("\nself time")
    for name, count in own.most_common(options.top):
        print(f"{100 * count / total:5.1f}%  {name}")
    print("\ninclusive time")
    for name, count in inclusive.most_common(options.top):
        print(f"{100 * count / total:5.1f}%  {name}")


if __name__ == "__main__":
    main()
