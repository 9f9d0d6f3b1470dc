"""How sure a benchmark's median ratio is: a bootstrap interval, and the verdict it allows.

A goal sits at a line; on a shared machine one run differs from the next by more than a few
percent. So a ratio is called above its goal only when the whole 95% interval of its median
is: the rounds (or runs) are resampled with replacement, with a fixed seed so reruns of the
same figures agree.
"""

from __future__ import annotations

import random
import statistics

__all__ = ["median_interval", "verdict"]


def median_interval(values: list[float], resamples: int = 2000) -> tuple[float, float]:
    """A 95% bootstrap interval for the median of ``values``."""
    draw = random.Random(17)  # noqa: S311 - resampling, not secrets
    medians = sorted(
        statistics.median(draw.choices(values, k=len(values))) for _ in range(resamples)
    )
    return medians[int(resamples * 0.025)], medians[int(resamples * 0.975) - 1]


def verdict(low: float, high: float, goal: float | None, shown: str = "{:.2f}") -> str:
    """What the interval ``low``-``high`` says of ``goal`` (at least it), in words."""
    if goal is None:
        return "no goal: for comparison"
    wanted = f"goal >= {shown.format(goal)}"
    if low >= goal:
        return f"{wanted}: met, the whole interval above it"
    if high < goal:
        return f"{wanted}: not met, the whole interval below it"
    return f"{wanted}: the interval holds the goal, so not clearly met"
