"""Regular files only, and every name shown: pipes, devices, sockets and unreadable names are named, never opened."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from bigan.core import draft
from bigan.core.decode import SourceError, collect_files, read_source
from bigan.core.fsnames import display, from_raw, raw_bytes
from bigan.core.regular import NotRegularFile, read_regular

# 报告.txt as an archive made on Windows names it: GBK bytes, which are not UTF-8.
GBK_NAME = "报告.txt".encode("gbk")


def finishes(work: Callable[[], object], seconds: float = 10.0) -> object:
    """Run work on a daemon thread and return its result or raised exception; fail if it blocks (a FIFO open)."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(work())
        except Exception as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, "blocked: the call never returned"
    return outcome[0]


@pytest.fixture
def specials(tmp_path) -> dict[str, Path]:
    """A FIFO, a link to /dev/zero and a socket, all with names that look like documents."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    device = tmp_path / "zero.txt"
    device.symlink_to("/dev/zero")
    sock_path = tmp_path / "sock.txt"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    yield {"fifo": fifo, "device": device, "socket": sock_path}
    server.close()


def test_pipes_devices_and_sockets_are_refused_without_blocking(specials):
    for kind, path in specials.items():
        result = finishes(lambda p=path: read_regular(p, 1 << 20))
        assert isinstance(result, NotRegularFile), kind
        assert "不是普通文件" in str(result)
        source = finishes(lambda p=path: read_source(p))
        assert isinstance(source, SourceError) and "不是普通文件" in str(source), kind
        opened = finishes(lambda p=path: draft.load(p))
        assert isinstance(opened, draft.DraftError) and "不是普通文件" in str(opened), kind


def test_the_kind_of_special_file_is_named(specials):
    reasons = {kind: str(finishes(lambda p=path: read_regular(p, 10))) for kind, path in specials.items()}
    assert "管道" in reasons["fifo"]
    assert "设备" in reasons["device"]
    assert "套接字" in reasons["socket"]


def test_a_folder_names_what_it_skips_and_keeps_the_documents(tmp_path, specials, report_text):
    (tmp_path / "good.txt").write_text(report_text, encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / ".hidden.txt").write_text(report_text, encoding="utf-8")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")

    files, rejects = finishes(lambda: collect_files([tmp_path]))

    assert [f.name for f in files] == ["good.txt"]
    named = {Path(path).name: reason for path, reason in rejects}
    assert set(named) == {"pipe.txt", "zero.txt", "sock.txt", "gone.txt"}
    assert "管道" in named["pipe.txt"] and "链接指向的文件不存在" in named["gone.txt"]


def test_a_pipe_named_directly_is_rejected_with_its_reason(specials):
    files, rejects = collect_files([specials["fifo"], specials["device"]])
    assert files == []
    assert [Path(p).name for p, _ in rejects] == ["pipe.txt", "zero.txt"]
    assert all("不是普通文件" in reason for _, reason in rejects)


def test_saving_a_draft_over_a_device_is_refused(tmp_path):
    link = tmp_path / "out.txt"
    link.symlink_to("/dev/null")
    with pytest.raises(draft.DraftError, match="不是普通文件"):
        draft.save(draft.Draft.from_text("标题\n正文。\n"), link, force=True)
    assert Path("/dev/null").is_char_device()


def test_a_gbk_file_name_reads_as_chinese_and_its_bytes_reopen_it(tmp_path):
    path = os.fsdecode(os.fsencode(tmp_path) + b"/" + GBK_NAME)
    Path(path).write_text("内容", encoding="utf-8")

    assert display(path) == f"{tmp_path}/报告.txt"
    assert from_raw(raw_bytes(path)).read_text(encoding="utf-8") == "内容"
    assert raw_bytes(tmp_path / "plain.txt") is None


def test_bytes_that_are_no_encoding_are_shown_as_escapes():
    name = os.fsdecode(b"/data/bad\xff\xfe.txt")
    shown = display(name)
    assert shown == "/data/bad\\xff\\xfe.txt"
    shown.encode("utf-8")
