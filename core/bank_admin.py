"""Managing what the bank holds: list its documents, show a document's passages, remove documents or folders."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path

import sqlite_utils

from bigan.core import bank, bank_writer, search_index
from bigan.core.suggest import document_kind


@dataclass(frozen=True)
class BankDocument:
    """One imported document as the bank manager lists it."""

    id: int
    title: str
    year: int | None
    kind: str
    source_file: str
    passages: int
    imported_at: str

    def to_json(self) -> dict[str, object]:
        """The CLI's JSON form."""
        return asdict(self)


@dataclass(frozen=True)
class BankPassage:
    """A passage of a document: where it stands (heading path), whether paragraph or item, and its text."""

    id: int
    entry_id: int
    kind: str
    heading: str
    text: str


@dataclass
class RemoveReport:
    """What a removal took out of the bank, and what the bank holds afterwards."""

    documents: list[BankDocument] = field(default_factory=list)
    passages: int = 0
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """Whether the bank file was replaced."""
        return bool(self.documents)


def _columns(db: sqlite_utils.Database, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"pragma table_info({table})")}


def _read(db_path: str | Path, query: str, params: list[object]) -> list[BankDocument]:
    db = bank.open_bank(db_path)
    try:
        columns = _columns(db, "documents")
        year = "d.year" if "year" in columns else "null"
        kind = "d.kind" if "kind" in columns else "null"
        rows = db.execute(
            f"select d.id, d.title, {year}, {kind}, d.source_file, d.imported_at,"
            " (select count(*) from passages p where p.document_id = d.id)"
            f" from documents d {query} order by d.id",
            params,
        ).fetchall()
    finally:
        db.conn.close()
    return [
        BankDocument(
            doc_id,
            title or "",
            int(year_value) if year_value else None,
            kind_value or document_kind(title or ""),
            source or "",
            passages,
            imported or "",
        )
        for doc_id, title, year_value, kind_value, source, imported, passages in rows
    ]


def list_documents(db_path: str | Path) -> list[BankDocument]:
    """Every document in the bank, in import order."""
    return _read(db_path, "", [])


def document_passages(db_path: str | Path, document_id: int) -> list[BankPassage]:
    """A document's passages in reading order, each with the heading path it stands under."""
    db = bank.open_bank(db_path)
    try:
        rows = db.execute(
            "select p.id, p.entry_id, p.kind, case when s.id is null then ''"
            " when coalesce(s.path, '') = '' then s.number || s.heading"
            " else s.path || ' › ' || s.number || s.heading end, t.text from passages p"
            " join passage_texts t on t.id = p.id"
            " left join sections s on s.id = p.section_id where p.document_id = ? order by p.id",
            [document_id],
        ).fetchall()
    finally:
        db.conn.close()
    return [BankPassage(*row) for row in rows]


def entry_documents(db_path: str | Path, entry_id: int) -> list[int]:
    """The documents a snippet (a deduplicated entry) was found in: why it is in the bank."""
    db = bank.open_bank(db_path)
    try:
        rows = db.execute(
            "select distinct document_id from passages where entry_id = ? order by document_id", [entry_id]
        ).fetchall()
    finally:
        db.conn.close()
    return [row[0] for row in rows]


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def resolve(db_path: str | Path, targets: list[str]) -> list[BankDocument]:
    """The documents named by ids, source files or folders (every document imported from under it).

    Raises BankError naming the first target that matches nothing.
    """
    documents = list_documents(db_path)
    by_id = {d.id: d for d in documents}
    chosen: dict[int, BankDocument] = {}
    for target in targets:
        if target.strip().isdigit():
            found = [by_id[int(target)]] if int(target) in by_id else []
        else:
            where = str(Path(target).expanduser().resolve())
            found = [d for d in documents if _under(d.source_file, where)]
        if not found:
            raise bank.BankError(f"素材库里没有“{target}”（可用 bank list 查看文档编号和来源文件）")
        chosen.update((d.id, d) for d in found)
    return [chosen[k] for k in sorted(chosen)]


def _delete_documents(db: sqlite_utils.Database, ids: list[int]) -> None:
    """Delete documents; a file left without documents is deleted with them (so a later import brings it back)."""
    marks = ",".join("?" * len(ids))
    whole = [
        file_id
        for (file_id,) in db.execute(
            f"select file_id from documents where id in ({marks}) group by file_id having count(*) ="
            " (select count(*) from documents d where d.file_id = documents.file_id)",
            ids,
        ).fetchall()
    ]
    for file_id in whole:
        bank_writer.delete_file(db, file_id)
    sections = f"select id from sections where document_id in ({marks})"
    db.execute(f"delete from sections_fts where rowid in ({sections})", ids)
    db.execute(f"delete from section_topics where section_id in ({sections})", ids)
    db.execute(f"delete from passages where document_id in ({marks})", ids)
    db.execute(f"delete from sections where document_id in ({marks})", ids)
    db.execute(f"delete from documents where id in ({marks})", ids)


def remove_documents(db_path: str | Path, ids: list[int]) -> RemoveReport:
    """Remove documents from the bank: a new bank file is built without them and swapped in atomically."""
    target = Path(db_path)
    wanted = set(ids)
    report = RemoveReport(documents=[d for d in list_documents(target) if d.id in wanted])
    if not report.documents:
        report.totals = bank.stats(target)
        return report
    report.passages = sum(d.passages for d in report.documents)
    tmp = Path(f"{target}.removing-{os.getpid()}")
    conn = sqlite3.connect(tmp)
    try:
        source = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        source.backup(conn)
        source.close()
        db = sqlite_utils.Database(conn)
        db.execute("pragma journal_mode = off")
        with db.conn:
            _delete_documents(db, [d.id for d in report.documents])
            writer = bank_writer.Writer(db, regroup=True)
            writer.finish()
            db.execute("insert or replace into meta (key, value) values (?, ?)", ["built_at", bank_writer.now()])
        db.execute("analyze")
        report.totals = bank_writer.counts(db)
        conn.close()
        bank._swap(tmp, target)
        search_index.after_build(target)
    finally:
        with contextlib.suppress(Exception):
            conn.close()
        with contextlib.suppress(OSError):
            tmp.unlink()
    return report


def remove(db_path: str | Path, targets: list[str]) -> RemoveReport:
    """Remove the documents named by ids, source files or folders (see resolve)."""
    return remove_documents(db_path, [d.id for d in resolve(db_path, targets)])
