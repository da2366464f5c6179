"""Autosave and recovery: the copy is written soon and often, survives a killed process, and goes on a clean close."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bigan.core import recovery
from bigan.core.recovery import Recovery

ROOT = Path(__file__).resolve().parents[2]


def _left_behind(directory: Path, text: str, source: Path | None = None) -> None:
    """An editor process that wrote its recovery copy and then died without a clean close."""
    script = (
        f"import os, sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "import main; main.use_checkout()\nfrom bigan.core.recovery import Recovery\n"
        f"rec = Recovery({str(source) if source else None!r}, directory={str(directory)!r})\n"
        f"rec.update({text!r}); rec.flush(); os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


def _on_disk(rec: Recovery) -> str | None:
    try:
        return json.loads(rec.path.read_text(encoding="utf-8"))["text"]
    except FileNotFoundError:
        return None


def test_copy_is_written_once_typing_pauses(tmp_path):
    rec = Recovery(directory=tmp_path)
    rec.update("标题\n一、总体要求\n", now=0.0)

    assert not rec.tick(now=1.0)
    assert _on_disk(rec) is None
    assert rec.tick(now=1.6)
    assert _on_disk(rec) == "标题\n一、总体要求\n"
    assert not rec.tick(now=3.0)  # nothing new to write


def test_while_typing_goes_on_the_copy_is_never_more_than_5_seconds_behind(tmp_path):
    rec = Recovery(directory=tmp_path)
    fed: list[tuple[float, str]] = []
    now, text = 0.0, "标题\n"
    while now < 30:
        text += "字"
        rec.update(text, now=now)
        fed.append((now, text))
        now = round(now + 0.25, 2)
        rec.tick(now=now)
        if now >= 5:
            older = [t for at, t in fed if at <= now - 5]
            assert (_on_disk(rec) or "").startswith(older[-1]), now


def test_a_clean_close_removes_the_copy_and_nothing_is_offered_next_time(tmp_path):
    rec = Recovery(directory=tmp_path)
    rec.update("草稿\n", now=0)
    rec.tick(now=5)
    assert rec.path.exists()

    rec.close()

    assert list(tmp_path.iterdir()) == []
    assert Recovery(directory=tmp_path).pending() == []


def test_saving_the_draft_removes_the_copy_until_the_next_edit(tmp_path):
    rec = Recovery(directory=tmp_path)
    rec.update("草稿\n", now=0)
    rec.tick(now=5)

    rec.saved(tmp_path / "报告.docx")
    assert not rec.path.exists()
    assert not rec.tick(now=10)

    rec.update("草稿\n又改了一句。\n", now=11)
    assert rec.tick(now=13)
    data = json.loads(rec.path.read_text(encoding="utf-8"))
    assert data["source"] == str(tmp_path / "报告.docx")


def test_after_a_crash_the_next_start_offers_the_draft_and_its_file(tmp_path):
    _left_behind(tmp_path, "某局2023年工作总结\n一、主要成效\n", tmp_path / "报告.docx")

    following = Recovery(directory=tmp_path)
    (copy,) = following.pending()

    assert copy.text == "某局2023年工作总结\n一、主要成效\n"
    assert copy.title == "某局2023年工作总结"
    assert copy.source == tmp_path / "报告.docx"
    assert copy.saved_at == pytest.approx(time.time(), abs=60)


def test_a_restored_copy_is_continued_and_goes_on_a_clean_close(tmp_path):
    _left_behind(tmp_path, "标题\n第一段。\n")
    following = Recovery(directory=tmp_path)
    (copy,) = following.pending()

    restored = following.restore(copy)

    assert restored.to_text() == "标题\n第一段。\n"
    assert following.path == copy.path
    following.update("标题\n第一段。\n第二段。\n", now=10)
    following.tick(now=12)
    assert _on_disk(following) == "标题\n第一段。\n第二段。\n"
    assert Recovery(directory=tmp_path).pending() == []  # in use by the editor that restored it
    following.close()
    assert Recovery(directory=tmp_path).pending() == []
    assert not copy.path.exists()


def test_a_discarded_copy_is_gone(tmp_path):
    _left_behind(tmp_path, "不要了\n")
    following = Recovery(directory=tmp_path)
    (copy,) = following.pending()

    following.discard(copy)

    assert following.pending() == []
    assert not copy.path.exists()


def test_another_running_editors_copy_is_not_offered(tmp_path):
    first = Recovery(directory=tmp_path)
    first.update("另一个窗口的草稿\n", now=0)
    first.tick(now=2)

    assert Recovery(directory=tmp_path).pending() == []
    first.close()


def test_a_failing_copy_write_is_reported_and_retried(tmp_path, monkeypatch):
    rec = Recovery(directory=tmp_path)
    rec.update("草稿\n", now=0)

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(recovery.atomic, "write_text", full)
    assert not rec.tick(now=2)
    assert "自动保存" in rec.last_error and "手动保存" in rec.last_error
    assert rec.dirty

    monkeypatch.undo()
    assert rec.tick(now=2.5)
    assert rec.last_error == "" and _on_disk(rec) == "草稿\n"


def test_the_background_thread_writes_without_an_editor_timer(tmp_path):
    rec = Recovery(directory=tmp_path, idle=0.05, interval=0.2)
    rec.start(period=0.01)
    rec.update("后台保存\n")
    deadline = time.monotonic() + 3
    while _on_disk(rec) is None and time.monotonic() < deadline:
        time.sleep(0.01)

    assert _on_disk(rec) == "后台保存\n"
    rec.close()
    assert not rec.path.exists()


CHILD = """
import sys, time
sys.path.insert(0, {root!r})
import main; main.use_checkout()
from bigan.core.recovery import Recovery

rec = Recovery({source!r})
rec.start(period=0.1)
text = "某局2023年工作总结\\n"
i = 0
while True:
    text += f"第{{i}}段。\\n"
    rec.update(text)
    print(i, time.monotonic(), flush=True)
    i += 1
    time.sleep(0.02)
"""


def test_a_killed_editor_loses_at_most_the_last_5_seconds_of_typing(tmp_path, monkeypatch):
    monkeypatch.setenv("BIGAN_HOME", str(tmp_path))
    script = tmp_path / "editor.py"
    script.write_text(CHILD.format(root=str(ROOT), source=str(tmp_path / "报告.docx")), encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "BIGAN_HOME": str(tmp_path)},
    )
    time.sleep(7.5)
    killed_at = time.monotonic()
    child.send_signal(signal.SIGKILL)
    output, _ = child.communicate(timeout=10)

    fed = [(int(n), float(at)) for n, at in (line.split() for line in output.splitlines())]
    must_keep = max(n for n, at in fed if at <= killed_at - 5)
    (copy,) = Recovery().pending()
    kept = copy.text.splitlines()

    assert kept[0] == "某局2023年工作总结"
    assert kept[1:] == [f"第{n}段。" for n in range(len(kept) - 1)]
    assert len(kept) - 2 >= must_keep
    assert copy.source == tmp_path / "报告.docx"
