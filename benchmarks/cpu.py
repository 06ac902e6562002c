"""The least CPU time a piece of work takes, per item (shared by the benchmark scripts)."""

from __future__ import annotations

import time
from typing import Callable


def cpu_ms(work: Callable[[], object], count: int, repeat: int) -> float:
    """CPU milliseconds per item of the fastest of ``repeat`` runs of ``work``, which
    handles ``count`` items."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best / count * 1000
