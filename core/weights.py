"""How much each ranking signal counts; written by bench/tune_match.py from the tuning split, never by hand."""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "fts": 0.9,
    "section": 0.9,
    "passage_topic": 1.5,
    "freq": 0.1,
    "truncated": -0.5,
    "short": -0.1,
    "length": 0.0,
    "item": 0.0,
    "common": -0.5,
    "section_lex": 3.0,
    "section_topic": 3.0,
    "role": 0.5,
    "heading_sim": 0.0,
    "path_sim": 0.0,
    "level": -0.3,
    "recent": 0.3,
    "lex": 0.25,
    "head_lex": 0.15,
    "expansion": 0.1,
    "announces": -0.5,
    "thesaurus": 0.3,
    "associated": 0.3,
    "same_document": 0.12,
}
