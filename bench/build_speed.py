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
import main as checkout

checkout.use_checkout()

from bench.memory import Peak, mb
from bench.scaled_corpus import REALDOCS, SEEDS, make_corpus
from bigan.core import bank, parse_pool, segment


def _jieba_default(path: str) -> int:
    import jieba

    return sum(1 for _ in jieba.cut(Path(path).read_text(encoding="utf-8")))


def _jieba_search(path: str) -> int:
    import jieba

    return sum(1 for _ in jieba.cut_for_search(Path(path).read_text(encoding="utf-8"), HMM=False))


def _jieba_init() -> None:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()


def jieba_alone(files: list[Path], workers: int, mode=_jieba_default) -> float:
    """Seconds for jieba alone to segment every file on the same cores, pool start and dictionary load included."""
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers, initializer=_jieba_init) as pool:
        list(pool.map(mode, [str(f) for f in files], chunksize=1))
    return time.perf_counter() - started


PEAKS: list[Peak] = []


def parse_alone(files: list[Path], workers: int) -> float:
    """Seconds for the build's parse workers alone to read every file, nothing written: the floor of a build."""
    started = time.perf_counter()
    for _ in parse_pool.parse_files([str(f) for f in files], {}, workers):
        pass
    return time.perf_counter() - started


def bank_build(files: list[Path], db: Path, cache: bool = True) -> float:
    """Seconds for a fresh bank build of the files; cache=False makes every clause a first sight (worst case, for
    jieba: rjieba cuts whole texts and keeps no cache)."""
    segment.CLAUSE_CACHE = 300_000 if cache else 0
    started = time.perf_counter()
    with Peak() as peak:
        report = bank.build(files, db, fresh=True)
    PEAKS.append(peak)
    elapsed = time.perf_counter() - started
    assert not report.skipped, report.skipped
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=40.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the corpus and bank in this folder")
    parser.add_argument(
        "--real", action="store_true", help="the real reports (../shared/realdocs) and the seeds, not a scaled corpus"
    )
    args = parser.parse_args()
    workers = min(2, os.cpu_count() or 1)
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        if args.real:
            files = sorted(REALDOCS.glob("*.txt")) + sorted(SEEDS.glob("*.txt"))
        else:
            files = make_corpus(base / "corpus", args.mb)
        mb_total = sum(f.stat().st_size for f in files) / 1e6
        print(f"corpus: {len(files)} files, {mb_total:.1f} MB; {workers} worker processes")
        rows = []
        for run in range(args.runs):
            default = jieba_alone(files, workers)
            search = jieba_alone(files, workers, _jieba_search)
            build = bank_build(files, base / "bank.db")
            worst = bank_build(files, base / "bank.db", cache=False)
            parse = parse_alone(files, workers)
            rows.append((default, search, build, worst, parse))
            print(
                f"run {run + 1}: jieba.cut {default:.1f} s ({mb_total / default:.2f} MB/s) · jieba search mode, "
                f"no HMM {search:.1f} s · bank build {build:.1f} s ({mb_total / build:.2f} MB/s), "
                f"ratio {build / default:.2f} · "
                f"without the clause cache {worst:.1f} s, ratio {worst / default:.2f} · "
                f"parse alone {parse:.1f} s, ratio {parse / default:.2f}"
            )
        med = [statistics.median(col) for col in zip(*rows)]
        ratio = statistics.median(row[2] / row[0] for row in rows)
        ratio_worst = statistics.median(row[3] / row[0] for row in rows)
        ratio_parse = statistics.median(row[4] / row[0] for row in rows)
        print(
            f"median: jieba.cut {med[0]:.1f} s, search mode {med[1]:.1f} s, bank build {med[2]:.1f} s "
            f"({mb_total / med[2]:.2f} MB/s), ratio {ratio:.2f} to jieba.cut (goal ≤ 0.5); "
            f"without the clause cache {med[3]:.1f} s, ratio {ratio_worst:.2f}; "
            f"parse alone (nothing written) {med[4]:.1f} s, ratio {ratio_parse:.2f}"
        )
        print(bank.stats(base / "bank.db"))
        size = (base / "bank.db").stat().st_size
        print(
            f"segmenter {segment.backend()}; build memory (max over runs) main {mb(max(p.main for p in PEAKS))}, "
            f"tree {mb(max(p.tree for p in PEAKS))}; bank {mb(size)} = {size / (mb_total * 1e6):.2f}× the corpus"
        )


if __name__ == "__main__":
    main()
