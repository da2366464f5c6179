"""Chinese word segmentation for indexing and queries (rjieba, or jieba without it), loaded once per process."""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from functools import cache

from bigan.core.paths import RESOURCES

_WORD = re.compile(r"[\u3400-\u9fffA-Za-z]")
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+是$|^第[一二三四五六七八九十]+$")
_lock = threading.Lock()


@cache
def stopwords() -> frozenset[str]:
    """Function words that never count as a match."""
    lines = (RESOURCES / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@cache
def thesaurus_terms() -> tuple[str, ...]:
    """Every term of the topic thesaurus, added to the segmenter's dictionary so they stay whole words."""
    path = RESOURCES / "thesaurus.json"
    if not path.exists():
        return ()
    topics = json.loads(path.read_text(encoding="utf-8"))["topics"]
    return tuple(sorted({t for topic in topics.values() for t in topic["terms"]}))


BACKEND_ENV = "BIGAN_SEGMENTER"
# Frequency a thesaurus term gets: high enough to stay one word beside the dictionary's own entries.
TERM_FREQ = 2000


class _Backend:
    """One segmenter: its name and version for the bank's signature, and search-mode cutting without HMM."""

    name = ""
    version = ""
    whole_text = False  # whether a whole text may be cut at once (the same words as run by run)

    def cut(self, text: str) -> list[str]:
        raise NotImplementedError


class _Rjieba(_Backend):
    """jieba-rs through rjieba: jieba's own dictionary and search mode, some 15 times faster."""

    name = "rjieba"
    whole_text = True

    def __init__(self) -> None:
        import importlib.metadata

        import rjieba

        self.version = importlib.metadata.version("rjieba")
        # The module's default instance already holds the dictionary (a second one would load it again).
        self._cut = rjieba.cut_for_search
        for term in thesaurus_terms():
            if len(term) > 1:
                rjieba.add_word(term, TERM_FREQ, None)

    def cut(self, text: str) -> list[str]:
        return self._cut(text, False)


class _Jieba(_Backend):
    """jieba itself, where rjieba cannot be imported."""

    name = "jieba"

    def __init__(self) -> None:
        import jieba

        load_jieba()
        self.version = jieba.__version__
        self._cut = jieba.cut_for_search

    def cut(self, text: str) -> list[str]:
        return list(self._cut(text, HMM=False))


_jieba_lock = threading.Lock()
_jieba_ready = False


def load_jieba() -> None:
    """Load jieba itself with the project's words (for its part-of-speech tags, or as the segmenter), once."""
    global _jieba_ready
    with _jieba_lock:
        if _jieba_ready:
            return
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        for term in thesaurus_terms():
            if len(term) > 1:
                jieba.add_word(term, freq=TERM_FREQ)
        # jieba's total counts a word given twice (its dictionary has one) and a re-added word's old frequency
        # too; jieba-rs sums each word's frequency once. Every word's probability divides by the total, and
        # where two cuts tie the rounding decides: the same total gives the same words.
        tokenizer = jieba.dt
        tokenizer.total = sum(tokenizer.FREQ.values())
        _jieba_ready = True


_backend: _Backend | None = None


def _choose() -> _Backend:
    wanted = os.environ.get(BACKEND_ENV, "")
    if wanted != "jieba":
        try:
            return _Rjieba()
        except ImportError:
            if wanted == "rjieba":
                raise
    return _Jieba()


def ensure_loaded() -> None:
    """Load the segmenter's dictionary and the project's words (rjieba about 0.15 s, jieba about a second), once."""
    global _backend
    if _backend is not None:
        return
    with _lock:
        if _backend is None:
            _backend = _choose()


def backend() -> str:
    """Name of the segmenter in use: rjieba, or jieba where rjieba is not installed."""
    ensure_loaded()
    assert _backend is not None
    return _backend.name


def signature() -> str:
    """What the index depends on: a bank built with another segmenter or word list must be rebuilt."""
    import hashlib

    ensure_loaded()
    assert _backend is not None
    words = "\n".join(thesaurus_terms())
    digest = hashlib.sha1(words.encode()).hexdigest()[:12]
    return f"{_backend.name}-{_backend.version}-search-nohmm-total-{digest}"


class _Keep(dict):
    """Whether a word is a search word, worked out once per word: the dict lookup runs in C."""

    def __missing__(self, word: str) -> bool:
        keep = self[word] = bool(word not in stopwords() and _WORD.search(word) and not _ORDINAL.match(word))
        return keep


_keep = _Keep()


def _is_search_word(word: str) -> bool:
    return _keep[word]


_HAN = re.compile(r"([\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+)")
_clause_cache: dict[str, tuple[str, ...]] = {}
CLAUSE_CACHE = 300_000
# A run this long without punctuation is no clause a person wrote; cut into pieces, jieba's memory stays bounded.
MAX_RUN = 1000


# Han characters rjieba reads as words but jieba and _HAN do not, and a run of MAX_RUN word characters: text
# holding either is cut run by run.
_RARE_HAN = re.compile(r"[\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_LONG_RUN = re.compile(rf"{_HAN.pattern[1:-2]}{{{MAX_RUN}}}")


def words(text: str) -> list[str]:
    """Segment text into search words (search mode, no HMM), dropping punctuation and function words."""
    ensure_loaded()
    assert _backend is not None
    if _backend.whole_text and not _RARE_HAN.search(text) and (len(text) < MAX_RUN or not _LONG_RUN.search(text)):
        # rjieba splits at punctuation as _HAN does and yields what lies between one character at a time, which
        # _keep drops: the same words as run by run, without a Python loop over the runs.
        return list(filter(_keep.__getitem__, _backend.cut(text)))
    out: list[str] = []
    for block in _HAN.split(text):
        # A non-word run is split too: it may hold Han characters outside jieba's range (Extension A).
        for start in range(0, len(block), MAX_RUN):
            out.extend(_run_words(block[start : start + MAX_RUN]))
    return out


def _run_words(block: str) -> tuple[str, ...]:
    """The search words of one run between punctuation; jieba segments each run on its own, so runs are cached
    (reports repeat them a lot)."""
    cached = _clause_cache.get(block)
    if cached is None:
        if _HAN.fullmatch(block):
            assert _backend is not None
            cached = tuple(w for w in _backend.cut(block) if _is_search_word(w))
        else:
            cached = tuple(ch for ch in block if _is_search_word(ch))
        if len(_clause_cache) >= CLAUSE_CACHE:
            _clause_cache.clear()
        _clause_cache[block] = cached
    return cached


def joined(text: str) -> str:
    """Words of text separated by spaces, the form stored in the full-text index."""
    return " ".join(words(text))
