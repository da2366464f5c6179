"""The fast segmenter (rjieba) cuts exactly as jieba does, thesaurus words included, and banks know which one cut."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bigan.core import segment

ROOT = Path(__file__).resolve().parents[2]
TEXTS = sorted((ROOT / "resources" / "corpus").glob("*.txt")) + sorted((ROOT / "tests/data/realdocs").glob("*.txt"))


def _runs() -> list[str]:
    """Every run between punctuation of the bundled corpus and the real reports: what the segmenter is given."""
    runs = {
        block
        for path in TEXTS
        for line in path.read_text(encoding="utf-8").splitlines()
        for block in segment._HAN.split(line)
        if block and segment._HAN.fullmatch(block)
    }
    return sorted(runs)


@pytest.fixture(scope="module")
def backends() -> tuple[segment._Backend, segment._Backend]:
    return segment._Rjieba(), segment._Jieba()


def test_rjieba_cuts_every_run_of_the_corpus_and_real_reports_as_jieba_does(backends):
    fast, slow = backends
    runs = _runs()
    assert len(runs) > 15_000
    differ = [(run, fast.cut(run), slow.cut(run)) for run in runs if fast.cut(run) != slow.cut(run)]
    assert differ == []


def test_thesaurus_terms_stay_whole_words_in_both(backends):
    terms = [t for t in segment.thesaurus_terms() if len(t) > 1]
    for backend in backends:
        assert all(term in backend.cut(term) for term in terms)


def test_a_tie_between_two_cuts_goes_the_same_way_in_both(backends):
    # Both cuts of 教育经费支出 (教育+经费支出, 教育经费+支出) are equally likely once 教育 and 支出 carry the
    # thesaurus frequency; the dictionary's total decides the rounding, so it must be the same in both.
    fast, slow = backends
    for text in ("教育经费支出稳步增长", "全县教育经费支出比例", "今年教育经费支出达到"):
        assert fast.cut(text) == slow.cut(text)


def test_the_signature_names_the_segmenter_so_a_bank_cut_by_another_is_rebuilt(monkeypatch):
    seen = {}
    for name in ("rjieba", "jieba"):
        monkeypatch.setenv(segment.BACKEND_ENV, name)
        monkeypatch.setattr(segment, "_backend", None)
        seen[name] = (segment.backend(), segment.signature())
    assert seen["rjieba"][0] == "rjieba"
    assert seen["jieba"][0] == "jieba"
    assert seen["rjieba"][1] != seen["jieba"][1]
    assert seen["rjieba"][1].startswith("rjieba-") and seen["jieba"][1].startswith("jieba-")


def test_rjieba_is_the_default_segmenter(monkeypatch):
    monkeypatch.delenv(segment.BACKEND_ENV, raising=False)
    monkeypatch.setattr(segment, "_backend", None)
    assert segment.backend() == "rjieba"


def _run_by_run(text: str) -> list[str]:
    out: list[str] = []
    for block in segment._HAN.split(text):
        for start in range(0, len(block), segment.MAX_RUN):
            out.extend(segment._run_words(block[start : start + segment.MAX_RUN]))
    return out


def test_a_whole_text_cut_at_once_gives_the_words_of_a_cut_run_by_run():
    segment.ensure_loaded()
    lines = [line for path in TEXTS for line in path.read_text(encoding="utf-8").splitlines()]
    assert [line for line in lines if segment.words(line) != _run_by_run(line)] == []


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            [
                *"发展经济建设改革一是，。、；：！？“”（）《》 \t\n-_.%#&+ABxy09ＡＢ１・—…\ufffd\u200b",
                *("\u3400", "\u4dbf", "\u9fd6", "\u9fff", "\uf900", "\U00020001", "\r"),
            ]
        ),
        max_size=80,
    )
)
def test_any_mix_of_characters_cuts_the_same_at_once_as_run_by_run(text):
    segment.ensure_loaded()
    assert segment.words(text) == _run_by_run(text)


def test_a_run_longer_than_max_run_is_cut_in_pieces():
    segment.ensure_loaded()
    text = "发展" * segment.MAX_RUN
    assert segment.words(text) == _run_by_run(text)
