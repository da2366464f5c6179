"""The office bank's costs: matching with an attached office bank ×10 and ×100 the seeds against the personal bank
alone, publishing, the first copy to a writer's machine, exporting and merging a package, and the same headings
searched through `bigan serve` (Datasette) over HTTP on this machine."""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import main as checkout

checkout.use_checkout()

from bench.scaled_corpus import make_corpus
from bigan.core import bank, office, package
from bigan.core.match import OFFICE, Matcher
from bigan.core.office_match import OfficeMatcher
from bigan.core.paths import BUNDLED_CORPUS
from bigan.core.publish import publish
from bigan.core.remote import RemoteBank, RemoteUnavailable

HEADINGS = [h["text"] for h in json.loads((ROOT / "tests/data/match_dev.json").read_text("utf-8"))["headings"]]
SEED_MB = 0.4


def latency(answer, rounds: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Per-heading figures (ms) of answer(heading) over the dev headings."""
    answer(HEADINGS[0])
    times = []
    for _ in range(rounds):
        for heading in HEADINGS:
            started = time.perf_counter()
            answer(heading)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "mean": statistics.fmean(times),
        "median": statistics.median(times),
        "p95": times[int(0.95 * (len(times) - 1))],
        "max": times[-1],
    }


def show(name: str, r: dict[str, float]) -> None:
    """One line of latency figures."""
    print(
        f"  {name}: mean {r['mean']:.1f} ms, median {r['median']:.1f} ms, p95 {r['p95']:.1f} ms, max {r['max']:.1f} ms"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def served(path: Path, rounds: int) -> None:
    """Start bigan serve on the file, time its match API for the headings, stop it."""
    port = _free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "main.py", "serve", str(path), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = RemoteBank(f"http://127.0.0.1:{port}", timeout=10, retry_after=0)
    try:
        while True:
            try:
                client.info()
                break
            except RemoteUnavailable:
                if process.poll() is not None or time.perf_counter() - started > 120:
                    raise SystemExit("bigan serve did not start") from None
                time.sleep(0.1)
        print(f"  serve ready in {time.perf_counter() - started:.1f} s")
        show("Datasette match API (HTTP, server ranks)", latency(lambda h: client.match(h, 10), rounds))
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--office10-db", type=Path, help="an existing ×10 bank (else built, ~15 s)")
    parser.add_argument("--office100-db", type=Path, help="an existing ×100 bank (else built, ~2 min)")
    parser.add_argument("--skip-100", action="store_true", help="only the ×10 office bank")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, help="keep the built banks here and reuse them on the next run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        work = args.work or tmp
        work.mkdir(parents=True, exist_ok=True)
        os.environ["BIGAN_HOME"] = str(tmp / "home")
        personal = tmp / "personal.db"
        bank.build([BUNDLED_CORPUS], personal)
        sizes = {"×10": args.office10_db}
        if not args.skip_100:
            sizes["×100"] = args.office100_db
        offices: dict[str, Path] = {}
        for name, given in sizes.items():
            if given is None and (work / f"office{name[1:]}.db").exists():
                given = work / f"office{name[1:]}.db"
            if given is None:
                given = work / f"office{name[1:]}.db"
                started = time.perf_counter()
                mb = SEED_MB * int(name[1:])
                bank.build(make_corpus(tmp / f"corpus{name[1:]}", mb), given)
                print(f"built the {name} bank ({mb:.0f} MB of text) in {time.perf_counter() - started:.0f} s")
            offices[name] = given

        matcher = Matcher(personal)
        print(f"personal bank (bundled seeds, {bank.stats(personal)['entries']} entries):")
        show("personal alone", latency(lambda h: matcher.match(h, 10), args.rounds))
        matcher.close()

        for name, source in offices.items():
            counts = bank.stats(source)
            print(f"office bank {name}: {source.stat().st_size / 1e6:.0f} MB, {counts['entries']} entries")
            share = tmp / f"share{name[1:]}"
            share.mkdir()
            published = share / "office.db"
            done = publish(source, published)
            print(f"  publish: {done.seconds:.2f} s ({done.size / 1e6:.0f} MB, snapshot + checksum + copy + rename)")
            started = time.perf_counter()
            office.forget(str(published))
            status = office.refresh(str(published))
            copied = time.perf_counter() - started
            print(f"  first copy to the writer's machine (copy, sha256, quick_check): {copied:.2f} s")
            assert status.state == "updated"
            started = time.perf_counter()
            both = OfficeMatcher(personal, shared=[str(published)])
            print(f"  open personal + office matcher: {time.perf_counter() - started:.2f} s")
            show("personal + office", latency(lambda h, m=both: m.match(h, 10), args.rounds))
            shares = [sum(r.bank == OFFICE for r in both.match(h, 10)) / 10 for h in HEADINGS]
            print(f"  office share of the top 10: {statistics.fmean(shares):.0%}")
            both.close()
            served(published, args.rounds)

        biggest = offices[list(offices)[-1]]
        curator = tmp / "curator.db"
        curator.write_bytes(biggest.read_bytes())
        # A writer's own material: the same kind of documents, other sentences (another random mix of the seeds).
        contributor = work / "contributor.db"
        if not contributor.exists():
            bank.build(make_corpus(tmp / "contributor", 3.0, seed=99), contributor)
        for documents in (10, 100):
            pkg = tmp / f"contribution{documents}.pkg"
            started = time.perf_counter()
            info = package.export_package(contributor, pkg, documents=range(1, documents + 1), who="bench")
            exported = time.perf_counter() - started
            report = package.merge([pkg], curator)
            print(
                f"package of {documents} documents ({info.passages} passages, {pkg.stat().st_size / 1e6:.1f} MB): "
                f"export {exported:.2f} s, merge into the {list(offices)[-1]} bank {report.seconds:.1f} s "
                f"({report.grouped} grouped with passages already there)"
            )
        # For scale: the same bank taking one new seed-sized file through an ordinary incremental import.
        one = tmp / "one_file"
        make_corpus(one, 0.01, seed=123)
        started = time.perf_counter()
        bank.build(sorted(one.glob("*.txt"))[:1], curator)
        print(f"for comparison, bank build of one new file into the same bank: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
