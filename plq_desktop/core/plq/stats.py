"""Rank statistics in numpy (the only statistic the product needs; scipy is not a dependency)."""

from __future__ import annotations

import numpy as np


def rankdata(values) -> np.ndarray:
    """Ranks 1..n with ties given their average rank (scipy.stats.rankdata's 'average')."""
    x = np.asarray(values, dtype=np.float64).ravel()
    order = np.argsort(x, kind="mergesort")
    sorted_x = x[order]
    # Start of each run of equal values, then the average rank of each run.
    starts = np.flatnonzero(np.r_[True, sorted_x[1:] != sorted_x[:-1]])
    ends = np.r_[starts[1:], len(x)]
    average = (starts + ends + 1) / 2.0
    ranks = np.empty(len(x), dtype=np.float64)
    ranks[order] = np.repeat(average, ends - starts)
    return ranks


def spearman(a, b) -> float:
    """Spearman's rank correlation; NaN when either side is constant or there are fewer than 2 pairs."""
    a, b = np.asarray(a, dtype=np.float64).ravel(), np.asarray(b, dtype=np.float64).ravel()
    if a.shape != b.shape:
        raise ValueError(f"spearman() needs two samples of one length, got {a.size} and {b.size}")
    if a.size < 2:
        return float("nan")
    ra, rb = rankdata(a) - (a.size + 1) / 2.0, rankdata(b) - (b.size + 1) / 2.0
    denominator = np.sqrt((ra * ra).sum() * (rb * rb).sum())
    return float((ra * rb).sum() / denominator) if denominator > 0 else float("nan")
