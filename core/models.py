"""Domain dataclasses shared by the import pipeline and the phrase bank."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    """One paragraph of a source file, with a heading level when the file's styles give one."""

    text: str
    style_level: int | None = None
    is_title: bool = False
    truncated: bool = False
    # What the paragraph is besides body text: salutation, opening, glossary, appendix ("" for body text).
    role: str = ""


@dataclass
class SourceText:
    """A decoded source file: its paragraphs, the encoding they were read with, and notes for the user."""

    path: str
    blocks: list[Block]
    encoding: str
    checksum: str
    size: int
    notes: list[str] = field(default_factory=list)


@dataclass
class Section:
    """A numbered heading of a document and where it sits in the outline."""

    level: int
    number: str
    heading: str
    path: tuple[str, ...] = ()
    parent: int | None = None
    position: int = 0


@dataclass
class Passage:
    """A reusable unit of text: a paragraph or an item (一是…) inside one."""

    kind: str
    text: str
    template: str
    heading: str = ""
    truncated: bool = False
    section: int | None = None
    position: int = 0

    @property
    def chars(self) -> int:
        """Number of characters, the unit writers count in."""
        return len(self.text)


@dataclass
class Aside:
    """Text of a document that is not a reusable passage: a salutation, the opening, a glossary or appendix."""

    kind: str
    text: str
    position: int = 0


@dataclass
class Document:
    """One document found in a source file, with its outline, passages and the date it was delivered."""

    title: str
    source: str
    index: int = 0
    sections: list[Section] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    asides: list[Aside] = field(default_factory=list)
    date: str = ""
    year: int | None = None
    converted: bool = False


@dataclass
class Skipped:
    """A file that could not be imported and the reason, in words for the user."""

    path: str
    reason: str
