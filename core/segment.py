"""Chinese word segmentation (jieba) for indexing and queries, loaded once per process."""

from __future__ import annotations

import json
import logging
import re
import threading
from functools import cache

from bigan.core.paths import RESOURCES

_WORD = re.compile(r"[\u3400-\u9fffA-Za-z]")
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+是$|^第[一二三四五六七八九十]+$")
_lock = threading.Lock()
_ready = False


@cache
def stopwords() -> frozenset[str]:
    """Function words that never count as a match."""
    lines = (RESOURCES / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@cache
def thesaurus_terms() -> tuple[str, ...]:
    """Every term of the topic thesaurus, added to jieba's dictionary so they stay whole words."""
    path = RESOURCES / "thesaurus.json"
    if not path.exists():
        return ()
    topics = json.loads(path.read_text(encoding="utf-8"))["topics"]
    return tuple(sorted({t for topic in topics.values() for t in topic["terms"]}))


def ensure_loaded() -> None:
    """Load jieba's dictionary and the project's words; slow (about a second), so done once."""
    global _ready
    if _ready:
        return
    with _lock:
        if _ready:
            return
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        for term in thesaurus_terms():
            if len(term) > 1:
                jieba.add_word(term, freq=2000)
        _ready = True


def signature() -> str:
    """What the index depends on: a bank built with another word list must be rebuilt."""
    import hashlib

    import jieba

    words = "\n".join(thesaurus_terms())
    return f"jieba-{jieba.__version__}-search-nohmm-{hashlib.sha1(words.encode()).hexdigest()[:12]}"


_keep: dict[str, bool] = {}


def _is_search_word(word: str) -> bool:
    keep = _keep.get(word)
    if keep is None:
        keep = _keep[word] = bool(word not in stopwords() and _WORD.search(word) and not _ORDINAL.match(word))
    return keep


_HAN = re.compile(r"([\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+)")
_clause_cache: dict[str, tuple[str, ...]] = {}
CLAUSE_CACHE = 300_000
# A run this long without punctuation is no clause a person wrote; cut into pieces, jieba's memory stays bounded.
MAX_RUN = 1000


def words(text: str) -> list[str]:
    """Segment text into search words (jieba search mode, no HMM), dropping punctuation and function words."""
    ensure_loaded()
    out: list[str] = []
    for block in _HAN.split(text):
        # A non-word run is split too: it may hold Han characters outside jieba's range (Extension A).
        for start in range(0, len(block), MAX_RUN):
            out.extend(_run_words(block[start : start + MAX_RUN]))
    return out


def _run_words(block: str) -> tuple[str, ...]:
    """The search words of one run between punctuation; jieba segments each run on its own, so runs are cached
    (reports repeat them a lot)."""
    import jieba

    cached = _clause_cache.get(block)
    if cached is None:
        if _HAN.fullmatch(block):
            cached = tuple(w for w in jieba.cut_for_search(block, HMM=False) if _is_search_word(w))
        else:
            cached = tuple(ch for ch in block if _is_search_word(ch))
        if len(_clause_cache) >= CLAUSE_CACHE:
            _clause_cache.clear()
        _clause_cache[block] = cached
    return cached


def joined(text: str) -> str:
    """Words of text separated by spaces, the form stored in the full-text index."""
    return " ".join(words(text))
