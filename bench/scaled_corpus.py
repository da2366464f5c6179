"""Make a large synthetic corpus from the seeds: same outlines, bodies recombined from seed sentences."""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "resources" / "corpus"
_SENTENCES = re.compile(r"[^。！？]+[。！？]")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])")


def _pool(texts: list[str]) -> list[str]:
    return [s for t in texts for s in _SENTENCES.findall(t) if 8 <= len(s) <= 200]


def make_corpus(out: Path, target_mb: float, seed: int = 7) -> list[Path]:
    """Write seed-shaped files until about target_mb megabytes; every body paragraph is a new mix."""
    out.mkdir(parents=True, exist_ok=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    pool = _pool(texts)
    rng = random.Random(seed)
    written: list[Path] = []
    total = 0
    copy = 0
    while total < target_mb * 1_000_000:
        for path, text in zip(seeds, texts):
            lines = []
            for line in text.splitlines():
                sentences = _SENTENCES.findall(line)
                if len(line) > 60 and not _HEADING.match(line) and len(sentences) >= 2:
                    line = "".join(rng.choice(pool) for _ in sentences)
                lines.append(line)
            target = out / f"{copy:04d}_{path.name}"
            data = "\n".join(lines).encode("utf-8")
            target.write_bytes(data)
            written.append(target)
            total += len(data)
        copy += 1
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--mb", type=float, default=40.0)
    args = parser.parse_args()
    files = make_corpus(args.out, args.mb)
    print(f"{len(files)} files, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB in {args.out}")
