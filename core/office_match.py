"""Matching a heading against the personal bank and the attached office banks at once, merged best first.

Every bank is ranked by the same Matcher with the same weights, so scores compare directly; each bank is told the
newest year over all of them, so a plan heading means the same year everywhere. A passage found in more than one
bank (the same or nearly the same wording, as dedup groups an import) is shown once. An office bank that cannot
be reached or read becomes a quiet notice; the personal results always come.
"""

from __future__ import annotations

import sqlite3
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path

from bigan.core import office
from bigan.core.bank_errors import BankError
from bigan.core.bank_reader import BankReader
from bigan.core.dedup import Grouper, fingerprint
from bigan.core.match import OFFICE, PERSONAL, Context, Match, Matcher, Query
from bigan.core.remote import RemoteBank, RemoteUnavailable


@dataclass
class _Shared:
    location: str
    matcher: Matcher | None = None
    remote: RemoteBank | None = None
    file: Path | None = None
    own_year: int | None = None


def merge(results: list[Match], limit: int) -> list[Match]:
    """Best first across banks, each passage once (a personal copy wins a tie), at most limit."""
    grouper = Grouper()
    out: list[Match] = []
    for m in sorted(results, key=lambda m: (-m.score, m.bank != PERSONAL)):
        fresh = len(out)
        if grouper.add(m.kind, fingerprint(m.kind, m.template), fresh) != fresh:
            continue
        if any(o.bank != m.bank and (m.text in o.text or o.text in m.text) for o in out):
            continue
        out.append(m)
        if len(out) == limit:
            break
    return out


class OfficeMatcher:
    """Answers headings from the personal bank and the office banks beside it; one per thread, like Matcher.

    With check=True (the default) the shares are looked at when it opens; the window opens its per-thread matchers
    with check=False (local copies only, never waiting on a slow share) and calls office.statuses() in the background.
    """

    def __init__(
        self,
        db_path: str | Path | None = None,
        shared: list[str] | None = None,
        personal: Matcher | None = None,
        check: bool = True,
    ) -> None:
        self.personal = personal or Matcher(db_path)
        self.locations = office.attached() if shared is None else [office.normalise(s) for s in shared]
        self._own_year = self.personal.reader.newest_year
        self._sources: list[_Shared] = []
        self._problems: dict[str, str] = {}
        self._pool: ThreadPoolExecutor | None = None
        self.statuses: list[office.OfficeStatus] = []
        self.refresh(check)

    @property
    def reader(self) -> BankReader:
        """The personal bank's reader (suggestions and 查重 read the personal bank)."""
        return self.personal.reader

    @property
    def db_path(self) -> Path:
        """The personal bank's file."""
        return self.personal.db_path

    @property
    def notices(self) -> list[str]:
        """Quiet notices about office banks that cannot be used right now (empty when all is well)."""
        return list(self._problems.values())

    @property
    def shared_count(self) -> int:
        """How many office banks are answering (local copies open, servers attached)."""
        return len(self._sources)

    def query(self, heading: str, context: Context | None = None) -> Query:
        """The personal matcher's reading of a heading."""
        return self.personal.query(heading, context)

    def refresh(self, check: bool = True) -> list[office.OfficeStatus]:
        """Look at the shares now and open any new version (check=False: only the copies already here)."""
        old = {s.location: s for s in self._sources}
        kept: list[_Shared] = []
        self._problems = {}
        self.statuses = office.statuses(self.locations) if check else office.stored(self.locations)
        for status in self.statuses:
            source = old.pop(status.location, None)
            if status.state == "server":
                source = source or _Shared(status.location, remote=RemoteBank(status.location))
                assert source.remote is not None
                if not check:
                    kept.append(source)
                    continue
                source.remote.reset()
                try:
                    info = source.remote.info()
                    source.own_year = info.newest_year
                except RemoteUnavailable as exc:
                    self._problems[status.location] = f"单位素材库暂时连不上：{status.location}（{exc}）"
                kept.append(source)
                continue
            if status.notice:
                self._problems[status.location] = status.notice
            if status.usable is None:
                if source is not None:
                    _close(source)
                continue
            if source is not None and source.file == status.usable:
                kept.append(source)
                continue
            if source is not None:
                _close(source)
            try:
                matcher = Matcher(reader=BankReader(status.usable, immutable=True))
            except (BankError, sqlite3.DatabaseError) as exc:
                self._problems[status.location] = f"单位素材库的本机副本读不了：{status.location}（{exc}）"
                continue
            kept.append(_Shared(status.location, matcher, file=status.usable, own_year=matcher.reader.newest_year))
        for source in old.values():
            _close(source)
        self._sources = kept
        self._align_years()
        return self.statuses

    def _align_years(self) -> None:
        years = [y for y in [self._own_year, *(s.own_year for s in self._sources)] if y]
        newest = max(years) if years else None
        self.personal.reader.newest_year = newest
        for source in self._sources:
            if source.matcher is not None:
                source.matcher.reader.newest_year = newest

    def _submit_remote(self, heading: str, limit: int, context: Context | None) -> list[tuple[_Shared, Future]]:
        jobs = []
        newest = self.personal.reader.newest_year
        for source in self._sources:
            if source.remote is None or source.remote.down:
                continue
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="office-remote")
            jobs.append((source, self._pool.submit(source.remote.match, heading, limit, context, newest)))
        return jobs

    def match(self, heading: str, limit: int = 10, context: Context | None = None) -> list[Match]:
        """Ranked passages from every bank for a heading, each marked 本人 or 单位."""
        remote_jobs = self._submit_remote(heading, limit, context)
        results = self.personal.match(heading, limit, context)
        for source in list(self._sources):
            if source.matcher is None:
                continue
            try:
                found = source.matcher.match(heading, limit, context)
            except sqlite3.DatabaseError as exc:
                if "interrupt" in str(exc):
                    raise
                self._problems[source.location] = f"单位素材库的本机副本读不了：{source.location}（{exc}）"
                self._sources.remove(source)
                _close(source)
                continue
            for m in found:
                m.bank = OFFICE
            results.extend(found)
        for source, job in remote_jobs:
            assert source.remote is not None
            try:
                results.extend(job.result(timeout=source.remote.timeout + 1.0))
                self._problems.pop(source.location, None)
            except (RemoteUnavailable, FutureTimeout) as exc:
                self._problems[source.location] = f"单位素材库暂时连不上：{source.location}（{exc or '等待超时'}）"
        cap = max(1, min(limit, 100))
        if not self._sources:  # the personal bank alone: its passages are distinct and ranked already
            return results[:cap]
        return merge(results, cap)

    def abort_when(self, stale, steps: int = 1000) -> None:  # type: ignore[no-untyped-def]
        """Make every local bank's queries stop once stale() turns true (see BankReader.abort_when)."""
        self.personal.reader.abort_when(stale, steps)
        for source in self._sources:
            if source.matcher is not None:
                source.matcher.reader.abort_when(stale, steps)

    def close(self) -> None:
        """Release every bank."""
        self.personal.close()
        for source in self._sources:
            _close(source)
        self._sources = []
        if self._pool is not None:
            self._pool.shutdown(wait=False)


def _close(source: _Shared) -> None:
    if source.matcher is not None:
        source.matcher.close()
        source.matcher = None
