"""How soon a parallel import reports progress and how soon a cancel takes effect, on the real reports.

    python bench/import_progress.py [--runs 3]

Run 1 of each pair records when each progress callback comes; run 2 asks to cancel at the first callback and
times how long until the build stops (BuildCancelled) — both beside the whole build's time.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import main as checkout

checkout.use_checkout()

from bench.scaled_corpus import REALDOCS, SEEDS
from bigan.core import bank, segment


def timed_build(files: list[Path], db: Path) -> tuple[float, float, int]:
    """(first progress callback, whole build) in seconds, and the number of callbacks."""
    calls: list[float] = []
    started = time.perf_counter()
    bank.build(files, db, progress=lambda *_: calls.append(time.perf_counter() - started), fresh=True)
    return calls[0], time.perf_counter() - started, len(calls)


def cancelled_build(files: list[Path], db: Path) -> tuple[float, float]:
    """A build cancelled at its first progress callback: (seconds from the cancel to the stop, from the start)."""
    asked: list[float] = []
    started = time.perf_counter()
    with contextlib.suppress(bank.BuildCancelled):
        bank.build(
            files, db, progress=lambda *_: asked or asked.append(time.perf_counter()), cancelled=lambda: bool(asked)
        )
    ended = time.perf_counter()
    return ended - (asked[0] if asked else ended), ended - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    files = sorted(REALDOCS.glob("*.txt")) + sorted(SEEDS.glob("*.txt"))
    segment.ensure_loaded()
    firsts, wholes, cancels, cancel_wholes = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            first, whole, calls = timed_build(files, Path(tmp) / f"bank{run}.db")
            cancel, cancel_whole = cancelled_build(files, Path(tmp) / "cancelled.db")
            firsts.append(first)
            wholes.append(whole)
            cancels.append(cancel)
            cancel_wholes.append(cancel_whole)
            print(
                f"run {run + 1}: first progress at {first:.2f} s of {whole:.2f} s ({calls} callbacks); a cancel at "
                f"the first callback stopped the build {cancel:.2f} s later ({cancel_whole:.2f} s after it started)"
            )
    print(
        f"median: first progress {statistics.median(firsts):.2f} s of {statistics.median(wholes):.2f} s; "
        f"cancel takes effect {statistics.median(cancels):.2f} s after it is asked "
        f"({statistics.median(cancel_wholes):.2f} s into the build)"
    )


if __name__ == "__main__":
    main()
