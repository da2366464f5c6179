"""How well PDF lines are re-joined into the source's paragraphs: boundary precision and recall, per sample set."""

from __future__ import annotations

import argparse
import bisect
import difflib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import main as checkout

checkout.use_checkout()

from bench.office_samples import SEEDS, STATECOUNCIL, draft_lines, make_set, normalised, source_texts
from bench.pdf_libraries import REPORT_YEARS
from bigan.core.pdftext import read_pdf


def _boundaries(paragraphs: list[str]) -> tuple[str, list[int]]:
    text, ends = "", []
    for p in paragraphs:
        text += normalised(p)
        ends.append(len(text))
    return text, ends


def _score(source: list[str], found: list[str]) -> tuple[int, int, int, int]:
    """(right found boundaries, source boundaries found, found, in the source), matched through an alignment."""
    a, a_ends = _boundaries(source)
    b, b_ends = _boundaries(found)
    blocks = difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    starts = [blk.b for blk in blocks]
    mapped = set()
    for end in b_ends:
        i = bisect.bisect_right(starts, end) - 1
        if i >= 0:
            blk = blocks[i]
            mapped.add(blk.a + min(end - blk.b, blk.size))
    wanted = set(a_ends)
    right = sum(1 for m in mapped if {m - 1, m, m + 1} & wanted)
    recalled = sum(1 for w in wanted if {w - 1, w, w + 1} & mapped)
    return right, recalled, len(b_ends), len(a_ends)


def _report(name: str, pairs: list[tuple[Path, Path]], show: int) -> None:
    right = recalled = found = wanted = 0
    for pdf, source in pairs:
        lines = draft_lines(source.read_text(encoding="utf-8", errors="replace"))
        paragraphs = read_pdf(pdf.read_bytes()).paragraphs
        r, c, f, w = _score(lines, paragraphs)
        right, recalled, found, wanted = right + r, recalled + c, found + f, wanted + w
        if show:
            print(f"  {pdf.name}: {r}/{f} found boundaries right, {c}/{w} source boundaries found")
    precision, recall = right / max(found, 1), recalled / max(wanted, 1)
    print(f"{name:22} precision {precision:.3f}  recall {recall:.3f}  ({wanted} paragraphs)")


def main() -> None:
    """Print boundary precision/recall for the tuning set (seeds) and the report set (State Council)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", action="store_true", help="also print each file's figures")
    args = parser.parse_args()
    reports = [STATECOUNCIL / f"{y}.txt" for y in REPORT_YEARS]
    _report("seeds, GB/T (tuning)", make_set("pdf-seeds-official", source_texts(SEEDS), "pdf-official"), args.files)
    _report("seeds, plain (tuning)", make_set("pdf-seeds-plain", source_texts(SEEDS), "pdf-plain"), args.files)
    _report("statecouncil, GB/T", make_set("pdf-sc-official", reports, "pdf-official"), args.files)
    _report("statecouncil, plain", make_set("pdf-sc-plain", reports, "pdf-plain"), args.files)


if __name__ == "__main__":
    main()
