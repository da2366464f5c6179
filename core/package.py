"""Contribution packages: a writer's chosen documents or passages with who, when and where from; merged by a curator.

A package is a small SQLite file holding the rows a bank needs to rebuild them (documents, sections, passages,
asides) and its provenance. Merging indexes the texts afresh (the curator's word list) and writes them through the
bank's own writer, so duplicates group exactly as in any import; every merged passage keeps its provenance.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from bigan.core import bank, bank_writer, search_index
from bigan.core.bank import BankError
from bigan.core.bank_reader import sqlite_uri
from bigan.core.dedup import DEDUP_SCHEMA, StoredGrouper, fingerprint
from bigan.core.ingest import ParsedFile, indexed_file
from bigan.core.models import Aside, Document, Passage, Section, Skipped
from bigan.core.netpath import refuse_network
from bigan.core.placeholders import to_template
from bigan.core.publish import _user, place_file
from bigan.core.segment import ensure_loaded, signature
from bigan.core.structure import passage_heading

FORMAT = "bigan-package"
FORMAT_VERSION = "1"

_SCHEMA = """
create table package (key text primary key, value text);
create table documents (id integer primary key, title text, source_file text, date text, year integer,
    converted integer, position integer, whole integer);
create table sections (id integer primary key, document_id integer, parent_id integer, level integer,
    number text, heading text, position integer);
create table passages (id integer primary key, document_id integer, section_id integer, kind text, heading text,
    text text, template text, truncated integer, position integer);
create table asides (id integer primary key, document_id integer, kind text, position integer, text text);
"""

_PROVENANCE = """
create table if not exists packages (id text primary key, file text, contributor text, exported_at text,
    source_bank text, source_host text, merged_at text, documents integer, passages integer);
create table if not exists provenance (passage_id integer primary key, package_id text, contributor text,
    exported_at text, source_bank text, source_host text, source_file text, source_document integer,
    source_passage integer, merged_at text);
"""


class PackageError(BankError):
    """A package cannot be made or read; the message names the file and says why, in Chinese."""


@dataclass(frozen=True)
class PackageInfo:
    """Who made a package, when, from which bank, and what it holds."""

    path: Path
    id: str
    contributor: str
    created_at: str
    source_bank: str
    source_host: str
    documents: list[tuple[str, int | None, int]]  # (title, year, passages)
    passages: int


@dataclass(frozen=True)
class Provenance:
    """Where a merged passage came from: the package, its contributor, when, and the source bank and file."""

    passage: int
    package: str
    contributor: str
    exported_at: str
    source_bank: str
    source_host: str
    source_file: str
    merged_at: str


@dataclass
class _Package:
    info: PackageInfo
    documents: list[Document]
    passage_ids: list[list[int]]  # the source bank's passage id of each passage, per document
    document_ids: list[int]


@dataclass(frozen=True)
class PackageReview:
    """What merging a package would do: how many passages are new and how many join passages already there."""

    info: PackageInfo
    new: int
    grouped: int
    merged_before: bool


@dataclass
class MergeReport:
    """What a merge did, for the summary line and the review window."""

    merged: list[PackageInfo] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    documents: int = 0
    passages: int = 0
    grouped: int = 0
    seconds: float = 0.0
    totals: dict[str, int] = field(default_factory=dict)


def _marks(ids: list[int]) -> str:
    return ",".join("?" * len(ids))


def _ancestors(conn: sqlite3.Connection, sections: set[int]) -> set[int]:
    wanted = set(sections)
    frontier = list(sections)
    while frontier:
        rows = conn.execute(
            f"select parent_id from sections where id in ({_marks(frontier)}) and parent_id is not null", frontier
        ).fetchall()
        frontier = [r[0] for r in rows if r[0] not in wanted]
        wanted.update(frontier)
    return wanted


def export_package(
    db_path: str | Path,
    out: str | Path,
    documents: Iterable[int] = (),
    entries: Iterable[int] = (),
    who: str | None = None,
) -> PackageInfo:
    """Write whole documents and single passages (by entry id, as match shows them) of a bank to a package file."""
    documents, entries = sorted(set(documents)), sorted(set(entries))
    if not documents and not entries:
        raise PackageError("没有选择要导出的文档或素材（用 --documents 或 --passages 给出编号）")
    source, target = Path(db_path), Path(out)
    if not target.parent.is_dir():
        raise PackageError(f"素材包的保存位置不存在或连不上：{target.parent}")
    db = bank.open_bank(source)
    conn = db.conn
    try:
        found = {r[0] for r in conn.execute(f"select id from documents where id in ({_marks(documents)})", documents)}
        if missing := [d for d in documents if d not in found]:
            raise PackageError(
                f"素材库里没有这些编号的文档：{', '.join(map(str, missing))}（bank documents 可列出编号）"
            )
        reps = dict(conn.execute(f"select id, passage_id from entries where id in ({_marks(entries)})", entries))
        if missing := [e for e in entries if e not in reps]:
            raise PackageError(
                f"素材库里没有这些编号的素材：{', '.join(map(str, missing))}（match --json 的 entry_id）"
            )
        chosen = [r[0] for r in conn.execute(
            f"select id from passages where id in ({_marks(list(reps.values()))})"
            f" and document_id not in ({_marks(documents)})", [*reps.values(), *documents],
        )]  # fmt: skip
        rows = _rows(conn, documents, chosen)
    finally:
        conn.close()
    info = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "id": uuid.uuid4().hex,
        "contributor": who or _user(),
        "created_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "source_bank": str(source.resolve()),
        "source_host": socket.gethostname(),
        "signature": signature(),
    }
    local = source.parent / f".{target.name}.package-{os.getpid()}"
    try:
        with contextlib.suppress(OSError):
            local.unlink()
        pkg = sqlite3.connect(local)
        try:
            pkg.executescript(_SCHEMA)
            with pkg:
                pkg.executemany("insert into package values (?, ?)", list(info.items()))
                for table, values in rows.items():
                    if values:
                        marks = ",".join("?" * len(values[0]))
                        pkg.executemany(f"insert into {table} values ({marks})", values)
        finally:
            pkg.close()
        try:
            place_file(local, target)
        except OSError as exc:
            raise PackageError(f"无法写入素材包：{target}（{exc.strerror or exc}）") from None
    finally:
        with contextlib.suppress(OSError):
            local.unlink()
    return read_package(target).info


def _rows(conn: sqlite3.Connection, whole: list[int], chosen: list[int]) -> dict[str, list[tuple]]:
    """The package's rows: whole documents with everything in them, and chosen passages with their headings."""
    # The package keeps a template column; the bank computes templates from the text, so it carries the text.
    passages = [
        (pid, doc, section, kind, passage_heading(kind, text), text, text, truncated, position)
        for pid, doc, section, kind, text, truncated, position in conn.execute(
            "select p.id, p.document_id, p.section_id, p.kind, t.text, p.truncated, p.position"
            " from passages p join passage_texts t on t.id = p.id"
            f" where p.document_id in ({_marks(whole)}) or p.id in ({_marks(chosen)})",
            [*whole, *chosen],
        )
    ]
    partial_docs = sorted({p[1] for p in passages if p[1] not in set(whole)})
    needed = _ancestors(conn, {p[2] for p in passages if p[2] is not None and p[1] not in set(whole)})
    sections = conn.execute(
        "select id, document_id, parent_id, level, number, heading, position from sections"
        f" where document_id in ({_marks(whole)}) or id in ({_marks(sorted(needed))})",
        [*whole, *sorted(needed)],
    ).fetchall()
    docs = conn.execute(
        f"select id, title, source_file, date, year, converted, position, id in ({_marks(whole)}) from documents"
        f" where id in ({_marks([*whole, *partial_docs])})",
        [*whole, *whole, *partial_docs],
    ).fetchall()
    asides = conn.execute(
        f"select id, document_id, kind, position, text from asides where document_id in ({_marks(whole)})", whole
    ).fetchall()
    return {"documents": docs, "sections": sections, "passages": passages, "asides": asides}


def read_package(path: str | Path) -> _Package:
    """Open a package (read-only, where it lies) into documents ready to index; PackageError when it is not one."""
    path = Path(path)
    if not path.is_file():
        raise PackageError(f"素材包不存在：{path}")
    try:
        conn = sqlite3.connect(sqlite_uri(path, "mode=ro&immutable=1"), uri=True)
    except sqlite3.Error as exc:
        raise PackageError(f"无法打开素材包：{path}（{exc}）") from None
    try:
        meta = dict(conn.execute("select key, value from package"))
        if meta.get("format") != FORMAT:
            raise PackageError(f"不是笔杆的素材包：{path}")
        if meta.get("format_version") != FORMAT_VERSION:
            raise PackageError(f"素材包版本不符：{path}（由更新版本的笔杆导出，请升级后再合并）")
        return _load(conn, path, meta)
    except sqlite3.DatabaseError as exc:
        raise PackageError(f"不是笔杆的素材包或文件已损坏：{path}（{exc}）") from None
    finally:
        conn.close()


def _load(conn: sqlite3.Connection, path: Path, meta: dict[str, str]) -> _Package:
    documents, passage_ids, document_ids, summary = [], [], [], []
    for doc_id, title, source_file, date, year, converted, position in conn.execute(
        "select id, title, source_file, date, year, converted, position from documents order by source_file, id"
    ).fetchall():
        index: dict[int, int] = {}
        sections: list[Section] = []
        for sid, parent, level, number, heading, pos in conn.execute(
            "select id, parent_id, level, number, heading, position from sections where document_id = ?"
            " order by position, id",
            [doc_id],
        ):
            up = index.get(parent) if parent is not None else None
            path_ = (*sections[up].path, sections[up].heading) if up is not None else ()
            index[sid] = len(sections)
            sections.append(Section(int(level), number or "", heading or "", path_, up, int(pos or 0)))
        passages, ids = [], []
        for pid, section, kind, heading, text, truncated, pos in conn.execute(
            "select id, section_id, kind, heading, text, truncated, position from passages"
            " where document_id = ? order by position, id",
            [doc_id],
        ):
            if not text or kind not in ("paragraph", "item"):
                continue
            template = to_template(text)
            passages.append(
                Passage(kind, text, template, heading or "", bool(truncated), index.get(section), int(pos or 0))
            )
            ids.append(pid)
        asides = [
            Aside(kind or "", text or "", int(pos or 0))
            for kind, pos, text in conn.execute(
                "select kind, position, text from asides where document_id = ? order by position", [doc_id]
            )
        ]
        documents.append(
            Document(title or "", source_file or "", int(position or 0), sections, passages, asides, date or "",
                     int(year) if year else None, bool(converted))
        )  # fmt: skip
        passage_ids.append(ids)
        document_ids.append(doc_id)
        summary.append((title or "", int(year) if year else None, len(passages)))
    info = PackageInfo(
        path,
        meta.get("id", ""),
        meta.get("contributor", ""),
        meta.get("created_at", ""),
        meta.get("source_bank", ""),
        meta.get("source_host", ""),
        summary,
        sum(len(i) for i in passage_ids),
    )
    if not info.id or not info.passages:
        raise PackageError(f"素材包是空的：{path}")
    return _Package(info, documents, passage_ids, document_ids)


def _merged_ids(target: Path) -> set[str]:
    if not target.exists():
        return set()
    db = bank.open_bank(target)
    try:
        if "packages" not in db.table_names():
            return set()
        return {r[0] for r in db.execute("select id from packages")}
    finally:
        db.conn.close()


def _open_packages(paths: Iterable[str | Path], target: Path) -> tuple[list[_Package], list[Skipped], set[str]]:
    good, skipped = [], []
    merged = _merged_ids(target)
    seen: set[str] = set()
    for path in paths:
        try:
            package = read_package(path)
        except PackageError as exc:
            skipped.append(Skipped(str(path), str(exc)))
            continue
        if package.info.id in seen:
            skipped.append(Skipped(str(path), "与本次另一个素材包相同，未重复合并"))
            continue
        seen.add(package.info.id)
        good.append(package)
    return good, skipped, merged


def review(paths: Iterable[str | Path], db_path: str | Path) -> tuple[list[PackageReview], list[Skipped]]:
    """What merging the packages into the bank would bring: new passages and ones the bank already has."""
    target = Path(db_path)
    packages, skipped, merged = _open_packages(paths, target)
    # The bank's own dedup tables answer, read-only: what this review groups is never written.
    db = bank.open_bank(target) if target.exists() else None
    conn = db.conn if db is not None else sqlite3.connect(":memory:")
    try:
        if db is None:
            for statement in DEDUP_SCHEMA:
                conn.execute(statement)
        grouper = StoredGrouper(conn)
        out = []
        for package in packages:
            new = grouped = 0
            for doc in package.documents:
                for p in doc.passages:
                    marker = -(new + grouped + 1)
                    if grouper.add(p.kind, fingerprint(p.kind, p.template), marker) == marker:
                        new += 1
                    else:
                        grouped += 1
            out.append(PackageReview(package.info, new, grouped, package.info.id in merged))
    finally:
        conn.close()
    return out, skipped


def _parsed(package: _Package) -> list[tuple[ParsedFile, list[int], list[int], list[str]]]:
    """The package's documents as the bank's writer takes them, one parsed file per source file."""
    by_file: dict[str, list[int]] = {}
    for i, doc in enumerate(package.documents):
        by_file.setdefault(doc.source, []).append(i)
    out = []
    for n, (source_file, indexes) in enumerate(by_file.items()):
        docs = [package.documents[i] for i in indexes]
        label = f"package:{package.info.id}:{n}:{source_file}"
        size = sum(p.chars for d in docs for p in d.passages)
        parsed = indexed_file(label, f"package:{package.info.id}:{n}", size, "package", docs)
        ids = [pid for i in indexes for pid in package.passage_ids[i]]
        out.append((parsed, ids, [package.document_ids[i] for i in indexes], [source_file] * len(docs)))
    return out


def _bank_writer(db: sqlite_utils.Database) -> bank_writer.Writer:
    """The bank's own writer over an open build file (schema ensured), so merging groups like an import."""
    bank_writer.create_schema(db)
    db.executescript(_PROVENANCE)
    return bank_writer.Writer(db, regroup=False)


def merge(paths: Iterable[str | Path], db_path: str | Path) -> MergeReport:
    """Merge packages into the bank at db_path, building a new file and swapping it in; bad packages are skipped."""
    started = time.perf_counter()
    target = Path(db_path)
    refuse_network(target, "要合并进的素材库")
    report = MergeReport()
    packages, report.skipped, merged = _open_packages(paths, target)
    fresh = []
    for package in packages:
        if package.info.id in merged:
            report.skipped.append(Skipped(str(package.info.path), "这个素材包已经合并过，未重复合并"))
        else:
            fresh.append(package)
    if not fresh:
        report.seconds = time.perf_counter() - started
        return report
    if target.exists():
        db = bank.open_bank(target)
        try:
            stored = db.execute("select value from meta where key = 'signature'").fetchone()
        finally:
            db.conn.close()
        if stored is None or stored[0] != signature():
            raise BankError(f"素材库需要先按新词表重建：{target}（运行 bank build 后再合并）")
    ensure_loaded()
    prepared = [(package, _parsed(package)) for package in fresh]
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(f"{target}.merging-{os.getpid()}")
    conn = sqlite3.connect(tmp)
    try:
        if target.exists():
            src = sqlite3.connect(sqlite_uri(target, "mode=ro"), uri=True)
            src.backup(conn)
            src.close()
        db = sqlite_utils.Database(conn)
        db.execute("pragma journal_mode = off")
        db.execute("pragma synchronous = off")
        now = time.strftime("%Y-%m-%d %H:%M:%S")
        with conn:
            writer = _bank_writer(db)
        entries_before = writer.ids["entries"]
        for package, files in prepared:
            with conn:
                _write_package(db, writer, package, files, now)
            report.merged.append(package.info)
            report.documents += len(package.documents)
            report.passages += package.info.passages
        with conn:
            writer.finish()
            db.table("meta").upsert_all(
                [
                    {"key": "schema_version", "value": str(bank.SCHEMA_VERSION)},
                    {"key": "signature", "value": signature()},
                    {"key": "built_at", "value": now},
                ],
                pk="key",
            )
        created = conn.execute("select count(*) from entries where id >= ?", [entries_before]).fetchone()[0]
        report.grouped = report.passages - created
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
    report.seconds = time.perf_counter() - started
    return report


def _write_package(
    db: sqlite_utils.Database,
    writer: bank_writer.Writer,
    package: _Package,
    files: list[tuple[ParsedFile, list[int], list[int], list[str]]],
    now: str,
) -> None:
    info = package.info
    rows = []
    for parsed, source_passages, source_docs, source_files in files:
        first_doc, first_passage = writer.ids["documents"], writer.ids["passages"]
        writer.add_file(parsed, now)
        # The writer names documents after the (package-unique) file label; show the writer's own file instead.
        for n, original in enumerate(source_files):
            db.execute("update documents set source_file = ? where id = ?", [original, first_doc + n])
        origin = {}
        for n, doc in enumerate(parsed.documents):
            for _ in doc.passages:
                origin[len(origin)] = (source_files[n], source_docs[n])
        for n, source_passage in enumerate(source_passages):
            source_file, source_doc = origin[n]
            rows.append((first_passage + n, info.id, info.contributor, info.created_at, info.source_bank,
                         info.source_host, source_file, source_doc, source_passage, now))  # fmt: skip
    db.conn.executemany("insert or replace into provenance values (?,?,?,?,?,?,?,?,?,?)", rows)
    db.conn.execute(
        "insert into packages values (?,?,?,?,?,?,?,?,?)",
        [info.id, str(info.path), info.contributor, info.created_at, info.source_bank, info.source_host, now,
         len(package.documents), info.passages],
    )  # fmt: skip


def provenance(conn: sqlite3.Connection, entry: int) -> list[Provenance]:
    """Who contributed the passages of an entry (empty for passages the bank imported itself)."""
    tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
    if "provenance" not in tables:
        return []
    rows = conn.execute(
        "select passage_id, package_id, contributor, exported_at, source_bank, source_host, source_file, merged_at"
        " from provenance where passage_id in (select id from passages where entry_id = ?) order by passage_id",
        [entry],
    ).fetchall()
    return [Provenance(*r) for r in rows]
