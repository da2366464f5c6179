"""A bank of up to 400 MB (×1000 the seeds) beside naive FTS5 and tantivy, in one run: build time and memory, size
on disk, matcher load, and per-heading latency p50/p95.

    python bench/large_bank.py --mb 4 40 400 --work /work/tmp/large     # ×10, ×100, ×1000 (check df first)

The corpora are in the seeds' and the real reports' shapes with figures varied (bench.scaled_corpus.
make_mixed_corpus) and kept in --work for the next run (--reuse keeps the banks too). Naive FTS5 is one FTS5 table
of every paragraph with its text, a heading's words OR-ed and ranked by bm25(); tantivy indexes the same words. Both
answer the same headings as the matcher: the dev headings and the State Council relevance headings.

The project's matcher runs with each entry search of core.bank_reader in turn, round by round in one process: the
bank's FTS5 index and the tantivy index beside it (core.search_index, built here and timed), with the top-5 overlap
of the two on the State Council headings.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import main as checkout

checkout.use_checkout()

from bench.memory import Peak, mb, rss
from bench.scaled_corpus import make_mixed_corpus
from bigan.core import bank, search_index, segment
from bigan.core.bank_reader import AUTO, FTS5, BankReader, fts_phrase
from bigan.core.match import Context, Matcher

DEV = [h["text"] for h in json.loads((ROOT / "tests/data/match_dev.json").read_text("utf-8"))["headings"]]
RELEVANCE = json.loads((ROOT / "bench/data/statecouncil_queries.json").read_text("utf-8"))


def corpus(work: Path, size_mb: float) -> list[Path]:
    """The corpus of about size_mb megabytes in work (made once, then reused)."""
    folder = work / f"corpus-{size_mb:g}mb"
    done = folder / ".complete"
    if done.exists():
        return sorted(p for p in folder.glob("*.txt"))
    shutil.rmtree(folder, ignore_errors=True)
    files = make_mixed_corpus(folder, size_mb)
    done.write_text("")
    return files


def percentiles(times: list[float]) -> tuple[float, float]:
    """Median and 95th percentile of a list of milliseconds."""
    times = sorted(times)
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def build_ours(files: list[Path], db: Path) -> dict[str, float]:
    """A fresh bank build: seconds, peak memory of this process and of the tree, bank bytes."""
    started = time.perf_counter()
    with Peak() as peak:
        report = bank.build(files, db, fresh=True)
    seconds = time.perf_counter() - started
    assert not report.skipped, report.skipped[:3]
    return {"seconds": seconds, "main": peak.main, "tree": peak.tree, "bytes": db.stat().st_size}


QUERIES = [(h, None) for h in DEV] + [
    (q["heading"], Context(tuple(q["path"]), q["level"], q["kind"], q["year"])) for q in RELEVANCE
]


def index_ours(db: Path, reuse: bool) -> dict[str, float]:
    """The tantivy index beside the bank (rebuilt unless reuse and it is current): seconds (0 reused), bytes."""
    state = search_index.status(db)
    if reuse and state.current:
        return {"seconds": 0.0, "bytes": state.bytes, "reused": 1}
    built = search_index.rebuild(db)
    return {"seconds": built.seconds, "bytes": built.bytes, "reused": 0}


def match_ours(db: Path, rounds: int) -> dict[str, dict[str, float]]:
    """Per backend: matcher load (seconds, resident bytes it added) and per-heading latency, the backends taking
    turns round by round; p50/p95 are the medians of the rounds' own."""
    matchers: dict[str, Matcher] = {}
    figures: dict[str, dict[str, float]] = {}
    for name, search in (("fts5", FTS5), ("tantivy", AUTO)):
        before = rss()
        started = time.perf_counter()
        matcher = Matcher(reader=BankReader(db, search=search))
        figures[name] = {"load": time.perf_counter() - started, "load_rss": rss() - before}
        if matcher.reader.search.name != name:
            print(f"  ({name}: not available, {search_index.status(db).reason})")
            matcher.close()
            continue
        matcher.match(DEV[0])
        matchers[name] = matcher
    # Wall time is what the writer waits; this thread's CPU time leaves out waiting for a core the machine's other
    # work holds (SQLite and tantivy search on the calling thread, so both count).
    per_round: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in matchers}
    for _ in range(rounds):
        for name, matcher in matchers.items():
            wall, cpu = [], []
            for heading, context in QUERIES:
                t, c = time.perf_counter(), time.thread_time()
                matcher.match(heading, limit=10, context=context)
                wall.append((time.perf_counter() - t) * 1000)
                cpu.append((time.thread_time() - c) * 1000)
            per_round[name].append((*percentiles(wall), *percentiles(cpu)))
    for name, results in per_round.items():
        for i, key in enumerate(("p50", "p95", "cpu_p50", "cpu_p95")):
            figures[name][key] = statistics.median(r[i] for r in results)
        figures[name]["n"] = len(QUERIES)
    if len(matchers) == 2:
        figures["agreement"] = agreement(matchers["fts5"], matchers["tantivy"])
    for matcher in matchers.values():
        matcher.close()
    return figures


def agreement(a: Matcher, b: Matcher) -> dict[str, float]:
    """Top-5 overlap of two matchers on the State Council headings, and how many top 5s are identical."""
    overlaps, identical = [], 0
    for q in RELEVANCE:
        context = Context(tuple(q["path"]), q["level"], q["kind"], q["year"])
        x = [m.entry_id for m in a.match(q["heading"], limit=5, context=context)]
        y = [m.entry_id for m in b.match(q["heading"], limit=5, context=context)]
        overlaps.append(len(set(x) & set(y)) / len(x) if x else float(not y))
        identical += x == y
    return {"overlap": statistics.fmean(overlaps), "identical": identical, "n": len(RELEVANCE)}


def _paragraphs(files: list[Path]):
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line) >= 6:
                yield line


def build_naive(files: list[Path], db: Path, index: Path) -> dict[str, float]:
    """Naive FTS5 (every paragraph, its text stored) and tantivy over the same words: seconds and bytes each."""
    import tantivy

    db.unlink(missing_ok=True)
    shutil.rmtree(index, ignore_errors=True)
    index.mkdir(parents=True)
    conn = sqlite3.connect(db)
    conn.execute("pragma journal_mode = off")
    conn.execute("pragma synchronous = off")
    conn.execute("create virtual table naive using fts5(text unindexed, body, tokenize='unicode61')")
    schema = _tantivy_schema()
    ix = tantivy.Index(schema, str(index))
    writer = ix.writer(200_000_000, 1)
    segmenting = fts = tv = 0.0
    batch = []

    def flush() -> None:
        nonlocal fts, tv
        t = time.perf_counter()
        conn.executemany("insert into naive (rowid, text, body) values (?, ?, ?)", batch)
        fts += time.perf_counter() - t
        t = time.perf_counter()
        for rowid, text, body in batch:
            writer.add_document(tantivy.Document(id=rowid, text=text, body=body))
        tv += time.perf_counter() - t
        batch.clear()

    for n, text in enumerate(_paragraphs(files), start=1):
        t = time.perf_counter()
        body = segment.joined(text)
        segmenting += time.perf_counter() - t
        batch.append((n, text, body))
        if len(batch) >= 5000:
            flush()
    flush()
    t = time.perf_counter()
    conn.commit()
    conn.close()
    fts += time.perf_counter() - t
    t = time.perf_counter()
    writer.commit()
    writer.wait_merging_threads()
    tv += time.perf_counter() - t
    size = sum(p.stat().st_size for p in index.rglob("*") if p.is_file())
    return {"segmenting": segmenting, "fts_seconds": fts, "fts_bytes": db.stat().st_size, "tv_seconds": tv,
            "tv_bytes": size}  # fmt: skip


def _tantivy_schema():
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("text", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("body", stored=False)
    return builder.build()


def _terms(heading: str) -> list[str]:
    return list(dict.fromkeys(segment.words(heading)))


def match_naive(db: Path, index: Path, rounds: int) -> dict[str, float]:
    """Per-heading latency of naive FTS5 and of tantivy, top 10 with their texts."""
    import tantivy

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    schema = _tantivy_schema()
    ix = tantivy.Index(schema, str(index))
    ix.reload()
    searcher = ix.searcher()
    headings = DEV + [q["heading"] for q in RELEVANCE]
    fts_times, tv_times = [], []
    for _ in range(rounds):
        for heading in headings:
            terms = _terms(heading)
            if not terms:
                continue
            t = time.perf_counter()
            conn.execute(
                "select text from naive where naive match ? order by bm25(naive) limit 10", [fts_phrase(terms)]
            ).fetchall()
            fts_times.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "body", term)) for term in terms]
            )
            hits = searcher.search(query, 10).hits
            [searcher.doc(address)["text"] for _, address in hits]
            tv_times.append((time.perf_counter() - t) * 1000)
    conn.close()
    f50, f95 = percentiles(fts_times)
    t50, t95 = percentiles(tv_times)
    return {"fts_p50": f50, "fts_p95": f95, "tv_p50": t50, "tv_p95": t95}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, nargs="+", default=[400.0])
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "large")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--reindex", action="store_true", help="with --reuse, build the tantivy index again (timed)")
    parser.add_argument("--naive-rounds", type=int, default=1, help="rounds for naive FTS5 (half a second a heading)")
    parser.add_argument("--reuse", action="store_true", help="keep a bank (and a current index) already in --work")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(args.work).free
    need = sum(args.mb) * 1e6 * 8
    if free < need:
        sys.exit(f"{args.work}: {free / 1e9:.0f} GB free, about {need / 1e9:.0f} GB needed")
    segment.ensure_loaded()
    print(f"segmenter {segment.backend()}; {os.cpu_count()} cores; parse workers {min(2, os.cpu_count() or 1)}")
    for size in args.mb:
        files = corpus(args.work, size)
        source = sum(f.stat().st_size for f in files)
        db = args.work / f"bank-{size:g}mb.db"
        if args.reuse and db.exists():
            size_now = db.stat().st_size
            print(f"\n{size:g} MB ({len(files)} files, {source / 1e6:.0f} MB): bank reused, {mb(size_now)}")
        else:
            ours = build_ours(files, db)
            print(
                f"\n{size:g} MB ({len(files)} files, {source / 1e6:.0f} MB): build {ours['seconds']:.0f} s "
                f"({source / 1e6 / ours['seconds']:.2f} MB/s), memory main {mb(ours['main'])}, "
                f"tree {mb(ours['tree'])}; bank {mb(ours['bytes'])} = {ours['bytes'] / source:.2f}× the corpus"
            )
        if search_index.available():
            index = index_ours(db, args.reuse and not args.reindex)
            took = "reused" if index["reused"] else f"built in {index['seconds']:.0f} s"
            print(f"  tantivy index beside the bank: {mb(index['bytes'])}, {took}")
        found = match_ours(db, args.rounds)
        for name in ("fts5", "tantivy"):
            if "p50" in found.get(name, {}):
                f = found[name]
                print(
                    f"  matcher, {name:7} search: load {f['load']:.2f} s (+{mb(f['load_rss'])} resident), "
                    f"p50 {f['p50']:.1f} ms, p95 {f['p95']:.1f} ms; CPU p50 {f['cpu_p50']:.1f} ms, "
                    f"p95 {f['cpu_p95']:.1f} ms (medians of {args.rounds} rounds of {f['n']:.0f})"
                )
        if "agreement" in found:
            a = found["agreement"]
            print(
                f"  top-5 overlap fts5/tantivy on the State Council headings: {a['overlap']:.1%}, "
                f"identical top 5 in {a['identical']:.0f} of {a['n']:.0f}"
            )
        if args.skip_naive:
            continue
        naive_db, index = args.work / f"naive-{size:g}mb.db", args.work / f"tantivy-{size:g}mb"
        if args.reuse and naive_db.exists() and (index / "meta.json").exists():
            tv = sum(p.stat().st_size for p in index.rglob("*") if p.is_file())
            fts_note = tv_note = "reused"
            fts = naive_db.stat().st_size
        else:
            built = build_naive(files, naive_db, index)
            fts, tv = built["fts_bytes"], built["tv_bytes"]
            fts_note = f"insert {built['fts_seconds']:.0f} s after {built['segmenting']:.0f} s segmenting"
            tv_note = f"index {built['tv_seconds']:.0f} s"
        speed = match_naive(naive_db, index, args.naive_rounds)
        print(
            f"  naive FTS5: {mb(fts)} = {fts / source:.2f}× ({fts_note}), "
            f"p50 {speed['fts_p50']:.1f} ms, p95 {speed['fts_p95']:.1f} ms"
        )
        print(
            f"  naive tantivy: {mb(tv)} = {tv / source:.2f}× ({tv_note}), "
            f"p50 {speed['tv_p50']:.1f} ms, p95 {speed['tv_p95']:.1f} ms"
        )


if __name__ == "__main__":
    main()
