"""Runs the frozen dist/bigan/ headless and checks it does what the source checkout does: import, match, export, draw.

Usage: python .ci/frozen_check.py [dist/bigan]. Prints the folder's size and the cold start of both; exits 1 on a
difference. Every command runs in a fresh data folder, offscreen, from a folder outside the checkout.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = ".exe" if os.name == "nt" else ""
TIMING = re.compile(r"（[0-9.]+ 秒）")


class Mismatch(Exception):
    """The frozen program behaved differently from the source run."""


def run(program: list[str], args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a command of 笔杆 with its own data folder and no display; a traceback is a failure."""
    full = dict(os.environ, BIGAN_HOME=str(cwd / "home"), QT_QPA_PLATFORM="offscreen", **env)
    done = subprocess.run(
        [*program, *args], cwd=cwd, env=full, capture_output=True, text=True, encoding="utf-8", timeout=600
    )
    if done.returncode != 0 or "Traceback" in done.stderr:
        raise Mismatch(f"{' '.join(program + args)} failed ({done.returncode}):\n{done.stderr}")
    return done


def same(what: str, frozen: str, source: str) -> None:
    """Fail unless the two outputs agree (timings aside)."""
    frozen, source = TIMING.sub("", frozen).strip(), TIMING.sub("", source).strip()
    if frozen != source:
        raise Mismatch(f"{what}: the frozen program printed\n{frozen}\nbut the source run printed\n{source}")
    print(f"  {what}: same output — {frozen.splitlines()[-1][:100]}")


def inputs(work: Path) -> Path:
    """A folder of files to import: the tests' Word files and, when LibreOffice is here, a PDF made from a seed."""
    folder = work / "导入"
    folder.mkdir()
    for docx in sorted((ROOT / "tests" / "data" / "docx").glob("*.docx")):
        shutil.copy(docx, folder / docx.name)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        seed = sorted((ROOT / "resources" / "corpus").glob("*.txt"))[0]
        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", folder, seed],
            check=True,
            capture_output=True,
            timeout=300,
        )
    else:
        print("  LibreOffice not found: no PDF in the import check")
    return folder


def cold_start(program: list[str], cwd: Path, runs: int = 5) -> float:
    """Median seconds from starting the window to it being shown and closed again (BIGAN_STARTUP_PROBE)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run(program, [], cwd, BIGAN_STARTUP_PROBE="1")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def check(dist: Path) -> None:
    """Compare every headless feature of the frozen program with the source run."""
    programs = {"frozen": [str(dist / f"bigan{EXE}")], "source": [sys.executable, str(ROOT / "main.py")]}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = inputs(work)
        for name in programs:
            shutil.copytree(folder, work / name / folder.name)

        def both(*args: str) -> dict[str, str]:
            return {name: run(program, list(args), work / name).stdout for name, program in programs.items()}

        version = both("--version")
        same("version", *version.values())
        built = both("bank", "build", "--db", "库.db")
        same("bank build of the bundled corpus", *(out.splitlines()[-1] for out in built.values()))
        both("bank", "index", "--db", "库.db")
        more = both("bank", "build", folder.name, "--db", "库.db")
        same("bank build of .docx and .pdf files", *(out.splitlines()[-1] for out in more.values()))
        # The build refreshed the index in a process of its own (core.search_index.rebuild_apart).
        index = both("bank", "index", "--status", "--db", "库.db")
        if "快速检索索引可用" not in index["frozen"]:
            raise Mismatch(f"the build did not refresh the search index:\n{index['frozen']}")
        same("search index refreshed by the build", *(out.split("，")[0] for out in index.values()))

        found = both("match", "一、主要工作成效", "--db", "库.db", "--limit", "5")
        if found["frozen"].count("出自《") != 5:
            raise Mismatch(f"match found too little:\n{found['frozen']}")
        same("match", *found.values())

        both("export", str(ROOT / "resources" / "sample_draft.txt"), "--out", "稿.docx")
        bodies = [zipfile.ZipFile(work / name / "稿.docx").read("word/document.xml") for name in programs]
        if bodies[0] != bodies[1]:
            raise Mismatch("export: the two .docx files differ in word/document.xml")
        print(f"  export: same word/document.xml ({len(bodies[0]):,} bytes)")

        shots = both("screenshot", "窗口.png", "--db", "库.db", "--size", "1366x768")
        for name in programs:
            if (work / name / "窗口.png").read_bytes()[:4] != b"\x89PNG":
                raise Mismatch(f"screenshot wrote no PNG ({name})")
        same("screenshot", *shots.values())

        shown = run([str(dist / f"bigan-gui{EXE}")], [], work / "frozen", BIGAN_STARTUP_PROBE="1").stdout
        if "shown" not in shown:
            raise Mismatch("bigan-gui did not show its window")
        print("  bigan-gui: window shown")

        size = sum(f.lstat().st_size for f in dist.rglob("*") if not f.is_symlink() and f.is_file())
        starts = {name: cold_start(program, work / name) for name, program in programs.items()}
        print(f"{version['frozen'].strip()}: dist folder {size / 2**20:.0f} MiB; cold start to window shown "
              f"frozen {starts['frozen']:.2f} s, source {starts['source']:.2f} s (median of 5)")  # fmt: skip


def main() -> int:
    """Check the folder named on the command line (dist/bigan by default)."""
    dist = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist" / "bigan"
    try:
        check(dist.resolve())
    except Mismatch as exc:
        print(f"frozen check failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
