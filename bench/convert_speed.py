"""Import throughput for an archive of old formats: 50 .doc files through LibreOffice, 50 text PDFs through pdfium."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import main as checkout

checkout.use_checkout()

from bench.office_samples import SEEDS, STATECOUNCIL, make_set, source_texts
from bigan.core import bank, convert


def _sources(count: int) -> list[Path]:
    """count source texts: the seeds, then State Council reports."""
    return (source_texts(SEEDS) + source_texts(STATECOUNCIL))[:count]


def _build_seconds(files: list[Path], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            report = bank.build(files, Path(tmp) / "bank.db")
            times.append(time.perf_counter() - started)
            assert len(report.imported) == len(files), [s.reason for s in report.skipped]
    return times


def _convert_seconds(files: list[Path], batch_size: int, runs: int) -> tuple[float, int]:
    times, starts = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        with convert.Converter(batch_size=batch_size) as converter:
            outcomes = converter.convert(files)
            starts = converter.starts
        times.append(time.perf_counter() - started)
        assert all(o.docx is not None for o in outcomes.values())
    return statistics.median(times), starts


def main() -> None:
    """Print files/s (median of --runs) for building a bank from 50 .doc and from 50 PDFs, and batch sizes."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batches", default="1,5,10,25,50", help="batch sizes to time the conversion alone with")
    args = parser.parse_args()
    sources = _sources(args.files)
    docs = [made for made, _ in make_set("doc-archive", sources, "doc")]
    pdfs = [made for made, _ in make_set("pdf-archive", sources, "pdf-official")]
    mb_doc = sum(p.stat().st_size for p in docs) / 1e6
    mb_pdf = sum(p.stat().st_size for p in pdfs) / 1e6
    print(f"LibreOffice: {convert.find_soffice()}; batch size {convert.BATCH_SIZE}")
    for label, files, mb in ((".doc", docs, mb_doc), ("PDF", pdfs, mb_pdf)):
        times = _build_seconds(files, args.runs)
        median = statistics.median(times)
        runs = ", ".join(f"{t:.1f}" for t in times)
        print(
            f"bank build, {len(files)} {label} files ({mb:.1f} MB): median {median:.1f} s"
            f" = {len(files) / median:.1f} files/s  (runs: {runs})"
        )
    print("conversion alone (.doc → .docx), by batch size:")
    for size in (int(s) for s in args.batches.split(",")):
        seconds, starts = _convert_seconds(docs, size, args.runs)
        print(f"  batch {size:3d}: {seconds:5.1f} s, {len(docs) / seconds:5.1f} files/s, {starts} LibreOffice starts")


if __name__ == "__main__":
    main()
