"""Checking a 30-page draft against the bundled bank: seconds for the whole review, median of several runs."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import main as checkout

checkout.use_checkout()

from bigan.core import bank
from bigan.core.copycheck import CopyChecker
from bigan.core.corpus import parse_file
from bigan.core.paths import BUNDLED_CORPUS
from bigan.core.review import review

PAGE_CHARS = 22 * 28


def thirty_page_draft() -> str:
    """A draft of about 30 pages built from the seeds' outlines and passages."""
    lines = ["某单位2025年工作总结及2026年工作计划"]
    for path in sorted(BUNDLED_CORPUS.glob("*.txt")):
        for doc in parse_file(path)[1]:
            for section in doc.sections:
                lines.append(section.number + section.heading)
                lines.extend(p.text for p in doc.passages if p.section == section.position and p.kind == "paragraph")
                if sum(len(line) for line in lines) > 30 * PAGE_CHARS:
                    return "\n".join(lines) + "\n"
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    text = thirty_page_draft()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bank.db"
        bank.build([BUNDLED_CORPUS], db)
        checker = CopyChecker(db)
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            result = review(text, checker=checker)
            times.append(time.perf_counter() - started)
        print(
            f"draft: {len(text)} characters (~{len(text) / PAGE_CHARS:.0f} pages); findings {len(result.findings)}, "
            f"copied share {result.copied_share:.0%}; review median {statistics.median(times):.3f} s "
            f"(min {min(times):.3f}, max {max(times):.3f}) over {args.runs} runs (goal ≤ 1 s)"
        )


if __name__ == "__main__":
    main()
