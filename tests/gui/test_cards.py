"""What a snippet card shows: its facts and badges, the passage with the heading's words marked, its source."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from bigan.core.match import Match, Source
from bigan.gui.cards import CARD_CHARS, CardColours, CardLayout, card_text
from bigan.gui.snippets import SnippetsPane

PAD = "\u00a0"


TEXT = "推进重点项目建设，重点项目开工二十个。"


def _match(text: str = TEXT, terms: tuple[str, ...] = ("重点", "重点项目")) -> Match:
    source = Source("某县2024年工作总结", "一、主要工作 › （一）抓项目", "a.txt", 2024)
    return Match(text, text, "paragraph", 1.0, list(terms), 3, source)


def _badges(card) -> list[tuple[str, str]]:
    return [(card.header[start:end], role) for start, end, role in card.badges]


def test_a_card_names_its_shortcut_kind_year_frequency_and_source():
    card = card_text(_match(), 1)
    assert card.header.startswith("Ctrl+1  段落 · 2024年")
    assert _badges(card) == [(f"{PAD}3 篇{PAD}", "badge")]
    assert card.body == "推进重点项目建设，重点项目开工二十个。"
    assert card.source == "《某县2024年工作总结》 › 一、主要工作 › （一）抓项目"
    assert card_text(_match(), 10).header.startswith("段落")  # only the first nine have a shortcut


def test_the_longest_matched_word_is_marked_at_each_place():
    card = card_text(_match(), 1)
    assert [card.body[start:end] for start, end in card.terms] == ["重点项目", "重点项目"]
    assert card_text(_match(terms=()), 1).terms == ()


def test_a_used_card_carries_the_used_badge():
    card = card_text(_match(), 2, used=True)
    assert _badges(card) == [(f"{PAD}3 篇{PAD}", "badge"), (f"{PAD}已用{PAD}", "used")]


def test_a_long_passage_is_cut_with_an_ellipsis():
    card = card_text(_match("发展" * 300), 1)
    assert len(card.body) == CARD_CHARS and card.body.endswith("…")


def test_a_card_from_the_office_bank_says_so():
    match = _match()
    assert "单位" not in card_text(match, 1).header
    match.bank = "单位"
    assert "单位" in card_text(match, 1).header
    match.bank = "本人"
    assert "本人" not in card_text(match, 1).header
    assert "本人" in card_text(match, 1, mixed=True).header


def test_a_narrower_pane_makes_a_taller_card(qapp):
    font = QApplication.font()
    colours = CardColours.of(QApplication.palette())
    card = card_text(_match("加快产业转型升级，" * 12), 1)
    assert CardLayout(card, font, 160, colours).height > CardLayout(card, font, 480, colours).height


def _has_colour(image: QImage, colour: QColor) -> bool:
    wanted = colour.rgb()
    return any(image.pixel(x, y) == wanted for y in range(image.height()) for x in range(image.width()))


def test_the_pane_paints_the_cards_with_their_terms_and_badges_shaded(qtbot):
    pane = SnippetsPane()
    qtbot.addWidget(pane)
    pane.resize(420, 600)
    pane.show()
    qtbot.waitExposed(pane)
    pane.show_results("相关素材", [_match(), _match("另一段，没有所找的词。", ())], used=[True, False])
    image = pane.list.viewport().grab().toImage()
    colours = CardColours.of(pane.list.palette())
    for shade in (colours.term, colours.badge, colours.used):
        assert _has_colour(image, QColor(shade)), shade
    assert pane.title.text() == "相关素材（2 条）"
    first, second = (pane.list.visualRect(pane.model.index(row, 0)) for row in range(2))
    assert second.top() >= first.bottom() and first.height() > 40
    assert pane.list.indexAt(QPoint(20, second.top() + 5)).row() == 1


def test_terms_are_found_as_a_regular_expression_of_the_longest_first_would_find_them():
    import re

    from bigan.gui.cards import term_spans

    text = "产业转型升级，转型发展，产业链产业园，升级转型。"
    terms = ["转型", "产业", "产业链", "转型升级", "", "园"]
    longest = sorted({t for t in terms if t}, key=len, reverse=True)
    expected = tuple(m.span() for m in re.finditer("|".join(map(re.escape, longest)), text))
    assert term_spans(text, terms) == expected
    assert [text[a:b] for a, b in expected] == ["产业", "转型升级", "转型", "产业链", "产业", "园", "转型"]
