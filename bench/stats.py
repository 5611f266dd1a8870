"""Summary statistics shared by the benchmarks."""


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100), or None when there are no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]
