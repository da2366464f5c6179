"""The 公文 topic thesaurus: which report chapter (topic) a piece of text is about."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache, lru_cache

from bigan.core.paths import RESOURCES

MAX_TOPICS = 3
MIN_SHARE = 0.15


@cache
def thesaurus() -> dict[str, tuple[str, ...]]:
    """Topic name to its terms, as shipped in resources/thesaurus.json."""
    data = json.loads((RESOURCES / "thesaurus.json").read_text(encoding="utf-8"))
    return {name: tuple(topic["terms"]) for name, topic in data["topics"].items()}


@cache
def term_topics() -> dict[str, tuple[str, ...]]:
    """Term to the topics it belongs to."""
    index: dict[str, list[str]] = defaultdict(list)
    for name, terms in thesaurus().items():
        for term in terms:
            index[term].append(name)
    return {term: tuple(names) for term, names in index.items()}


def topic_weights(
    weighted_words: Iterable[tuple[str, float]], sense: Callable[[str, str], float] | None = None
) -> dict[str, float]:
    """Share of each topic among the thesaurus words found, top few only, summing to at most 1.

    `sense(word, topic)` (0–1) can say how surely a word means that topic where it is written (稳定 in
    稳定增长 is not 维稳); without it every thesaurus word counts fully for each of its topics.
    """
    index = term_topics()
    totals: dict[str, float] = defaultdict(float)
    for word, weight in weighted_words:
        for name in index.get(word, ()):
            totals[name] += weight * (sense(word, name) if sense else 1.0)
    whole = sum(totals.values())
    if not whole:
        return {}
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])[:MAX_TOPICS]
    return {name: value / whole for name, value in ranked if value / whole >= MIN_SHARE}


def encode(weights: dict[str, float]) -> str:
    """Compact text form stored in the bank: 安全稳定:0.62,民生:0.21."""
    return ",".join(f"{name}:{value:.2f}" for name, value in weights.items())


@lru_cache(maxsize=4096)
def decode(text: str | None) -> dict[str, float]:
    """Inverse of encode (the latest strings cached, a bounded number: a build meets new ones with every section;
    callers must not mutate the result)."""
    if not text:
        return {}
    out = {}
    for part in text.split(","):
        name, _, value = part.partition(":")
        out[name] = float(value)
    return out
