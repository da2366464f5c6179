"""Matching latency per heading, in one process answering many headings, on the bundled and a scaled bank."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import main as checkout

checkout.use_checkout()

from bench.scaled_corpus import make_corpus
from bigan.core import bank
from bigan.core.match import Matcher
from bigan.core.paths import BUNDLED_CORPUS

HEADINGS = [h["text"] for h in json.loads((ROOT / "tests/data/match_dev.json").read_text("utf-8"))["headings"]]


def measure(db: Path, rounds: int) -> dict[str, float]:
    """Load time and per-heading latency figures (ms) for one bank."""
    started = time.perf_counter()
    matcher = Matcher(db)
    load = time.perf_counter() - started
    matcher.match(HEADINGS[0])
    times = []
    for _ in range(rounds):
        for heading in HEADINGS:
            t = time.perf_counter()
            matcher.match(heading, limit=10)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "load_s": load,
        "mean_ms": statistics.fmean(times),
        "median_ms": statistics.median(times),
        "p95_ms": times[int(0.95 * (len(times) - 1))],
        "max_ms": times[-1],
        "n": len(times),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scaled-db", type=Path, help="an existing scaled bank (else one is built, ~1 min)")
    parser.add_argument("--mb", type=float, default=40.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--skip-scaled", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "bundled.db"
        bank.build([BUNDLED_CORPUS], small)
        banks = {"bundled": small}
        if not args.skip_scaled:
            scaled = args.scaled_db
            if scaled is None:
                scaled = Path(tmp) / "scaled.db"
                bank.build(make_corpus(Path(tmp) / "corpus", args.mb), scaled)
            banks[f"scaled ({scaled.stat().st_size / 1e6:.0f} MB bank)"] = scaled
        for name, db in banks.items():
            r = measure(db, args.rounds)
            print(
                f"{name}: load {r['load_s']:.2f} s; per heading mean {r['mean_ms']:.1f} ms, median "
                f"{r['median_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, max {r['max_ms']:.1f} ms over {r['n']} queries"
            )


if __name__ == "__main__":
    main()
