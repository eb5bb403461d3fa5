"""Spreadsheet files read row by row: CSV (UTF-8, UTF-8 with BOM, UTF-16 with or without BOM, GB18030) and XLSX.

The encoding is detected, never asked and never guessed loosely: a byte-order mark decides; otherwise
UTF-16 without one when its zero bytes say so, else the whole file must decode as UTF-8, else as GB18030
(which includes GBK and GB2312, what Chinese Excel writes) and read as Chinese and not as Korean
(engine.imports.encoding), else the file is refused: with the line of the first undecodable byte, or with
the encodings it could be (EUC-KR, Shift-JIS, Big5, Latin-1 ...). Rows are numbered
as a spreadsheet shows them (the first line is row 1) and streamed, so memory stays flat.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from engine.errors import DataError
from engine.imports import encoding

CHUNK = 1 << 20
# Limits of what an import reads (issue 14): a federation's largest file (a province's 200,000 enterprises) is
# about 40 MB as CSV and 15 MB as XLSX; each limit is far above it and far below what would exhaust memory.
MAX_FILE_BYTES = 200 << 20
MAX_ROWS = 1_000_000
MAX_COLUMNS = 200
MAX_CELL = 32_767  # Excel's own limit for one cell
MAX_EXPANDED = 1 << 30  # an XLSX's members, uncompressed
MAX_RATIO = 200  # uncompressed / compressed size of one member: real sheets stay under 30, zip bombs reach thousands
MAX_MEMBERS = 10_000
DELIMITERS = (",", "\t", ";", "|")
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
XLSX_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class Table:
    """An opened sheet: its rows as (row number, values), and how far reading has got (for a progress bar)."""

    path: Path
    kind: str  # csv | xlsx
    encoding: str  # of a CSV file; '' for XLSX
    rows: Iterator[tuple[int, list[Any]]]
    total: int | None  # bytes of a CSV file, rows of a sheet (None when the sheet does not say)
    position: Callable[[], int] = field(default=lambda: 0)
    sheet: str = ""  # the sheet read (XLSX)
    hidden_sheets: tuple[str, ...] = ()  # hidden sheets before it, passed over because no --sheet named one
    hidden_rows: frozenset[int] = frozenset()  # rows of the sheet hidden in Excel (by hand, by a filter, by an outline)


def _undecodable(path: Path, encoding: str) -> tuple[int, int] | None:
    """(byte offset, line) of the first byte that does not decode, or None if the whole file decodes.
    A NUL character is refused here too (DataError naming its line): no text we keep holds one."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    lines = 1
    seen_lines = 0
    with path.open("rb") as f:
        while True:
            chunk = f.read(CHUNK)
            final = not chunk
            try:
                decoded = decoder.decode(chunk, final=final)
                if "\0" in decoded:
                    line = seen_lines + decoded[: decoded.index("\0")].count("\n") + 1
                    raise DataError(f"{path.name} 第 {line} 行含有空字符（NUL），不是文本文件或已损坏",
                                    f"{path.name} line {line} holds a NUL character: it is no text file, or it is damaged",
                                    hint_zh="请在 Excel 中另存为「CSV UTF-8」或 .xlsx 后重试",
                                    hint_en="save it from Excel as 'CSV UTF-8' or .xlsx and try again", rule="nul", actual=line)
                seen_lines += decoded.count("\n")
            except UnicodeDecodeError as exc:
                where = offset + max(exc.start, 0)
                with path.open("rb") as g:
                    lines = g.read(where).count(b"\n") + 1
                return where, lines
            if final:
                return None
            offset += len(chunk)


def detect_encoding(path: Path) -> str:
    """utf-8-sig, utf-16 (with a BOM, or without one when sure), utf-8 or gb18030; DataError naming the line when
    the file is none of them, or naming the encodings it could be when it is not surely one (EUC-KR, Big5, ...)."""
    with path.open("rb") as f:
        head = f.read(4)
    for bom, name in BOMS:
        if head.startswith(bom):
            bad = _undecodable(path, name)
            if bad is None:
                return name
            raise _bad_encoding(path, name, bad[1])
    sample = _sample(path)
    bare = encoding.utf16_without_bom(sample)
    if bare is not None and _undecodable(path, bare) is None:
        return bare
    if _undecodable(path, "utf-8") is None:
        return "utf-8"
    bad = _undecodable(path, "gb18030")
    if bad is None:
        if encoding.reads_as_chinese(sample) and not encoding.reads_as_korean(sample):
            return "gb18030"
        raise encoding.unsure(path.name, sample)
    raise _bad_encoding(path, "UTF-8 / GB18030", bad[1], encoding.candidates(sample))


def _sample(path: Path, size: int = 256 << 10) -> bytes:
    with path.open("rb") as f:
        data = f.read(size)
    cut = data.rfind(b"\n")
    return data[: cut + 1] if cut > 0 and len(data) == size else data


def _bad_encoding(path: Path, tried: str, line: int, could: list[str] | None = None) -> DataError:
    maybe_zh, maybe_en = (f"，可能是 {', '.join(could)}", f"; it could be {', '.join(could)}") if could else ("", "")
    return DataError(
        f"{path.name} 第 {line} 行含有无法识别的字符（不是 {tried} 编码的文本{maybe_zh}）",
        f"{path.name} line {line} has bytes that are not {tried} text{maybe_en}",
        hint_zh=encoding.SAVE_ZH, hint_en=encoding.SAVE_EN, rule="file_encoding", actual=line,
    )


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@contextmanager
def _open_csv(path: Path) -> Iterator[Table]:
    encoding = detect_encoding(path)
    raw = path.open("rb")
    try:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        first = text.readline()
        text.seek(0)
        reader = csv.reader(text, delimiter=_delimiter(first))

        def rows() -> Iterator[tuple[int, list[Any]]]:
            try:
                for n, values in enumerate(reader, start=1):
                    yield n, _bounded(path, n, values)
            except csv.Error as exc:
                raise DataError(
                    f"{path.name} 第 {reader.line_num} 行不是有效的 CSV：{exc}",
                    f"{path.name} line {reader.line_num} is not valid CSV: {exc}",
                    rule="csv", actual=reader.line_num,
                ) from None

        yield Table(path, "csv", encoding, rows(), path.stat().st_size, raw.tell)
    finally:
        raw.close()


def _pick(names: list[str], sheet: str | None, path: Path) -> int:
    """The index of the sheet asked for (by name, or 1-based number; the first when none is named)."""
    if sheet is None:
        return 0
    if sheet in names:
        return names.index(sheet)
    if sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return int(sheet) - 1
    raise DataError(f"{path.name} 中没有工作表 {sheet}（有：{', '.join(names)}）",
                    f"{path.name} has no sheet '{sheet}' (it has: {', '.join(names)})", rule="sheet", actual=sheet)


_MIDNIGHT = time()
_EXACT_INT = 1e15  # below this, an integral number reads as an int, as openpyxl gives one (Excel writes such numbers as digits)


def _as_openpyxl(cells: list[Any], lead: int) -> list[Any]:
    """A row as python-calamine gives it, in openpyxl's read-only terms: empty cells None (and none after the last
    filled one), whole numbers int, a date a datetime at midnight; `lead` empty cells before the first column."""
    out: list[Any] = [None] * lead + cells if lead else cells
    last = -1
    for i, v in enumerate(out):
        cls = type(v)
        if cls is str:
            if v:
                last = i
            else:
                out[i] = None
            continue
        last = i
        if cls is float:
            if v.is_integer() and -_EXACT_INT < v < _EXACT_INT:
                out[i] = int(v)
        elif cls is date:
            out[i] = datetime.combine(v, _MIDNIGHT)
    del out[last + 1:]
    return out


def _calamine(path: Path, sheet: str | None) -> tuple[Table, Any] | None:
    """The sheet read with python-calamine (several times openpyxl's speed), or None where openpyxl must read it:
    a chart or macro sheet in the book (openpyxl counts sheets differently), or a file calamine cannot open
    (openpyxl then says what is wrong, as it always did). Formulas are left to openpyxl too (_cached)."""
    try:
        from python_calamine import SheetTypeEnum, load_workbook
    except ImportError:  # pragma: no cover - a dependency; openpyxl still reads every file
        return None
    try:
        book = load_workbook(str(path))
        meta = book.sheets_metadata
        if any(m.typ != SheetTypeEnum.WorkSheet for m in meta):
            book.close()
            return None
        names = [m.name for m in meta]
        index = _pick(names, sheet, path)
        ws = book.get_sheet_by_index(index)
        start, end = ws.start, ws.end
        lead = start[1] if start else 0
        data = ws.iter_rows() if start else iter(())
    except DataError:
        raise
    except Exception:
        return None
    done = [0]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for n, values in enumerate(data, start=1):
            done[0] = n
            yield n, _bounded(path, n, _as_openpyxl(values, lead))

    return Table(path, "xlsx", "", rows(), end[0] + 1 if end and end[0] > 0 else None, lambda: done[0]), book


# An .xlsx saved with a password to open it is no zip but an OLE compound file, like an old .xls, holding the
# workbook in a stream named EncryptedPackage (MS-OFFCRYPTO 2.3.4.4); a directory entry names it in UTF-16.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def encrypted_workbook(path: Path) -> bool:
    """Whether an OLE compound file is a password-protected Office document (its EncryptedPackage stream named in
    the file's directory, wherever the directory sits), read in chunks."""
    tail = b""
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            if _ENCRYPTED_STREAM in tail + chunk:
                return True
            tail = chunk[-len(_ENCRYPTED_STREAM):]
    return False


def not_a_workbook(path: Path) -> DataError:
    """The refusal of a file that should be an Excel workbook and is not one (damaged, cut short, or no XLSX at all)."""
    return DataError(f"{path.name} 不是有效的 Excel 文件（.xlsx）：文件已损坏、不完整或不是 Excel 格式",
                     f"{path.name} is not a valid Excel workbook (.xlsx): it is damaged, incomplete or no Excel file",
                     hint_zh="请在 Excel 中打开后另存为 .xlsx 或「CSV UTF-8」再导入",
                     hint_en="open it in Excel and save it as .xlsx or 'CSV UTF-8', then import it", rule="xlsx",
                     actual=path.name)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheets(path: Path) -> list[tuple[str, str, str]]:
    """The workbook's sheets in order: (name, state: visible | hidden | veryHidden, zip member); [] when the workbook
    part cannot be read (the readers then say what is wrong)."""
    import posixpath
    import zipfile
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(path) as z:
            book = ElementTree.fromstring(z.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # a damaged part: openpyxl or calamine names the problem
        return []
    targets = {r.get("Id"): r.get("Target", "") for r in rels if _local(r.tag) == "Relationship"}
    out = []
    for el in book.iter():
        if _local(el.tag) != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), "")
        target = targets.get(rid, "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out.append((el.get("name", ""), el.get("state", "visible"), member))
    return out


_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_HIDDEN = re.compile(rb"""\bhidden\s*=\s*["'](?:1|true)["']""")
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")


def hidden_rows(path: Path, member: str) -> frozenset[int]:
    """The numbers of the rows a worksheet marks hidden (hidden by hand, filtered out, or folded in an outline), read
    from its XML in chunks: the file is streamed, as the readers stream it."""
    import zipfile

    found: set[int] = set()
    with zipfile.ZipFile(path) as z:
        if member not in z.namelist():  # a part named otherwise than we read it: no notice rather than a refusal
            return frozenset()
        with z.open(member) as f:
            carry = b""
            while chunk := f.read(CHUNK):
                data = carry + chunk
                start = data.rfind(b"<", max(len(data) - 4096, 0))  # a tag running past the chunk waits for the next
                cut = start if start >= 0 and data.find(b">", start) < 0 else len(data)
                _hidden_in(data[:cut], found)
                carry = data[cut:]
            _hidden_in(carry, found)
    return frozenset(found)


def _hidden_in(xml: bytes, found: set[int]) -> None:
    if b"hidden" not in xml:
        return
    for tag in _ROW_TAG.finditer(xml):
        if _HIDDEN.search(tag.group()) and (number := _ROW_NUMBER.search(tag.group())):
            found.add(int(number.group(1)))


def _chosen(path: Path, sheet: str | None) -> tuple[str | None, tuple[str, ...], str]:
    """The sheet to read by name (None: the readers' first), the hidden sheets passed over to reach it, and its member.
    Without --sheet, the first visible worksheet: what Excel shows, not a hidden list of choices or an old copy."""
    sheets = _sheets(path)
    if not sheets:
        return sheet, (), ""
    names = [name for name, _, _ in sheets]
    if sheet is not None:
        name, _, member = sheets[_pick(names, sheet, path)]
        return name, (), member
    work = [(name, state, member) for name, state, member in sheets if member.startswith("xl/worksheets/")]
    if not work:
        return None, (), ""
    shown = next((i for i, (_, state, _) in enumerate(work) if state == "visible"), 0)
    name, _, member = work[shown]
    return name, tuple(n for n, _, _ in work[:shown]), member


@contextmanager
def _open_xlsx(path: Path, sheet: str | None) -> Iterator[Table]:
    import zipfile
    import zlib

    _check_zip(path)
    try:
        formulas = _has_formulas(path)
        name, passed, member = _chosen(path, sheet)
        hidden = hidden_rows(path, member) if member else frozenset()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError):  # a member cut short or damaged
        raise not_a_workbook(path) from None

    def told(table: Table) -> Table:
        table.sheet, table.hidden_sheets, table.hidden_rows = name or "", passed, hidden
        return table

    if not formulas:
        fast = _calamine(path, name)
        if fast is not None:
            table, book = fast
            try:
                yield told(table)
            finally:
                book.close()
            return
    with _open_openpyxl(path, name) as table:
        yield told(table)


@contextmanager
def _open_openpyxl(path: Path, sheet: str | None) -> Iterator[Table]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # a damaged file: openpyxl raises many kinds, in English
        raise not_a_workbook(path) from None
    try:
        names = book.sheetnames
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in names:
            ws = book[sheet]
        else:
            ws = book.worksheets[_pick(names, sheet, path)]
        declared = getattr(ws, "max_row", None)
        # Some exporters write a wrong size; read every row rather than trust it (it only sizes the progress bar).
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()
        done = [0]

        fbook = _formula_book(path)
        formulas = fbook.worksheets[sheet_index(book, ws)] if fbook is not None else None

        def rows() -> Iterator[tuple[int, list[Any]]]:
            shapes = formulas.iter_rows(values_only=True) if formulas is not None else None
            for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
                done[0] = n
                cells = list(values)
                if shapes is not None:
                    _cached(path, n, cells, list(next(shapes, ())))
                yield n, _bounded(path, n, cells)  # numbers, booleans and datetimes as Excel gave them: the column decides

        try:
            yield Table(path, "xlsx", "", rows(), declared if isinstance(declared, int) and declared > 1 else None,
                        lambda: done[0])
        finally:
            if fbook is not None:
                fbook.close()
    finally:
        book.close()


@contextmanager
def open_table(path: Path, sheet: str | None = None) -> Iterator[Table]:
    """A CSV or XLSX file (told apart by content, not by name), opened for streaming."""
    if path.is_dir():
        raise DataError(f"{path} 是文件夹，不是文件：请给出要导入的 CSV 或 XLSX 文件", f"{path} is a folder, not a file: give the "
                        "CSV or XLSX file to import", rule="file", actual=str(path))
    if path.exists() and not path.is_file():
        raise DataError(f"{path} 不是普通文件（设备或管道）：请给出要导入的 CSV 或 XLSX 文件",
                        f"{path} is not a regular file (a device or a pipe): give the CSV or XLSX file to import",
                        rule="file", actual=str(path))
    if not path.is_file():
        raise DataError(f"找不到文件 {path}", f"no such file: {path}", rule="file", actual=str(path))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DataError(f"{path.name} 过大：{size / (1 << 20):.0f} MB（最多 {MAX_FILE_BYTES >> 20} MB）",
                        f"{path.name} is too large: {size / (1 << 20):.0f} MB (at most {MAX_FILE_BYTES >> 20} MB)",
                        hint_zh="请分成几个文件导入", hint_en="split it into several files", rule="file_size", actual=size)
    with path.open("rb") as f:
        magic = f.read(4)
    if magic == OLE_MAGIC:
        if encrypted_workbook(path):
            raise DataError(f"{path.name} 设有打开密码（已加密），无法读取",
                            f"{path.name} is protected by a password (encrypted) and cannot be read",
                            hint_zh="请在 Excel 中打开它，取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）"
                                    "后另存为 .xlsx 再导入",
                            hint_en="open it in Excel, remove the password (File → Info → Protect Workbook → Encrypt with "
                                    "Password, clear it), save it as .xlsx and import it again",
                            rule="file_format", actual=path.name)
        raise DataError(f"{path.name} 是旧版 .xls 文件", f"{path.name} is an old binary .xls file",
                        hint_zh="请在 Excel 中另存为 .xlsx 或 CSV UTF-8", hint_en="save it as .xlsx or CSV UTF-8 first",
                        rule="file_format")
    if magic == ZIP_MAGIC:
        with _open_xlsx(path, sheet) as table:
            yield table
    else:
        if path.suffix.lower() in XLSX_SUFFIXES and magic:
            try:  # content decides: a CSV saved under an .xlsx name is read as the CSV it is; other bytes are no workbook
                detect_encoding(path)
            except DataError:
                raise not_a_workbook(path) from None
        if sheet is not None:
            raise DataError(f"{path.name} 是 CSV 文件，没有工作表，请去掉 --sheet",
                            f"{path.name} is a CSV file, which has no sheets: drop --sheet", rule="sheet")
        with _open_csv(path) as table:
            yield table


def _bounded(path: Path, n: int, cells: list[Any]) -> list[Any]:
    """A row within the limits (rows, columns, characters of a cell); DataError naming the row otherwise."""
    if n > MAX_ROWS:
        raise DataError(f"{path.name} 超过 {MAX_ROWS:,} 行", f"{path.name} has more than {MAX_ROWS:,} rows",
                        hint_zh="请分成几个文件导入", hint_en="split it into several files", rule="file_rows", actual=n)
    if len(cells) > MAX_COLUMNS:
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        if len(cells) > MAX_COLUMNS:
            raise DataError(f"{path.name} 第 {n} 行有 {len(cells)} 列（最多 {MAX_COLUMNS}）",
                            f"{path.name} row {n} has {len(cells)} columns (at most {MAX_COLUMNS})", rule="file_columns", actual=n)
    for i, c in enumerate(cells):
        if type(c) is str and len(c) > MAX_CELL:
            raise DataError(f"{path.name} 第 {n} 行第 {i + 1} 列过长：{len(c):,} 个字符（最多 {MAX_CELL:,}）",
                            f"{path.name} row {n} column {i + 1} is too long: {len(c):,} characters (at most {MAX_CELL:,})",
                            rule="file_cell", actual=n)
    return cells


def _check_zip(path: Path) -> None:
    """Refuse an XLSX whose archive would expand past the limits, before openpyxl inflates any of it."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_a_workbook(path) from None
    expanded = sum(i.file_size for i in infos)
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos if i.file_size > (1 << 20)), default=0.0)
    if len(infos) > MAX_MEMBERS or expanded > MAX_EXPANDED or worst > MAX_RATIO:
        raise DataError(
            f"{path.name} 解压后过大（{expanded / (1 << 20):,.0f} MB，压缩比 {worst:,.0f}），不像正常的 Excel 文件，未读取",
            f"{path.name} would expand too far ({expanded / (1 << 20):,.0f} MB, ratio {worst:,.0f}): it is no usual Excel "
            "file, and was not read", hint_zh=f"上限：{MAX_EXPANDED >> 20} MB，压缩比 {MAX_RATIO}",
            hint_en=f"limits: {MAX_EXPANDED >> 20} MB, ratio {MAX_RATIO}", rule="xlsx_size", actual=expanded)


def sheet_index(book: Any, ws: Any) -> int:
    """The position of a worksheet in its workbook."""
    return int(book.worksheets.index(ws))


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the file holds a formula (<f> elements)."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        has = False
        for name in names:
            with z.open(name) as f:
                tail = b""
                while chunk := f.read(CHUNK):
                    if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                        has = True
                        break
                    tail = chunk[-3:]
            if has:
                break
    return has


def _formula_book(path: Path) -> Any:
    """The workbook with its formulas (not their cached values), when the file has any formula; else None."""
    if not _has_formulas(path):
        return None
    import openpyxl

    return openpyxl.load_workbook(path, read_only=True, data_only=False)


def _cached(path: Path, n: int, values: list[Any], shapes: list[Any]) -> None:
    """Refuse a formula cell that has no value saved with it (read as empty, it would be stored as nothing or 0)."""
    from openpyxl.utils import get_column_letter

    for i, (v, f) in enumerate(zip(values, shapes), start=1):
        if v is None and isinstance(f, str) and f.startswith("="):
            cell = f"{get_column_letter(i)}{n}"
            raise DataError(
                f"{path.name} 单元格 {cell} 是公式 {f[:40]}，但文件中没有保存它的值",
                f"{path.name} cell {cell} is a formula ({f[:40]}) saved without its value",
                hint_zh="请在 Excel 中打开并保存一次（或复制后「粘贴为数值」），再导入",
                hint_en="open and save it in Excel once (or paste the values only), then import it", rule="xlsx_formula",
                actual=cell)
