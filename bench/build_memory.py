"""Peak memory of a fresh bank build (search index included) on the scaled corpora of bench/large_bank.py, each
size alone in this process: the build process and its whole tree (parse workers)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import main as checkout

checkout.use_checkout()

from bench.large_bank import corpus
from bench.memory import Peak, mb
from bigan.core import bank

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Build each size's corpus into a new bank and print the peaks."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, nargs="+", default=[4.0, 40.0])
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "large", help="the corpora's folder")
    args = parser.parse_args()
    for size in args.mb:
        files = corpus(args.work, size)
        with tempfile.TemporaryDirectory() as tmp, Peak() as peak:
            bank.build(files, Path(tmp) / "bank.db", fresh=True)
        print(
            f"{size:g} MB ({len(files)} files): build memory main {mb(peak.main)} (private {mb(peak.private)}), "
            f"tree {mb(peak.tree)} (proportional {mb(peak.tree_pss)})",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
