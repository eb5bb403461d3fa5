"""A list of enterprises for `bargain case cover --file`: CSV or XLSX with a credit-code column.

Read with the import layer's reader and header matching, so files behave as in the other imports:
encodings detected, Chinese or English headers, title rows skipped, every bad row named.
"""

from __future__ import annotations

from pathlib import Path

from engine.errors import DataError
from engine.imports.columns import CellError, Column, credit_code, header, looks_like_header
from engine.imports.enterprise import COLUMNS as ENTERPRISE_COLUMNS
from engine.imports.tabular import open_table

COLUMNS = (next(c for c in ENTERPRISE_COLUMNS if c.key == "credit_code"),)


def read_codes(path: Path, sheet: str | None = None) -> list[str]:
    """The credit codes of a file, in file order without repeats; DataError naming every bad row."""
    codes: dict[str, int] = {}
    bad: list[tuple[int, str, str, str]] = []
    with open_table(path, sheet) as table:
        head = None
        for row, values in table.rows:
            if head is None:
                if looks_like_header(values, COLUMNS):
                    head = header(row, values, COLUMNS, path.name)
                continue
            i = head.index["credit_code"]
            cell = values[i] if i < len(values) else None
            if cell is None or str(cell).strip() == "":
                continue
            try:
                code = credit_code(cell)
            except CellError as exc:
                bad.append((row, str(cell), exc.zh, exc.en))
                continue
            if code in codes:
                bad.append((row, code, f"与第 {codes[code]} 行重复", f"repeats row {codes[code]}"))
                continue
            codes[code] = row
    if head is None:
        col: Column = COLUMNS[0]
        raise DataError(f"{path.name} 没有「{col.zh}」列", f"{path.name} has no '{col.key}' ({col.zh}) column",
                        rule="header", required=col.key)
    if bad:
        label = head.label("credit_code")
        zh = "；".join(f"第 {r} 行 {label}={v}：{z}" for r, v, z, _ in bad[:20])
        en = "; ".join(f"row {r} {label}={v}: {e}" for r, v, _, e in bad[:20])
        more = len(bad) - 20
        raise DataError(f"{path.name} 有 {len(bad)} 行错误，未写入任何内容：{zh}" + (f"（另有 {more} 行）" if more > 0 else ""),
                        f"{path.name} has {len(bad)} bad rows, nothing was written: {en}" + (f" (+{more} more)" if more > 0 else ""),
                        rule="cover_file")
    return list(codes)
