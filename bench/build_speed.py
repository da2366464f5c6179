"""Bank build speed on a scaled corpus, against jieba alone segmenting the same text on the same cores."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scaled_corpus import make_corpus
from core import bank


def _jieba_file(path: str) -> int:
    import jieba

    text = Path(path).read_text(encoding="utf-8")
    return sum(1 for _ in jieba.cut_for_search(text, HMM=False))


def _jieba_init() -> None:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()


def jieba_alone(files: list[Path], workers: int) -> float:
    """Seconds for jieba (search mode, no HMM, as the bank uses) to segment every file, pool start included."""
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers, initializer=_jieba_init) as pool:
        list(pool.map(_jieba_file, [str(f) for f in files], chunksize=1))
    return time.perf_counter() - started


def bank_build(files: list[Path], db: Path) -> float:
    """Seconds for a fresh bank build of the files."""
    started = time.perf_counter()
    report = bank.build(files, db, fresh=True)
    elapsed = time.perf_counter() - started
    assert not report.skipped, report.skipped
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=40.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the corpus and bank in this folder")
    args = parser.parse_args()
    workers = min(2, os.cpu_count() or 1)
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        files = make_corpus(base / "corpus", args.mb)
        mb = sum(f.stat().st_size for f in files) / 1e6
        print(f"corpus: {len(files)} files, {mb:.1f} MB; {workers} worker processes")
        ratios, builds, alone = [], [], []
        for run in range(args.runs):
            j = jieba_alone(files, workers)
            b = bank_build(files, base / "bank.db")
            alone.append(j)
            builds.append(b)
            ratios.append(b / j)
            print(
                f"run {run + 1}: jieba alone {j:.1f} s ({mb / j:.2f} MB/s), "
                f"bank build {b:.1f} s ({mb / b:.2f} MB/s), ratio {b / j:.2f}"
            )
        print(
            f"median: jieba alone {statistics.median(alone):.1f} s, bank build {statistics.median(builds):.1f} s "
            f"({mb / statistics.median(builds):.2f} MB/s), ratio {statistics.median(ratios):.2f} (goal ≤ 1.10)"
        )
        print(bank.stats(base / "bank.db"))


if __name__ == "__main__":
    main()
