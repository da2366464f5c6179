"""素材 › 重建素材库, 单位素材库 and 审核入库 from the window: the work runs in the background, the user is told."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from bigan.core import bank
from bigan.gui.questions import Questions

OTHER = """某镇2025年工作总结
一、主要工作
（一）全力抓好河道综合整治
完成河道清淤疏浚三十二公里，新建生态护岸八公里，镇域水质优良比例明显提升，群众满意度大幅提高。
"""


def _other_bank(tmp_path: Path) -> Path:
    folder = tmp_path / "office_src"
    folder.mkdir()
    (folder / "zhen.txt").write_text(OTHER, encoding="utf-8")
    db = tmp_path / "office_src.db"
    bank.build([folder], db)
    return db


def test_rebuilding_a_damaged_bank_keeps_the_old_file_and_brings_the_passages_back(
    qtbot, make_window, report_text, tmp_path, bundled_bank, monkeypatch, put_cursor, line_of, wait_for_snippets
):
    db = tmp_path / "bank.db"
    shutil.copy(bundled_bank[1], db)
    window = make_window(report_text, db=db)
    sqlite3.connect(db).execute("drop table entries_fts")  # a damaged bank
    monkeypatch.setattr(Questions, "ask_confirm", lambda self, title, text, yes: True)
    with qtbot.waitSignal(window.builder.finished, timeout=180_000):
        assert window.bank.rebuild()
    assert bank.stats(db)["documents"] == 23
    assert list(tmp_path.glob("bank.db.corrupt-*"))
    assert "重建" in window.statusBar().currentMessage()
    put_cursor(window, line_of(window, "（二）优化营商环境"))
    assert wait_for_snippets(window, "（二）优化营商环境")


def test_an_attached_office_bank_adds_its_passages_marked_as_the_offices(
    qtbot, make_window, tmp_path, put_cursor, line_of, wait_for_snippets
):
    from bigan.core.publish import publish

    shared = tmp_path / "share" / "office.db"
    shared.parent.mkdir()
    publish(_other_bank(tmp_path), shared, who="办公室")
    window = make_window("某局2025年工作总结\n一、主要工作\n（一）抓好河道综合整治\n")
    from bigan.core import office

    window.office.attach(str(shared))
    qtbot.waitUntil(lambda: any(s.copy is not None for s in office.stored()), timeout=30000)
    put_cursor(window, line_of(window, "（一）抓好河道综合整治"))
    window.snippet_flow.request(force=True)
    matches = wait_for_snippets(window, "（一）抓好河道综合整治")
    assert any(getattr(m, "bank", "") == "单位" and "河道清淤" in m.text for m in matches)


def test_reviewing_a_package_shows_what_it_brings_and_merges_it_when_agreed(
    qtbot, make_window, report_text, tmp_path, bundled_bank, monkeypatch
):
    from bigan.core.package import export_package

    db = tmp_path / "bank.db"
    shutil.copy(bundled_bank[1], db)
    pkg = tmp_path / "from_colleague.bgpkg"
    export_package(_other_bank(tmp_path), pkg, documents=[1], who="张三")
    window = make_window(report_text, db=db)
    asked = []

    def agree(self, title, text, yes):
        asked.append(text)
        return True

    monkeypatch.setattr(Questions, "ask_confirm", agree)
    with qtbot.waitSignal(window.builder.finished, timeout=120_000):
        window.office.review([str(pkg)])
    assert asked and "张三" in asked[0] and "新的" in asked[0]
    assert bank.stats(db)["documents"] == 24
    assert "已合并 1 个素材包" in window.statusBar().currentMessage()


def test_the_window_clears_what_a_killed_build_left_beside_the_bank(qtbot, make_window, tmp_path, bundled_bank):
    import subprocess
    import sys

    db = tmp_path / "本人.db"
    shutil.copy(bundled_bank[1], db)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    leftover = Path(f"{db}.building-{gone.pid}")
    leftover.write_bytes(b"half a bank")
    make_window("", db=db)
    qtbot.waitUntil(lambda: not leftover.exists(), timeout=20000)
    assert db.exists()
