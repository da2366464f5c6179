"""The bank reader's searches that the matcher leans on for generic headings."""

from __future__ import annotations

from bigan.core.bank_reader import FTS5, BankReader


def test_role_sections_come_newest_document_first(bundled_bank):
    reader = BankReader(bundled_bank[1], search=FTS5)
    try:
        rows = reader.conn.execute(
            "select s.id, s.role, s.level, d.year from sections s join documents d on d.id = s.document_id"
        ).fetchall()
        checked = 0
        for role, level in {(r[1], r[2]) for r in rows}:
            expected = sorted((r for r in rows if r[1] == role and r[2] == level), key=lambda r: (-(r[3] or 0), r[0]))
            for limit in (1, 5, 1000):
                assert reader.role_sections(role, level, limit) == [r[0] for r in expected[:limit]], (role, level)
                checked += 1
        assert checked >= 9
    finally:
        reader.close()
