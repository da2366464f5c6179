"""Make a large synthetic corpus from the seeds: same outlines, bodies recombined from seed sentences."""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "resources" / "corpus"
_SENTENCES = re.compile(r"[^。！？]+[。！？]")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])")


def _pool(texts: list[str]) -> list[str]:
    return [s for t in texts for s in _SENTENCES.findall(t) if 8 <= len(s) <= 200]


REALDOCS = ROOT.parent / "shared" / "realdocs" / "statecouncil"
_FIGURE = re.compile(r"\d+(?:\.\d+)?")


def _vary(sentence: str, rng: random.Random) -> str:
    """The sentence with each figure replaced by another of the same kind (digits, decimals)."""

    def other(match: re.Match[str]) -> str:
        text = match.group()
        if "." in text:
            whole, part = text.split(".")
            return f"{rng.randint(0, max(9, int(whole) * 2))}.{rng.randint(0, 10 ** len(part) - 1):0{len(part)}d}"
        if len(text) == 4 and text.startswith(("19", "20")):
            return str(rng.randint(1990, 2026))
        return str(rng.randint(1, 10 ** len(text) - 1))

    return _FIGURE.sub(other, sentence)


def _write_mixes(
    out: Path, templates: list[Path], target_mb: float, seed: int, name: Callable[[int, Path], str], vary: bool
) -> list[Path]:
    """Write copies of the templates until about target_mb megabytes: each keeps its template's outline and short
    lines; every long paragraph is a new mix of the templates' sentences (their figures varied, if asked)."""
    out.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text(encoding="utf-8") for p in templates]
    pool = _pool(texts)
    rng = random.Random(seed)
    written: list[Path] = []
    total = 0
    copy = 0
    while total < target_mb * 1_000_000:
        for path, text in zip(templates, texts):
            lines = []
            for line in text.splitlines():
                sentences = _SENTENCES.findall(line)
                if len(line) > 60 and not _HEADING.match(line) and len(sentences) >= 2:
                    mixed = (rng.choice(pool) for _ in sentences)
                    line = "".join(_vary(m, rng) if vary else m for m in mixed)
                lines.append(line)
            target = out / name(copy, path)
            data = "\n".join(lines).encode("utf-8")
            target.write_bytes(data)
            written.append(target)
            total += len(data)
            if total >= target_mb * 1_000_000:
                break
        copy += 1
    return written


def make_corpus(out: Path, target_mb: float, seed: int = 7) -> list[Path]:
    """Write seed-shaped files until about target_mb megabytes; every body paragraph is a new mix."""
    return _write_mixes(out, sorted(SEEDS.glob("*.txt")), target_mb, seed, lambda n, p: f"{n:04d}_{p.name}", False)


def make_mixed_corpus(out: Path, target_mb: float, seed: int = 11) -> list[Path]:
    """Write files in the seeds' and the real reports' shapes until about target_mb megabytes, figures varied."""
    templates = sorted(SEEDS.glob("*.txt")) + sorted(REALDOCS.glob("*.txt"))
    return _write_mixes(out, templates, target_mb, seed, lambda n, p: f"{n:04d}_{p.parent.name}_{p.name}", True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--mb", type=float, default=40.0)
    args = parser.parse_args()
    files = make_corpus(args.out, args.mb)
    print(f"{len(files)} files, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB in {args.out}")
