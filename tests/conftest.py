"""Shared fixtures: an isolated user data dir, the bundled bank built once, small report files."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import main  # noqa: E402

# The tests exercise this checkout, even when another copy of 笔杆 is installed.
main.use_checkout()

from bigan.core import bank  # noqa: E402
from bigan.core.paths import BUNDLED_CORPUS  # noqa: E402

# A short work report with every common heading level, a run-in heading and enumerated items.
# Only characters that GBK can encode, so the same text can be written in every supported encoding.
REPORT = """某局2023年工作总结
今年以来，我局在县委、县政府的正确领导下，扎实推进各项工作，取得了明显成效。现将有关情况总结如下：
一、主要工作成效
（一）狠抓项目建设，增强发展后劲。一是加快项目开工。全年新开工项目15个，完成投资8.6亿元。二是强化要素保障。落实用地指标120亩，协调解决问题36个。
（二）优化营商环境
深化“放管服”改革，推行帮办代办服务，企业办事时间平均缩短一半以上。
二、存在的问题
1.项目储备不足，大项目、好项目偏少。
2.干部队伍能力有待提升。
三、2024年工作安排
（一）聚焦重点任务
坚持稳中求进工作总基调，全力推动经济高质量发展。
"""

# The headings of REPORT in document order: (level, number, text without the number). The numbered
# sentences under 存在的问题 are items, not headings.
REPORT_HEADINGS = [
    (1, "一、", "主要工作成效"),
    (2, "（一）", "狠抓项目建设，增强发展后劲"),
    (2, "（二）", "优化营商环境"),
    (1, "二、", "存在的问题"),
    (1, "三、", "2024年工作安排"),
    (2, "（一）", "聚焦重点任务"),
]


@pytest.fixture(scope="session", autouse=True)
def bigan_home(tmp_path_factory: pytest.TempPathFactory):
    """Point the user data dir at a temp dir so no test touches the real one."""
    home = tmp_path_factory.mktemp("bigan_home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BIGAN_HOME", str(home))
        yield home


@pytest.fixture(scope="session")
def bundled_bank(tmp_path_factory: pytest.TempPathFactory) -> tuple[bank.BuildReport, Path]:
    """The bank built from the bundled corpus, once per session: (report, db path). Do not modify it."""
    db_path = tmp_path_factory.mktemp("bundled") / "bank.db"
    report = bank.build([BUNDLED_CORPUS], db_path)
    return report, db_path


@pytest.fixture(scope="session")
def bundled_matcher(bundled_bank):
    """One matcher over the bundled bank for the whole session (tests run on one thread)."""
    from bigan.core.match import Matcher

    matcher = Matcher(bundled_bank[1])
    yield matcher
    matcher.close()


@pytest.fixture
def report_text() -> str:
    """The text of a short work report."""
    return REPORT


@pytest.fixture
def report_headings() -> list[tuple[int, str, str]]:
    """The headings of report_text in document order."""
    return list(REPORT_HEADINGS)


@pytest.fixture
def seed() -> Callable[[str], Path]:
    """Path of a bundled seed file by its number, e.g. seed("003")."""

    def find(number: str) -> Path:
        (path,) = BUNDLED_CORPUS.glob(f"{number}_*.txt")
        return path

    return find


@pytest.fixture
def make_docx() -> Callable[[Path, list[tuple[str, str]]], Path]:
    """Write a .docx whose paragraphs are (text, style name) pairs."""

    def write(path: Path, paragraphs: list[tuple[str, str]]) -> Path:
        from docx import Document

        document = Document()
        for text, style in paragraphs:
            document.add_paragraph(text, style=style)
        document.save(str(path))
        return path

    return write


@pytest.fixture(scope="session")
def office_samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """.doc/.rtf/.odt of REPORT and text/scanned/encrypted/restricted PDFs, made once with LibreOffice. Read only."""
    from tests.office import make_samples

    return make_samples(tmp_path_factory.mktemp("office"), REPORT)


@pytest.fixture(scope="session")
def seed_banks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three small banks built once from the seeds, for office-bank tests: copy them before changing them.

    a: writer A's (001 and the 11 documents of 003), b: writer B's (002), c: the curator's (the 9 of 004).
    """
    base = tmp_path_factory.mktemp("seed_banks")
    files = {f.name[:3]: f for f in BUNDLED_CORPUS.glob("*.txt")}
    out = {}
    for name, numbers in {"a": ("001", "003"), "b": ("002",), "c": ("004",)}.items():
        out[name] = base / f"{name}.db"
        bank.build([files[n] for n in numbers], out[name])
    return out
