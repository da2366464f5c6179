"""Hostile files and faults (issue 11): every case run as a user would run it, printed as a table of the result,
the wall time and peak memory of the command (GNU time -v, the largest process of its tree) and whether anything
was lost.

Needs /usr/bin/time (Debian package `time`). The disk-full row mounts a 3 MB tmpfs and the permission rows drop
root's override capabilities with setpriv, so run it as root for every row (rows that cannot run say so).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import main as checkout

checkout.use_checkout()

from bench.scaled_corpus import make_corpus
from bigan.core.decode import _common_han

UNPRIVILEGED = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"] if os.geteuid() == 0 else []


@dataclass
class Run:
    """One command: exit status, output, wall seconds and peak resident memory in MB."""

    status: int
    out: str
    err: str
    seconds: float
    peak_mb: float


@dataclass
class Row:
    """One line of the table."""

    case: str
    result: str
    seconds: float
    peak_mb: float
    kept: str


def run(*args: str | Path, env: dict[str, str] | None = None, timeout: float = 600, prefix: list[str] = ()) -> Run:
    """Run `python main.py ARGS` under GNU time; a traceback is a failure of the bench."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        command = ["/usr/bin/time", "-v", "-o", report.name, *prefix, sys.executable, "main.py", *map(str, args)]
        started = time.perf_counter()
        done = subprocess.run(
            command,
            cwd=ROOT,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            env={**os.environ, **(env or {})},
        )
        seconds = time.perf_counter() - started
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", Path(report.name).read_text())
    assert "Traceback" not in done.stderr, done.stderr
    return Run(done.returncode, done.stdout, done.stderr, seconds, int(found.group(1)) / 1024 if found else 0.0)


def some_files(folder: Path, count: int, seed: int) -> list[Path]:
    """count distinct seed-shaped reports (about 80 KB each) in folder."""
    made = make_corpus(folder.parent / f"{folder.name}-all", 0.08 * count, seed=seed)[:count]
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(src, folder / src.name)) for src in made]


def first_line(text: str) -> str:
    """The first message line of a command's output, without the bench's temporary folder."""
    lines = [line for line in text.splitlines() if line and not line.startswith("[")]
    line = lines[0] if lines else ""
    work = os.environ.get("BIGAN_HOME", "")[: -len("/home")]
    return line.replace(f"{work}/", "") if work else line


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_in(db: Path) -> int:
    return sqlite3.connect(db).execute("select count(*) from files").fetchone()[0]


# --- cases -----------------------------------------------------------------------------------------------------


def export_over_existing(work: Path) -> list[Row]:
    draft = work / "draft.txt"
    shutil.copy(ROOT / "resources" / "sample_draft.txt", draft)
    out = work / "out.docx"
    out.write_bytes(b"someone's file")
    out.chmod(0o644)
    link = work / "link.docx"
    target = work / "target.docx"
    target.write_bytes(b"old")
    link.symlink_to(target)
    refused = run("export", draft, "--out", out)
    kept = out.read_bytes() == b"someone's file"
    forced = run("export", draft, "--out", out, "--force")
    mode = oct(out.stat().st_mode & 0o777)
    run("export", draft, "--out", link, "--force")
    result = (
        f"exit {refused.status} 「{first_line(refused.err)[:38]}…」; --force: exit {forced.status}, mode {mode} kept, "
        f"link {'kept, target written' if link.is_symlink() and target.stat().st_size > 3 else 'REPLACED'}"
    )
    return [Row("`export X --out EXISTING`", result, refused.seconds, refused.peak_mb, "yes" if kept else "NO")]


def two_builds(work: Path) -> list[Row]:
    first = make_corpus(work / "a", 3, seed=1)
    second = make_corpus(work / "b", 1, seed=2)
    db = work / "bank.db"
    procs = []
    for folder, delay in ((work / "a", 0.0), (work / "b", 1.5)):
        time.sleep(delay)
        procs.append(
            subprocess.Popen(
                ["/usr/bin/time", "-v", sys.executable, "main.py", "bank", "build", folder, "--db", db],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            )
        )
    started = time.perf_counter()
    outputs = [p.communicate(timeout=600) for p in procs]
    seconds = time.perf_counter() - started + 1.5
    peaks = [
        int(m.group(1)) / 1024 for _, err in outputs if (m := re.search(r"resident set size \(kbytes\): (\d+)", err))
    ]
    waited = "waited (「另一个导入正在进行…」)" if "另一个导入正在进行" in outputs[1][1] else "did not wait"
    total = files_in(db)
    result = (
        f"exit {procs[0].returncode} and {procs[1].returncode}; the second {waited}; "
        f"bank holds {total} of {len(first) + len(second)} files; no .building left: "
        f"{not list(work.glob('bank.db.building-*'))}"
    )
    return [
        Row(
            "two `bank build` at once",
            result,
            seconds,
            max(peaks),
            "yes" if total == len(first) + len(second) else "NO",
        )
    ]


def bad_names(work: Path) -> list[Row]:
    folder = work / "unzipped"
    folder.mkdir()
    corpus = some_files(work / "src", 9, seed=3)
    names = ["报告.txt".encode("gbk"), b"bad\xff\xfe.txt"] + [f"f{n}.txt".encode() for n in range(7)]
    for name, src in zip(names, corpus):
        shutil.copy(src, os.fsdecode(os.fsencode(folder) + b"/" + name))
    db = work / "bank.db"
    built = run("bank", "build", folder, "--db", db)
    shown = [line for line in built.err.splitlines() if "报告.txt" in line or "\\xff" in line]
    result = (
        f"exit {built.status}; {first_line(built.out)[:30]}…; shown as {', '.join(s.split('] ')[-1] for s in shown)}"
    )
    return [
        Row(
            "a file name with invalid UTF-8 bytes",
            result,
            built.seconds,
            built.peak_mb,
            "yes" if files_in(db) == 9 else "NO",
        )
    ]


def zip_bomb(path: Path, gib: float) -> None:
    """A .docx whose document.xml inflates to gib GiB of spaces."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            block = b" " * (1 << 24)
            for _ in range(int(gib * 64)):
                part.write(block)
            part.write(b"</w:body></w:document>")


def docx_bomb(work: Path) -> list[Row]:
    bomb = work / "bomb.docx"
    zip_bomb(bomb, 4)
    size = bomb.stat().st_size / 1e6
    parsed = run("parse", bomb)
    folder = work / "folder"
    some_files(folder, 6, seed=4)
    shutil.copy(bomb, folder / "zz_bomb.docx")
    db = work / "bank.db"
    built = run("bank", "build", folder, "--db", db)
    named = [line for line in built.err.splitlines() if "zz_bomb.docx" in line and "跳过" in line]
    return [
        Row(
            f"a {size:.0f} MB .docx whose document.xml unpacks to 4 GiB: `parse`",
            f"exit {parsed.status} 「{first_line(parsed.err).split('：', 2)[-1][:40]}…」",
            parsed.seconds,
            parsed.peak_mb,
            "—",
        ),
        Row(
            "… the same bomb in a folder of 7 files: `bank build`",
            f"exit {built.status}; {files_in(db)} files imported, bomb named: {bool(named)}; "
            f"no .building left: {not list(work.glob('bank.db.building-*'))}",
            built.seconds,
            built.peak_mb,
            "yes" if files_in(db) == 6 else "NO",
        ),
    ]


def unpunctuated(path: Path, megabytes: float) -> None:
    """180-character lines of common characters without a punctuation mark."""
    chars = sorted(_common_han())
    rng = random.Random(1)
    lines = []
    size = 0
    while size < megabytes * 1_000_000:
        line = "".join(rng.choice(chars) for _ in range(180))
        lines.append(line)
        size += len(line.encode()) + 1
    path.write_text("\n".join(lines), encoding="utf-8")


def no_punctuation(work: Path) -> list[Row]:
    rows = []
    times: dict[str, list[float]] = {"parse": [], "bank build": []}
    peaks: dict[str, list[float]] = {"parse": [], "bank build": []}
    for mb in (2, 8):
        text = work / f"np{mb}.txt"
        unpunctuated(text, mb)
        parsed = run("parse", text)
        built = run("bank", "build", text, "--db", work / f"np{mb}.db")
        assert parsed.status == 0 and built.status == 0
        for name, done in (("parse", parsed), ("bank build", built)):
            times[name].append(done.seconds)
            peaks[name].append(done.peak_mb)
    for name in times:
        small, large = times[name]
        rows.append(
            Row(
                f"text without punctuation (180-character lines): `{name}` 2 MB → 8 MB",
                f"{small:.1f} s → {large:.1f} s: {large / small:.1f}× for 4× the text",
                large,
                max(peaks[name]),
                "—",
            )
        )
    return rows


def specials(work: Path) -> list[Row]:
    fifo = work / "x.txt"
    os.mkfifo(fifo)
    zero = work / "zero.txt"
    zero.symlink_to("/dev/zero")
    rows = []
    for special, label in ((fifo, "a FIFO"), (zero, "/dev/zero")):
        results = []
        slowest = Run(0, "", "", 0.0, 0.0)
        for command in (
            ["bank", "build", special, "--db", work / "b.db"],
            ["parse", special],
            ["export", special, "--out", work / "o.docx"],
            ["check", special, "--db", work / "b.db"],
        ):
            done = run(*command, timeout=60)
            results.append(f"{command[0]} {done.status}")
            if done.seconds > slowest.seconds:
                slowest = done
        reason = next(line for line in slowest.err.splitlines() if "不是普通文件" in line).split("：")[-1]
        rows.append(
            Row(
                f"{label} named `x.txt` passed directly",
                f"exit {', '.join(results)}; 「{reason}」",
                slowest.seconds,
                slowest.peak_mb,
                "—",
            )
        )
    return rows


def _bundled_bank(db: Path) -> None:
    done = run("bank", "build", "--db", db)
    assert done.status == 0, done.err


def _random_pages(db: Path) -> None:
    rng = random.Random(3)
    with open(db, "r+b") as handle:
        for page in range(2, db.stat().st_size // 4096, 3):
            handle.seek(page * 4096)
            handle.write(rng.randbytes(4096))


def _sql(script: str) -> Callable[[Path], None]:
    def apply(db: Path) -> None:
        conn = sqlite3.connect(db)
        conn.executescript(script)
        conn.commit()
        conn.close()

    return apply


def damaged_banks(work: Path) -> list[Row]:
    good = work / "good.db"
    _bundled_bank(good)
    draft = ROOT / "resources" / "sample_draft.txt"
    rows = []
    for label, damage in (
        ("random pages", _random_pages),
        ("no FTS table", _sql("drop table entries_fts")),
        ("no entries table", _sql("drop table entries")),
        ("bad version value", _sql("update meta set value = 'x6' where key = 'schema_version'")),
    ):
        db = work / f"{label.replace(' ', '_')}.db"
        shutil.copy(good, db)
        damage(db)
        statuses = []
        slowest = Run(0, "", "", 0.0, 0.0)
        for command in (["bank", "stats"], ["match", "项目建设"], ["check", draft], ["suggest"]):
            done = run(*command, "--db", db)
            statuses.append(f"{command[0]} {done.status}")
            slowest = max(slowest, done, key=lambda r: r.seconds)
        built = run("bank", "build", "--db", db)
        aside = list(work.glob(f"{db.name}.corrupt-*"))
        recovered = built.err.count("重新导入：")
        rows.append(
            Row(
                f"bank with {label}: stats, match, check, suggest; then `bank build`",
                f"exit {', '.join(statuses)} 「{first_line(slowest.err)[3:30]}…」; build exit {built.status}: "
                f"set aside as .corrupt-…, {recovered or 'no'} recorded sources re-imported"
                f"{'' if recovered else ' (bundled corpus instead, said so)'}",
                built.seconds,
                max(built.peak_mb, slowest.peak_mb),
                "yes (bad file kept)" if len(aside) == 1 else "NO",
            )
        )
    return rows


def faults(work: Path) -> list[Row]:
    rows = []
    source = make_corpus(work / "src", 1, seed=5)
    if not shutil.which("setpriv") and os.geteuid() == 0:
        rows.append(Row("read-only bank folder / unwritable BIGAN_HOME", "not run: setpriv missing", 0, 0, "—"))
    else:
        shut = work / "shut"
        shut.mkdir()
        good = work / "good.db"
        _bundled_bank(good)
        shutil.copy(good, shut / "bank.db")
        before = digest(shut / "bank.db")
        shut.chmod(0o555)
        read_only = run("bank", "build", source[0], "--db", shut / "bank.db", prefix=UNPRIVILEGED)
        home = run("bank", "stats", env={"BIGAN_HOME": str(shut / "home")}, prefix=UNPRIVILEGED)
        shut.chmod(0o755)
        rows.append(
            Row(
                "read-only bank folder: `bank build`",
                f"exit {read_only.status} 「{first_line(read_only.err)[3:40]}…」",
                read_only.seconds,
                read_only.peak_mb,
                "yes" if digest(shut / "bank.db") == before else "NO",
            )
        )
        rows.append(
            Row(
                "unwritable BIGAN_HOME: `bank stats`",
                f"exit {home.status} 「{first_line(home.err)[3:40]}…」",
                home.seconds,
                home.peak_mb,
                "—",
            )
        )
    small = work / "full"
    small.mkdir()
    mounted = (
        os.geteuid() == 0
        and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(small)]).returncode == 0
    )
    if not mounted:
        rows.append(Row("disk full during a build", "not run: mounting a small tmpfs needs root", 0, 0, "—"))
        return rows
    try:
        first = run("bank", "build", source[0], "--db", small / "bank.db")
        before = digest(small / "bank.db")
        full = run("bank", "build", work / "src", "--db", small / "bank.db")
        intact = digest(small / "bank.db") == before and not list(small.glob("bank.db.building-*"))
        rows.append(
            Row(
                "disk full (3 MB tmpfs) during a build",
                f"first exit {first.status}; the full build exit {full.status} 「{first_line(full.err)[3:40]}…」",
                full.seconds,
                full.peak_mb,
                "yes (old bank intact, no temp file)" if intact else "NO",
            )
        )
    finally:
        subprocess.run(["umount", str(small)], check=False)
    return rows


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def killed_build(work: Path) -> list[Row]:
    db = work / "bank.db"
    _bundled_bank(db)
    before = digest(db)
    make_corpus(work / "a", 3, seed=6)
    build = subprocess.Popen(
        [sys.executable, "main.py", "bank", "build", work / "a", "--db", db],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_children(build.pid)) < 2:
        time.sleep(0.05)
    time.sleep(2)
    workers = _children(build.pid)
    temp = Path(f"{db}.building-{build.pid}")
    temp_mb = temp.stat().st_size / 1e6 if temp.exists() else 0
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    killed = time.perf_counter()
    while any(_alive(w) for w in workers) and time.perf_counter() - killed < 30:
        time.sleep(0.05)
    gone = time.perf_counter() - killed
    intact = digest(db) == before
    later = run("bank", "build", work / "a", "--db", db)
    cleaned = not temp.exists()
    result = (
        f"{len(workers)} workers gone {gone:.1f} s after the kill; old bank intact: {intact}; "
        f"the {temp_mb:.0f} MB .building file removed by the next build: {cleaned} (exit {later.status})"
    )
    return [Row("kill -9 of a build", result, later.seconds, later.peak_mb, "yes" if intact and cleaned else "NO")]


def long_paragraph(work: Path) -> list[Row]:
    sentence = "全年新开工项目十五个，完成投资八亿元，带动就业一千余人。"
    text = sentence * (50_000_000 // len(sentence.encode()) + 1)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = (
        f'<w:document xmlns:w="{w}"><w:body><w:p><w:r><w:t>某局2023年工作总结</w:t></w:r></w:p>'
        f"<w:p><w:r><w:t>一、主要工作</w:t></w:r></w:p><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    )
    path = work / "long.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", body)
    parsed = run("parse", path)
    built = run("bank", "build", path, "--db", work / "bank.db")
    result = (
        f"parse exit {parsed.status} ({first_line(parsed.out)}, {parsed.seconds:.0f} s, {parsed.peak_mb:.0f} MB); "
        f"build exit {built.status}, {files_in(work / 'bank.db')} file imported"
    )
    return [Row("a 50 MB paragraph in a valid .docx", result, built.seconds, built.peak_mb, "—")]


def folder_specials(work: Path) -> list[Row]:
    folder = work / "archive"
    (folder / "secret").mkdir(parents=True)
    first, _ = some_files(folder, 2, seed=7)
    shutil.copy(first, folder / "secret" / "inner.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "secret").chmod(0)
    try:
        built = run("bank", "build", folder, "--db", work / "bank.db", prefix=UNPRIVILEGED)
    finally:
        (folder / "secret").chmod(0o755)
    named = [line.split("：", 1)[1] for line in built.err.splitlines() if line.startswith("跳过：")]
    result = f"exit {built.status}; named: " + "; ".join(
        Path(n.split("：")[0]).name + "：" + n.split("：", 1)[1][:14] for n in named
    )
    return [
        Row(
            "unreadable sub-folder, FIFO and device inside a folder",
            result,
            built.seconds,
            built.peak_mb,
            "yes" if files_in(work / "bank.db") == 2 else "NO",
        )
    ]


def control_characters(work: Path) -> list[Row]:
    text = (ROOT / "resources" / "corpus").glob("000_*.txt").__next__().read_text(encoding="utf-8")
    source = work / "esc.txt"
    source.write_text(text.replace("管理区", "管理区\x1b[2J\x1b]0;owned\x07", 1), encoding="utf-8")
    db = work / "bank.db"
    run("bank", "build", source, "--db", db)
    matched = run("match", "项目建设", "--db", db)
    draft = work / "draft.txt"
    draft.write_text("\x1b[31m某局工作总结\n" + "全年新开工项目十五个。" * 300 + "\n", encoding="utf-8")
    exported = run("export", draft, "--out", work / "out.docx")
    note = next((line for line in exported.err.splitlines() if "控制字符" in line), "no note")
    escaped = "\x1b" in matched.out
    result = f"ESC in `match` output: {escaped}; import notes the removed control characters; export 「{note[3:36]}…」"
    return [Row("control characters in a title", result, matched.seconds, matched.peak_mb, "—")]


def newer_bank(work: Path) -> list[Row]:
    db = work / "bank.db"
    _bundled_bank(db)
    _sql("update meta set value = '99' where key = 'schema_version'")(db)
    before = digest(db)
    fresh = run("bank", "build", "--fresh", "--db", db)
    intact = digest(db) == before
    forced = run("bank", "build", "--fresh", "--force", "--db", db)
    aside = list(work.glob("bank.db.newer-*"))
    result = (
        f"exit {fresh.status} 「{first_line(fresh.err)[3:30]}…」; with --force exit {forced.status}, "
        f"old file kept as .newer-…: {len(aside) == 1 and digest(aside[0]) == before}"
    )
    return [
        Row(
            "`--fresh` on a bank made by a newer version",
            result,
            fresh.seconds,
            fresh.peak_mb,
            "yes" if intact else "NO",
        )
    ]


CASES = [
    export_over_existing,
    two_builds,
    bad_names,
    docx_bomb,
    no_punctuation,
    specials,
    damaged_banks,
    faults,
    killed_build,
    long_paragraph,
    folder_specials,
    control_characters,
    newer_bank,
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="run only the cases whose function name contains this")
    args = parser.parse_args()
    if not Path("/usr/bin/time").exists():
        raise SystemExit("needs GNU time: apt-get install time")
    print("| case | new result | time | peak memory | nothing lost |")
    print("| --- | --- | --- | --- | --- |")
    for case in CASES:
        if args.only and args.only not in case.__name__:
            continue
        with tempfile.TemporaryDirectory(prefix="bigan-hostile-") as tmp:
            home = Path(tmp) / "home"
            os.environ["BIGAN_HOME"] = str(home)
            for row in case(Path(tmp)):
                row.result = row.result.replace(f"{tmp}/", "").replace(tmp, "")
                print(
                    f"| {row.case} | {row.result} | {row.seconds:.1f} s | {row.peak_mb:.0f} MB | {row.kept} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
