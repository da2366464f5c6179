"""How much each ranking signal counts; written by bench/tune_match.py from the tuning split, never by hand."""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "fts": 1.4,
    "section": 0.75,
    "passage_topic": 0.65,
    "freq": -0.15,
    "truncated": -0.5,
    "short": -0.6,
    "length": 0.75,
    "item": 0.0,
    "common": -0.5,
    "section_lex": 2.75,
    "section_topic": 1.25,
    "role": 1.6,
    "passage_role": -0.2,
    "heading_sim": -0.35,
    "path_sim": 0.75,
    "level": 0.3,
    "recent": 0.3,
    "lex": 0.25,
    "head_lex": 1.5,
    "expansion": 0.2,
    "announces": -1.25,
    "thesaurus": 0.3,
    "associated": 0.3,
    "same_document": 0.12,
}
