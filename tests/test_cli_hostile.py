"""The commands against hostile files and faults: no overwrite without --force, pipes and devices named, damaged
and foreign banks explained and rebuilt, one build at a time, killed builds cleaned up, unreadable and read-only
places named — each a Chinese message and an exit status, never a traceback."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bigan.core import bank, cli
from bigan.core.procs import pid_alive
from tests.helpers import ROOT, run_main

GBK_NAME = "报告.txt".encode("gbk")


def main(capsys, *args: str | Path) -> tuple[int, str, str]:
    """Run a command in this process; returns (status, stdout, stderr). An escaping exception fails the test."""
    status = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def unprivileged() -> list[str]:
    """A prefix that runs a command without root's power to read and write everything (nothing when not root)."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def run_as_user(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run main.py as an ordinary user would: permission bits apply even under root."""
    result = subprocess.run(
        [*unprivileged(), sys.executable, "main.py", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, **(env or {})},
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def draft_file(tmp_path, report_text) -> Path:
    path = tmp_path / "draft.txt"
    path.write_text(report_text, encoding="utf-8")
    return path


def test_export_and_fix_keep_an_existing_file_unless_forced(capsys, tmp_path, draft_file):
    out = tmp_path / "out.txt"
    out.write_text("别人的文件", encoding="utf-8")
    out.chmod(0o640)
    link = tmp_path / "link.md"
    link.symlink_to(out)

    for command in (["export", draft_file, "--out", out], ["fix", draft_file, "--out", link]):
        status, _, err = main(capsys, *command)
        assert status == 2
        assert "已存在" in err and "--force" in err
        assert out.read_text(encoding="utf-8") == "别人的文件"

    status, _, _ = main(capsys, "export", draft_file, "--out", out, "--force")
    assert status == 0 and out.read_text(encoding="utf-8").startswith("某局2023年工作总结")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    status, _, _ = main(capsys, "fix", draft_file, "--out", link, "--force")
    assert status == 0 and link.is_symlink() and out.read_text(encoding="utf-8").startswith("# 某局")


def _promptly(work, seconds: float = 20.0):
    """Run work on a daemon thread; fail if it blocks (opening a FIFO waits for a writer forever)."""
    done: list[object] = []
    thread = threading.Thread(target=lambda: done.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert done, "the command blocked"
    return done[0]


def test_a_pipe_or_device_named_like_a_document_is_named_and_skipped(capsys, tmp_path):
    fifo = tmp_path / "x.txt"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    db = tmp_path / "bank.db"

    for special, kind in ((fifo, "管道"), (zero, "设备")):
        commands = {
            "bank": (["bank", "build", special, "--db", db], 1),
            "parse": (["parse", special], 1),
            "export": (["export", special, "--out", tmp_path / "o.docx"], 1),
            "check": (["check", special, "--db", db], 2),
        }
        for name, (args, expected) in commands.items():
            status = _promptly(lambda a=args: cli.main([str(x) for x in a]))
            err = capsys.readouterr().err
            assert status == expected, name
            assert "不是普通文件" in err and kind in err, name
    assert not db.exists() and not (tmp_path / "o.docx").exists()


@pytest.fixture
def small_bank(tmp_path, report_text) -> tuple[Path, Path]:
    source = tmp_path / "src" / "report.txt"
    source.parent.mkdir()
    source.write_text(report_text, encoding="utf-8")
    db = tmp_path / "bank.db"
    bank.build([source], db)
    return db, source


def _sql(db: Path, script: str) -> None:
    conn = sqlite3.connect(db)
    conn.executescript(script)
    conn.commit()
    conn.close()


def _random_pages(db: Path) -> None:
    with open(db, "r+b") as handle:
        for page in range(1, db.stat().st_size // 4096, 2):
            handle.seek(page * 4096)
            handle.write(os.urandom(4096))


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (_random_pages, "已损坏"),
        (lambda db: _sql(db, "drop table entries_fts"), "缺少 entries_fts 表"),
        (lambda db: _sql(db, "update meta set value = 'six' where key = 'schema_version'"), "版本号无法识别"),
    ],
)
def test_every_command_explains_a_damaged_bank_and_a_plain_build_rebuilds_it(
    capsys, small_bank, draft_file, damage, words
):
    db, source = small_bank
    damage(db)
    commands = [
        ["bank", "stats", "--db", db],
        ["match", "项目建设", "--db", db],
        ["check", draft_file, "--db", db],
        ["suggest", "--db", db],
        ["suggest", "--after", "主要工作成效", "--db", db],
    ]
    for args in commands:
        status, _, err = main(capsys, *args)
        assert status == 2, args
        assert words in err and str(db) in err and "bank build" in err, args

    status, out, err = main(capsys, "bank", "build", "--db", db)

    assert status == 0, err
    (aside,) = db.parent.glob("bank.db.corrupt-*")
    assert f"改名保存为：{aside}" in err
    assert f"重新导入：{source}" in err or "已改为导入自带范文" in err
    assert "导入完成" in out
    assert main(capsys, "bank", "stats", "--db", db)[0] == 0


def test_a_newer_bank_is_never_overwritten_without_force(capsys, small_bank):
    db, source = small_bank
    _sql(db, "update meta set value = '99' where key = 'schema_version'")
    before = db.read_bytes()

    for extra in ([], ["--fresh"]):
        status, _, err = main(capsys, "bank", "build", source, "--db", db, *extra)
        assert status == 2 and "更新版本" in err and "--force" in err
        assert db.read_bytes() == before

    status, _, err = main(capsys, "bank", "build", source, "--db", db, "--force")
    assert status == 0
    (aside,) = db.parent.glob("bank.db.newer-*")
    assert aside.read_bytes() == before


def test_a_second_build_waits_or_with_no_wait_exits_2_and_nothing_is_lost(tmp_path, report_text):
    db = tmp_path / "bank.db"
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text(report_text, encoding="utf-8")
    second.write_text(report_text.replace("某局", "另一局"), encoding="utf-8")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, main; main.use_checkout(); from bigan.core.bank_lock import hold\n"
         "with hold(sys.argv[1]): "
         "print('held', flush=True); sys.stdin.read()", str(db)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        refused = run_main("bank", "build", first, "--db", db, "--no-wait")
        assert refused.returncode == 2
        assert "另一个导入正在进行" in refused.stderr and f"进程 {holder.pid}" in refused.stderr
        waiting = subprocess.Popen(
            [sys.executable, "main.py", "bank", "build", second, "--db", db],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        )  # fmt: skip
        assert waiting.stderr is not None
        assert "另一个导入正在进行" in waiting.stderr.readline()
        assert waiting.poll() is None
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait()
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0 and "Traceback" not in err
    assert "导入完成：1 个文件" in out
    assert bank.stats(db)["files"] == 1


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def test_a_killed_build_leaves_no_worker_and_its_file_goes_at_the_next_build(tmp_path, seed, report_text):
    folder = tmp_path / "archive"
    folder.mkdir()
    text = seed("003").read_text(encoding="utf-8")
    for n in range(4):
        (folder / f"copy{n}.txt").write_text(f"{text}\n第{n}份。\n", encoding="utf-8")
    db = tmp_path / "bank.db"
    build = subprocess.Popen([sys.executable, "main.py", "bank", "build", folder, "--db", db], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(_children(build.pid)) < 2:
            time.sleep(0.05)
        workers = _children(build.pid)
        assert len(workers) >= 2 and Path(f"{db}.building-{build.pid}").exists()
    finally:
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(pid_alive(w) for w in workers):
        time.sleep(0.1)
    assert not any(pid_alive(w) for w in workers)
    assert Path(f"{db}.building-{build.pid}").exists()

    one = tmp_path / "one.txt"
    one.write_text(report_text, encoding="utf-8")
    bank.build([one], db)

    assert not list(tmp_path.glob("bank.db.building-*"))
    assert bank.stats(db)["files"] == 1


def test_unreadable_folders_read_only_banks_and_an_unwritable_home_are_named(tmp_path, report_text):
    archive = tmp_path / "archive"
    (archive / "secret").mkdir(parents=True)
    (archive / "good.txt").write_text(report_text, encoding="utf-8")
    (archive / "secret" / "hidden.txt").write_text(report_text, encoding="utf-8")
    shut = tmp_path / "shut"
    shut.mkdir()
    try:
        (archive / "secret").chmod(0)
        shut.chmod(0o555)

        built = run_as_user("bank", "build", archive, "--db", tmp_path / "bank.db")
        assert built.returncode == 1
        assert f"跳过：{archive / 'secret'}：无法读取文件夹：没有权限" in built.stderr
        assert "导入完成：1 个文件" in built.stdout

        read_only = run_as_user("bank", "build", archive / "good.txt", "--db", shut / "bank.db")
        assert read_only.returncode == 2
        assert f"无法在“{shut}”写入素材库：没有权限" in read_only.stderr

        home = run_as_user("bank", "stats", env={"BIGAN_HOME": str(shut / "home")})
        assert home.returncode == 2
        assert home.stderr.startswith("错误：无法使用用户数据目录") and "BIGAN_HOME" in home.stderr
        assert "failed" not in home.stderr
    finally:
        (archive / "secret").chmod(0o755)
        shut.chmod(0o755)


def test_names_and_titles_reach_the_terminal_readable_and_without_escape_codes(tmp_path, capsys, seed):
    raw = os.fsencode(tmp_path) + b"/" + GBK_NAME
    escape = "\x1b[2J\x1b]0;owned\x07"
    text = seed("000").read_text(encoding="utf-8").replace("管理区", f"管理区{escape}", 1)
    Path(os.fsdecode(raw)).write_text(text, encoding="utf-8")
    db = tmp_path / "bank.db"

    parsed = run_main("parse", os.fsdecode(raw))
    built = run_main("bank", "build", os.fsdecode(raw), "--db", db)
    matched = run_main("match", "项目建设", "--db", db)

    assert parsed.returncode == 0 and built.returncode == 0 and matched.returncode == 0
    assert "报告.txt" in built.stderr and "控制字符" in parsed.stderr
    # The title line lost its shape to the escape codes, so the document is named after its file, readably.
    assert "出自《报告》" in matched.stdout
    for output in (parsed.stdout, built.stderr, matched.stdout):
        assert "\x1b" not in output and "\x07" not in output

    draft = tmp_path / "draft.txt"
    draft.write_text(
        f"{escape}某局工作总结\n" + "全年新开工项目十五个，完成投资八亿元。" * 250 + "\n", encoding="utf-8"
    )
    status, _, err = main(capsys, "export", draft, "--out", tmp_path / "out.docx")
    assert status == 0 and "控制字符" in err
