"""pypdfium2 against pypdf on Chinese text PDFs made by LibreOffice: speed and character-level fidelity."""

from __future__ import annotations

import argparse
import difflib
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import main as checkout

checkout.use_checkout()

from bench.office_samples import SEEDS, STATECOUNCIL, draft_lines, make_set, normalised, source_texts

REPORT_YEARS = ["1954", "1978", "1984", "1993", "1998", "2003", "2008", "2013", "2018", "2023"]


def _pdfium_text(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def _pypdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def _odd(char: str) -> bool:
    code = ord(char)
    # Private use, replacement, Kangxi/CJK radicals (fonts often map 一 to ⼀), compatibility ideographs.
    return 0xE000 <= code <= 0xF8FF or code == 0xFFFD or 0x2E80 <= code <= 0x2FDF or 0xF900 <= code <= 0xFAFF


def _compare(source: str, extracted: str) -> dict[str, float]:
    a, b = normalised(source), normalised(extracted)
    common = sum((Counter(a) & Counter(b)).values())
    return {
        "similarity": difflib.SequenceMatcher(None, a, b, autojunk=False).ratio(),
        "missing": len(a) - common,
        "extra": len(b) - common,
        "odd": sum(1 for c in b if _odd(c)),
        "chars": len(a),
    }


def _measure(name: str, pairs: list[tuple[Path, Path]], official: bool, runs: int) -> None:
    for label, extract in (("pypdfium2", _pdfium_text), ("pypdf", _pypdf_text)):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            texts = [extract(pdf) for pdf, _ in pairs]
            times.append(time.perf_counter() - started)
        scores = []
        for (_, source), text in zip(pairs, texts):
            raw = source.read_text(encoding="utf-8", errors="replace")
            scores.append(_compare("\n".join(draft_lines(raw)) if official else raw, text))
        pages = sum(_pages(pdf) for pdf, _ in pairs)
        median = statistics.median(times)
        print(
            f"{name:22} {label:9}  {median:6.2f} s  {pages / median:6.1f} pages/s  "
            f"similarity {statistics.mean(s['similarity'] for s in scores):.4f} (min "
            f"{min(s['similarity'] for s in scores):.4f})  missing {sum(s['missing'] for s in scores):5d}  "
            f"extra {sum(s['extra'] for s in scores):5d}  odd {sum(s['odd'] for s in scores):4d}  "
            f"of {sum(s['chars'] for s in scores)} chars"
        )


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def main() -> None:
    """Print, per sample set and library, the median extraction time and how close the text is to its source."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    reports = [STATECOUNCIL / f"{y}.txt" for y in REPORT_YEARS]
    sets = [
        ("seeds, GB/T export", make_set("pdf-seeds-official", source_texts(SEEDS), "pdf-official"), True),
        ("seeds, plain text", make_set("pdf-seeds-plain", source_texts(SEEDS), "pdf-plain"), False),
        ("statecouncil, GB/T", make_set("pdf-sc-official", reports, "pdf-official"), True),
        ("statecouncil, plain", make_set("pdf-sc-plain", reports, "pdf-plain"), False),
    ]
    for name, pairs, official in sets:
        _measure(name, pairs, official, args.runs)


if __name__ == "__main__":
    main()
