"""The import pipeline: a file's rows parsed, checked and written in one transaction, or not at all.

Every row is read, parsed and checked; good rows are written in batches inside one transaction. At the
end the transaction commits only if no row was bad (or --skip-invalid was given, in which case the bad
rows go to NAME.rejected.csv beside the input); otherwise, and always with --check, it rolls back, so
a failed import writes nothing. Within a file a record may appear once.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from engine import collector, registry
from engine.cell import FORMULA_START, csv_row
from engine.citation import cite
from engine.errors import DataError
from engine.imports.columns import (
    INVISIBLE,
    CellError,
    Column,
    Header,
    Parser,
    control_character,
    header,
    looks_like_header,
    match_header,
    text,
)
from engine.imports.lookup import Orgs
from engine.imports.tabular import open_table
from engine.permission import ROOT, PermissionRefusedError, Principal, Resource, decide, scope_paths
from engine.store.database import Store
from engine.usecases import audit
from engine.usecases.audit import recorded
from engine.usecases.guard import allow

HEADER_SEARCH = 10  # title rows a sheet may have above its header
OUTCOMES = ("inserted", "updated", "unchanged")


SHOWN = 60  # characters of a value a refusal quotes: a 10,000-character cell is named by its start and length


_ON_ONE_LINE = {9: "\\t", 10: "\\n", 13: "\\r", **{ord(c): f"\\u{ord(c):04x}" for c in INVISIBLE}}


def _shown(value: str, lang: str) -> str:
    """A value as a refusal quotes it: on one line (a line break or a zero-width character as its escape), a long one
    by its start and length."""
    if not value.isprintable():
        value = value.translate(_ON_ONE_LINE)
    if len(value) <= SHOWN:
        return value
    return f"{value[:40]}…（共 {len(value)} 个字符）" if lang == "zh" else f"{value[:40]}… ({len(value)} characters)"


@dataclass(frozen=True)
class Issue:
    """What is wrong with one row: where (row, column as written), the value, why, and the rule's source."""

    row: int
    column: str
    header: str
    value: str
    zh: str
    en: str
    rule: str = ""
    source: str = ""

    def line(self, file: str, lang: str) -> str:
        """One line for people: file, row, column, value, what is wrong (and the source of the rule)."""
        return f"{file} 第 {self.row} 行，{self.part(lang)}" if lang == "zh" else f"{file} row {self.row}, {self.part(lang)}"

    def part(self, lang: str) -> str:
        """The column, value and what is wrong, without the file and row."""
        # 劳动合同法 art. 51 → 《劳动合同法》第五十一条 in zh, as every zh refusal cites; a 'zh / en' source shows its side
        src = "" if not self.source else f"（{cite(self.source, lang)}）" if lang == "zh" else f" ({cite(self.source, lang)})"
        if lang == "zh":
            if not self.column:
                return f"{self.zh}{src}"
            col = self.header if self.header == self.column else f"{self.header}（{self.column}）"
            return f"列「{col}」，值「{_shown(self.value, lang)}」：{self.zh}{src}"
        if not self.column:
            return f"{self.en}{src}"
        col = self.header if self.header == self.column else f"{self.header} ({self.column})"
        return f"column {col}, value '{_shown(self.value, lang)}': {self.en}{src}"

    def as_json(self, lang: str) -> dict[str, Any]:
        """The stable JSON form."""
        return {"row": self.row, "column": self.column or None, "header": self.header or None, "value": self.value,
                "message": self.zh if lang == "zh" else self.en, "rule": self.rule or None, "source": self.source or None}


def row_lines(issues: Sequence[Issue], file: str, lang: str) -> list[str]:
    """One line per bad row: every problem of the row, in column order as found."""
    lines: list[str] = []
    last = None
    for i in issues:
        if i.row == last:
            lines[-1] += ("；" if lang == "zh" else "; ") + i.part(lang)
        else:
            lines.append(i.line(file, lang))
        last = i.row
    return lines


@dataclass
class Row:
    """One data row: its number, parsed values, which columns it fills, and its cells as read."""

    number: int
    values: dict[str, Any]
    given: frozenset[str]
    cells: list[Any]


Outcome = str | list[Issue]


class Kind:
    """What one kind of import knows: its columns, its key, and how to write a batch of good rows."""

    name = ""
    zh = ""
    columns: tuple[Column, ...] = ()
    batch = 1000

    def __init__(self) -> None:
        self.header: Header | None = None
        self.file = ""

    who: Principal | None = None  # who imports (None: a database without users); set by run
    outside_rows = False  # a row outside the user's data.import grants: a row error (True) or the whole file refused

    def prepare(self, conn: Connection) -> None:
        """Load what the checks need (organisations, existing keys)."""

    def places(self, conn: Connection, orgs: Orgs, row: Row) -> list[str | None]:
        """The organisation paths a good row writes into, for the permission check: its org_code's (None: no
        organisation, only a grant at the root covers it); one that does not exist is left to the row checks."""
        value = row.values.get("org_code")
        if not value:
            return [None]
        code = orgs.resolve(str(value))
        return [orgs.path[code]] if code else []

    def check(self, row: Row) -> list[Issue]:
        """Checks across the columns of one row, once its cells are all good."""
        return []

    def no_header(self, rows: list[list[Any]]) -> None:
        """A file whose header was not found: refuse it as what it is when it can be told (DataError); `rows` are the
        filled rows read while looking for the header."""

    def lookups(self, row: Row) -> list[Issue]:
        """What the row names that does not exist (an organisation), found with its other problems in one pass."""
        return []

    def org_issues(self, orgs: Orgs, row: Row) -> list[Issue]:
        """The row's org_code, when given, names no organisation."""
        value = row.values.get("org_code")
        if not value or orgs.resolve(str(value)) is not None:
            return []
        zh, en = orgs.unknown(str(value))
        return [self.issue(row, "org_code", zh, en, rule="org_exists")]

    def key(self, row: Row) -> Hashable:
        """The row's identity within the file (a second row with the same key is a duplicate)."""
        raise NotImplementedError

    def key_columns(self) -> tuple[str, ...]:
        """The columns that make the key (named in duplicate messages)."""
        return ()

    def apply(self, conn: Connection, rows: list[Row]) -> list[tuple[Row, Outcome]]:
        """Write a batch of good rows: each with 'inserted', 'updated', 'unchanged' or the issues refusing it
        (a row held back for `finish` is left out)."""
        raise NotImplementedError

    def finish(self, conn: Connection) -> list[tuple[Row, Outcome]]:
        """Write what was held back until the whole file was read (organisations, in parent order)."""
        return []

    def issue(self, row: Row, key: str, zh: str, en: str, *, rule: str = "", source: str = "") -> Issue:
        """An issue about one column of a row, with the header and the value as the file has them."""
        h = self.header
        i = h.index.get(key) if h else None
        value = text(row.cells[i]) if i is not None and i < len(row.cells) else ""
        return Issue(row.number, key, h.label(key) if h else key, value, zh, en, rule, source)


@dataclass
class Result:
    """What an import did."""

    file: str
    kind: str
    encoding: str
    rows: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    issues: list[Issue] = field(default_factory=list)
    rejected_rows: int = 0
    written: bool = False
    check_only: bool = False
    rejected_file: str | None = None
    ignored_columns: tuple[str, ...] = ()
    sheet: str = ""  # the XLSX sheet read
    hidden_sheets: tuple[str, ...] = ()  # hidden sheets passed over to read the first visible one
    hidden_rows: list[int] = field(default_factory=list)  # data rows hidden in Excel (by hand or a filter), imported
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process's CPU time: on a shared machine, the part the import itself costs

    def as_json(self, lang: str) -> dict[str, Any]:
        """The stable JSON summary."""
        return {"file": self.file, "kind": self.kind, "encoding": self.encoding or None, "rows": self.rows,
                **self.counts, "rejected": self.rejected_rows, "written": self.written, "check": self.check_only,
                "rejected_file": self.rejected_file, "ignored_columns": list(self.ignored_columns),
                "sheet": self.sheet or None, "hidden_sheets": list(self.hidden_sheets), "hidden_rows": self.hidden_rows,
                "seconds": round(self.seconds, 3),
                "cpu_seconds": round(self.cpu_seconds, 3), "errors": [i.as_json(lang) for i in self.issues]}


class _Rejects:
    """Rejected rows as read, in file order, then their row number and what is wrong (each problem naming its column
    as the header writes it), in NAME.rejected.csv: UTF-8 with BOM, so Excel opens it; the header is the file's own
    plus 行号 and 原因 (row, reason in English), so once fixed it imports as it is (those two columns are ignored)."""

    def __init__(self, path: Path | None, names: Sequence[str], lang: str) -> None:
        self.path = path
        self.names = list(names)
        self.lang = lang
        self.rows: list[tuple[int, list[str], str]] = []

    def add(self, number: int, cells: Sequence[Any], issues: Sequence[Issue]) -> None:
        if self.path is None:
            return
        sep = "；" if self.lang == "zh" else "; "
        as_read = [c if type(c) is str else text(c) for c in cells]  # a string cell exactly as the file has it
        self.rows.append((number, as_read, sep.join(i.part(self.lang) for i in issues)))

    def close(self, keep: bool) -> str | None:
        if self.path is None:
            return None
        if not keep or not self.rows:
            if keep:  # a clean run: an old list of rejects would now mislead
                self.path.unlink(missing_ok=True)
            return None
        width = max(len(self.names), *(len(cells) for _, cells, _ in self.rows))  # cells beyond the header kept too
        extra = ["行号", "原因"] if self.lang == "zh" else ["row", "reason"]
        part = self.path.with_name(self.path.name + ".part")
        with part.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(csv_row([*self.names, *[""] * (width - len(self.names)), *extra]))
            for number, cells, reason in sorted(self.rows, key=lambda r: r[0]):
                writer.writerow(csv_row([*cells, *[""] * (width - len(cells)), number, reason]))
        part.replace(self.path)
        return str(self.path)


def rejected_path(path: Path) -> Path:
    """Where --skip-invalid puts the rows it skipped: beside the input, NAME.rejected.csv."""
    return path.with_name(f"{path.stem}.rejected.csv")


def _parse(kind: Kind, plan: Sequence[tuple[str, int, Parser, bool]], number: int, cells: list[Any]) -> tuple[Row, list[Issue]]:
    values: dict[str, Any] = {}
    issues: list[Issue] = []
    row = Row(number, values, frozenset(), cells)
    width = len(cells)
    for key, i, parse, required in plan:
        cell = cells[i] if 0 <= i < width else None
        if cell is None or cell == "" or (type(cell) is str and cell.isspace()):
            if required:
                issues.append(kind.issue(row, key, "为空（必填）", "is empty (required)", rule="required"))
            continue
        if type(cell) is str and cell[:1] == "'" and cell[1:2] in FORMULA_START and cell[1:2]:
            cell = cell[1:]  # a cell written safe by our own CSV (rejected rows re-imported): the apostrophe is no data
        if type(cell) is str and not cell.isprintable() and (bad := control_character(cell)):
            issues.append(kind.issue(row, key, f"含有控制字符 {bad}，请删去", f"holds the control character {bad}: remove it",
                                     rule="control_character"))
            continue
        try:
            value = parse(cell)
        except CellError as exc:
            issues.append(kind.issue(row, key, exc.zh, exc.en, rule=exc.rule, source=exc.source))
            continue
        if required and value == "":  # nothing but zero-width characters
            issues.append(kind.issue(row, key, "为空（必填）", "is empty (required)", rule="required"))
            continue
        values[key] = value
    row.given = frozenset(values)
    return row, issues


def _letter(i: int) -> str:
    """The spreadsheet letter of a 0-based column: 0 → A, 26 → AA."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _headless(number: int, cells: list[Any], width: int, blank: list[int]) -> list[Issue]:
    """A filled cell under no header (beyond the header's last column, or under an empty one): refused, for the
    import would drop it without a word."""
    issues = []
    for i in [*blank, *range(width, len(cells))]:
        cell = cells[i] if i < len(cells) else None
        if value := (cell.strip() if type(cell) is str else text(cell)):  # quoted as typed
            where = f"{_letter(i)} 列（第 {i + 1} 列）"
            issues.append(Issue(number, "", "", value, f"{where}没有表头，却填了「{_shown(value, 'zh')}」：请给这一列加上表头，或删去它",
                                f"column {_letter(i)} ({i + 1}) has no header but holds '{_shown(value, 'en')}': give it a "
                                "header or remove it", rule="cell_without_header"))
    return issues


NOTE_STARTS = ("注", "说明", "备注", "填表说明", "note")


def _note(cells: list[Any], in_notes: bool) -> bool:
    """Whether a row is a footnote under the table, as Chinese forms print them: one filled cell that starts
    with 注/说明/备注 (and every one-cell row after it)."""
    filled = None
    for c in cells:
        if c is None or c == "":
            continue
        t = text(c)
        if t:
            if filled is not None:  # a second filled cell: a data row (stop here, the common case)
                return False
            filled = t
    if filled is None:
        return False
    return in_notes or filled.lower().startswith(NOTE_STARTS)


def _blank(cells: list[Any]) -> bool:
    if all(type(c) is str for c in cells):  # a CSV row: all text (a sheet's numbers and empty cells go below)
        return not "".join(cells).strip()
    return not any(text(c) for c in cells)


@recorded
@collector.bulk()
def run(store: Store, path: Path, kind: Kind, *, sheet: str | None = None, skip_invalid: bool = False,
        check: bool = False, lang: str = "zh", progress: Callable[[int, int | None], None] | None = None,
        who: Principal | None = None, outside_rows: bool = False) -> Result:
    """Import one file of this kind; see the module docstring for what is written when. For a user, a row
    writing outside their data.import grants refuses the whole file (PermissionRefusedError: nothing written),
    or with `outside_rows` is one more bad row (rule permission.data.import; the web lists it with the others);
    a user who may import nowhere is refused either way."""
    started, cpu = time.perf_counter(), time.process_time()
    kind.who = who
    kind.outside_rows = outside_rows
    if who is not None and outside_rows and not scope_paths(who, "data.import", registry.roles()):
        home = who.grants[0].org_path if who.grants else ROOT  # asked where they hold a grant: refused, not hidden
        allow(who, "data.import", Resource(home, None, "org"))
    with open_table(path, sheet) as table:
        result = Result(path.name, kind.name, table.encoding, sheet=table.sheet, hidden_sheets=table.hidden_sheets)
        kind.file = path.name
        seen: list[tuple[int, list[Any]]] = []
        for n, cells in table.rows:
            if _blank(cells):
                continue
            seen.append((n, cells))
            if looks_like_header(cells, kind.columns):
                kind.header = header(n, cells, kind.columns, path.name)
                break
            if n - seen[0][0] >= HEADER_SEARCH:
                break
        if not seen:
            raise DataError(f"{path.name} 是空文件", f"{path.name} is empty", rule="empty_file")
        if kind.header is None:
            kind.no_header([cells for _, cells in seen])
            n, cells = max(seen, key=lambda r: len(match_header(r[1], kind.columns)))  # the likeliest header (first on a tie)
            kind.header = header(n, cells, kind.columns, path.name)  # names what is missing
        result.ignored_columns = kind.header.ignored
        rejects = _Rejects(rejected_path(path) if skip_invalid and not check else None, kind.header.names, lang)
        try:
            with store.unit_of_work() as uow:
                _rows(uow.conn, kind, table.rows, result, rejects, lang, lambda: progress(table.position(), table.total)
                      if progress else None, table.hidden_rows)
                if not result.rows:
                    raise DataError(f"{path.name} 只有表头（第 {kind.header.row} 行），没有数据行，未写入任何内容",
                                    f"{path.name} has its header (row {kind.header.row}) but no data rows: nothing was "
                                    "written", rule="no_rows", actual=0)
                if not check and not (result.issues and not skip_invalid):
                    uow.commit()
                    result.written = True
        finally:
            result.rejected_file = rejects.close(keep=result.written)
    if not result.written and not check:  # rolled back: nothing was inserted or updated after all
        result.counts = dict.fromkeys(OUTCOMES, 0)
    result.check_only = check
    outside = sorted({i.row for i in result.issues if i.rule == "permission.data.import"})
    if who is not None and outside:  # refused rows are audited like a refused file, once per run
        audit.record(store, at=datetime.now(UTC), login=who.login, action="data.import", outcome="refused",
                     rule="permission.data.import", detail={"file": path.name, "kind": kind.name, "check": check,
                                                            "rows": outside[:100], "refused_rows": len(outside)})
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = time.process_time() - cpu
    return result


def _outside(kind: Kind, orgs: Orgs, row: Row, conn: Connection) -> list[Issue]:
    """Refuse a row writing outside the user's data.import grants: the file (PermissionRefusedError), or the row."""
    assert kind.who is not None
    for place in kind.places(conn, orgs, row):
        decision = decide(kind.who, "data.import", Resource(place, None, "org"), registry.roles())
        if decision.allowed:
            continue
        if not kind.outside_rows:
            raise PermissionRefusedError(decision)
        where = "org_code" if "org_code" in row.values else next(iter(kind.key_columns()), "")
        return [kind.issue(row, where, f"不在您可以导入的范围内（{place or '/'}）：{decision.zh}",
                           f"outside where you may import ({place or '/'}): {decision.en}", rule=decision.rule,
                           source=decision.source)]
    return []


def _rows(conn: Connection, kind: Kind, rows: Any, result: Result, rejects: _Rejects, lang: str,
          tick: Callable[[], None], hidden: frozenset[int] = frozenset()) -> None:
    kind.prepare(conn)
    orgs = Orgs(conn) if kind.who is not None else None
    seen: dict[Hashable, int] = {}
    batch: list[Row] = []

    def reject(number: int, row_cells: Sequence[Any], issues: list[Issue]) -> None:
        issues = sorted(issues, key=lambda i: position.get(i.column, len(position)))  # in column order
        result.issues.extend(issues)
        result.rejected_rows += 1
        rejects.add(number, row_cells, issues)

    def settle(done: Sequence[tuple[Row, Outcome]]) -> None:
        for row, outcome in done:
            if isinstance(outcome, str):
                result.counts[outcome] += 1
            else:
                reject(row.number, row.cells, outcome)

    assert kind.header is not None
    position = kind.header.index
    plan = [(c.key, kind.header.index.get(c.key, -1), c.parse, c.required) for c in kind.columns]
    width = len(kind.header.names)
    headless = [i for i, name in enumerate(kind.header.names) if not name]
    in_notes = False
    for n, cells in rows:
        if _blank(cells):
            continue
        in_notes = _note(cells, in_notes)
        if in_notes:
            continue
        result.rows += 1
        if hidden and n in hidden:  # imported all the same: a filter is a view, the rows are the file's (a notice says so)
            result.hidden_rows.append(n)
        row, issues = _parse(kind, plan, n, cells)
        if len(cells) > width or headless:
            issues += _headless(n, cells, width, headless)
        issues += kind.lookups(row)  # an unknown organisation named with the row's other problems, in one pass
        if not issues:
            issues = kind.check(row)
        if not issues:
            key = kind.key(row)
            if key in seen:
                cols = kind.key_columns()
                same = "、".join(kind.header.label(c) for c in cols)
                issues = [kind.issue(row, cols[0] if cols else "", f"与第 {seen[key]} 行重复（{same}相同）",
                                     f"duplicates row {seen[key]} (same {', '.join(cols)})", rule="duplicate_row")]
            else:
                seen[key] = n
        if not issues and kind.who is not None and orgs is not None:
            issues = _outside(kind, orgs, row, conn)
        if issues:
            reject(n, cells, issues)
        else:
            batch.append(row)
        if len(batch) >= kind.batch:
            settle(kind.apply(conn, batch))
            batch = []
        if result.rows % 1000 == 0:
            tick()
    if batch:
        settle(kind.apply(conn, batch))
    settle(kind.finish(conn))
    result.issues.sort(key=lambda i: i.row)
    tick()
