"""Atomic writes (POSIX): the mode a user's umask or the replaced file gives, and symbolic links kept."""

from __future__ import annotations

import os
import stat

import pytest

from bigan.core import atomic, draft
from bigan.core.draft import Draft


@pytest.fixture
def umask():
    """Set the process umask for one test."""
    previous = os.umask(0o022)
    os.umask(previous)

    def set_mask(mask: int) -> None:
        os.umask(mask)

    yield set_mask
    os.umask(previous)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path, umask, mask, mode):
    umask(mask)

    atomic.write_bytes(tmp_path / "新.txt", b"x")

    assert _mode(tmp_path / "新.txt") == mode
    assert atomic.current_umask() == mask


def test_a_replaced_file_keeps_its_mode(tmp_path, umask):
    umask(0o022)
    path = tmp_path / "共享.docx"
    path.write_bytes(b"old")
    os.chmod(path, 0o660)

    draft.save(Draft.from_text("标题\n正文。\n"), path)

    assert _mode(path) == 0o660
    assert draft.load(path).draft.title == "标题"


def test_writing_through_a_symbolic_link_replaces_the_file_it_points_to(tmp_path, umask):
    umask(0o022)
    real = tmp_path / "文稿" / "报告.txt"
    real.parent.mkdir()
    real.write_text("旧\n", encoding="utf-8")
    os.chmod(real, 0o640)
    link = tmp_path / "桌面快捷.txt"
    link.symlink_to(real)

    atomic.write_text(link, "新\n")

    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8") == "新\n" and _mode(real) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["报告.txt"]


def test_a_dangling_link_gets_its_file_created(tmp_path, umask):
    umask(0o002)
    link = tmp_path / "链接.txt"
    link.symlink_to(tmp_path / "还没有.txt")

    atomic.write_text(link, "内容\n")

    assert link.is_symlink() and (tmp_path / "还没有.txt").read_text(encoding="utf-8") == "内容\n"
    assert _mode(tmp_path / "还没有.txt") == 0o664
