"""Real State Council reports as scraped (Traditional characters, wiki footers, lines broken at links)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bigan.core.corpus import parse_file

DATA = Path(__file__).resolve().parent.parent / "data" / "realdocs"
YEARS = [1954, 1982, 2001, 2022, 2025]


def _parse(year: int):
    _, documents = parse_file(DATA / f"statecouncil_{year}.txt")
    return documents


@pytest.mark.parametrize("year", YEARS)
def test_each_report_is_one_document_titled_and_dated(year):
    (document,) = _parse(year)
    assert document.title == f"{year}年中华人民共和国国务院政府工作报告"
    assert document.year == year


def test_the_delivery_line_gives_the_date():
    (document,) = _parse(2022)
    assert document.date == "2022-03-05"
    assert not [p for p in document.passages if "李克强" in p.text and len(p.text) < 10]


@pytest.mark.parametrize("year", YEARS)
def test_no_passage_is_the_wiki_licence_or_a_salutation(year):
    (document,) = _parse(year)
    texts = [p.text for p in document.passages]
    assert not [t for t in texts if "公有领域" in t or "维基文库" in t or "Public domain" in t]
    assert not [t for t in texts if t in ("各位代表：", "各位代表！")]
    assert "salutation" in {a.kind for a in document.asides}


def test_a_traditional_report_is_converted_to_simplified():
    (document,) = _parse(1954)
    assert document.converted
    text = "".join(p.text for p in document.passages)
    assert "社会主义工业化" in text
    assert "會" not in text and "國" not in text


def test_a_book_title_broken_out_by_a_link_stays_in_its_sentence():
    (document,) = _parse(2001)
    opening = [p.text for p in document.passages if "第十个五年计划的建议》" in p.text]
    assert opening and "《中共中央关于制定国民经济和社会发展第十个五年计划的建议》，提出了" in opening[0]


def test_chapters_keep_their_numbers_and_levels():
    (document,) = _parse(2025)
    chapters = [(s.number, s.heading) for s in document.sections if s.level == 1]
    assert chapters[0] == ("一、", "2024年工作回顾")
    assert len(chapters) == 3
    assert any(s.level == 2 and s.number == "（一）" for s in document.sections)
