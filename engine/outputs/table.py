"""Plain-text tables for the terminal, without rich: the look the CLI has always had (rich's heavy-head box,
the title centred above, a header row, columns left- or right-aligned), measured in terminal cells (a Chinese
character takes two, a combining mark none: East Asian Width), long cells folded to fit the width given.

Text is printed as it is typed: "[b]甲" or ":smile:" is neither markup nor an emoji code. A control or bidi
character (engine.values.control_character's set, and a lone carriage return) never reaches the terminal raw:
it is shown as its escape (\\x1b, \\u202e). Rendering is a few passes over the cells, so a district's list of a
thousand deadlines renders in tens of milliseconds (bench/bench_table.py)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

BIDI = frozenset((*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029))  # and the line/paragraph separators
BOLD, ITALIC, DIM, RESET = "\x1b[1m", "\x1b[3m", "\x1b[2m", "\x1b[0m"
STYLES = {"bold": BOLD, "italic": ITALIC, "dim": DIM}

_WIDTH: dict[str, int] = {}


def _char_width(ch: str) -> int:
    if unicodedata.category(ch) in ("Mn", "Me", "Cf") or "\u1160" <= ch <= "\u11ff":  # marks, joiners, jamo vowels
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def char_width(ch: str) -> int:
    """Terminal cells one (safe) character takes: 2 for East Asian wide and full-width, 0 for marks, else 1."""
    w = _WIDTH.get(ch)
    if w is None:
        w = _WIDTH[ch] = 1 if ch < "\u0300" else _char_width(ch)
    return w


_TEXT_WIDTH: dict[str, int] = {}


def text_width(text: str) -> int:
    """Terminal cells a line of (safe) text takes."""
    if text.isascii():
        return len(text)
    w = _TEXT_WIDTH.get(text)
    if w is None:
        get = _WIDTH.get
        w = 0
        for ch in text:
            x = get(ch)
            w += char_width(ch) if x is None else x
        if len(_TEXT_WIDTH) > 100_000:  # cells repeat (states, kinds, rules): remember them, within bounds
            _TEXT_WIDTH.clear()
        _TEXT_WIDTH[text] = w
    return w


def _escape(ch: str) -> str:
    o = ord(ch)
    return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"


def safe(text: str) -> str:
    """`text` with every control and bidi character but the line feed shown as its escape; a tab becomes
    spaces, a CRLF a line feed."""
    if text.isprintable():
        return text
    if "\t" in text:
        text = text.expandtabs(8)
    text = text.replace("\r\n", "\n")
    out = []
    for ch in text:
        o = ord(ch)
        if ch != "\n" and (o < 32 or 0x7F <= o < 0xA0 or o in BIDI):
            out.append(_escape(ch))
        else:
            out.append(ch)
    return "".join(out)


# Chinese line breaking (禁则): no line starts with closing punctuation, none ends with opening punctuation.
NO_START = frozenset("，。、；：？！）》」』】〉〕”’…—·,.;:?!)]}%")
NO_END = frozenset("（《「『【〈〔“‘([{")


def _breaks_before(text: str, k: int) -> bool:
    """Whether a line may break between text[k-1] and text[k]: after a space, or beside a wide character,
    unless that puts closing punctuation at a line's start or opening punctuation at its end."""
    before, after = text[k - 1], text[k]
    if after in NO_START or before in NO_END:
        return False
    return before == " " or char_width(before) == 2 or char_width(after) == 2


def fold(text: str, width: int) -> list[str]:
    """One line of safe text cut into pieces no wider than `width` cells (not counting spaces a piece ends
    with, which fill the cell): at a space or beside a wide character when it can, else anywhere.
    "".join(fold(text, width)) == text."""
    if text_width(text) <= width or not text:
        return [text]
    found = _FOLDED.get((text, width))
    if found is None:  # a column's cells repeat (the same rule, the same note): fold each text once
        if len(_FOLDED) > 20_000:
            _FOLDED.clear()
        found = _FOLDED[text, width] = _fold(text, max(width, 1))
    return list(found)


_FOLDED: dict[tuple[str, int], list[str]] = {}


def _fold(text: str, width: int) -> list[str]:
    get = _WIDTH.get
    pieces: list[str] = []
    i, n = 0, len(text)
    while i < n:
        j, w = i, 0
        while j < n:
            ch = text[j]
            cw = get(ch)
            if cw is None:
                cw = char_width(ch)
            if w + cw > width:
                break
            w += cw
            j += 1
        if j == n:
            pieces.append(text[i:])
            break
        if j == i:  # a character wider than the column: alone on its line
            j = i + 1
        elif text[j] == " ":  # the break falls on a space: the spaces end this piece
            while j < n and text[j] == " ":
                j += 1
        elif not _breaks_before(text, j):
            k = j - 1
            while k > i and not _breaks_before(text, k):
                k -= 1
            if k > i:
                j = k
        pieces.append(text[i:j])
        i = j
    return pieces


def _fit(text: str, width: int, justify: str) -> str:
    """A piece padded to `width` cells (its trailing spaces trimmed first when they would overflow)."""
    w = text_width(text)
    if w > width:
        text = text.rstrip(" ")
        w = text_width(text)
    gap = width - w
    if gap <= 0:
        return text
    if justify == "right":
        return " " * gap + text
    if justify == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


@dataclass
class Column:
    """A column: its header, how its cells align (left, right, center), and whether it may be folded."""

    header: str
    justify: str = "left"
    no_wrap: bool = False


@dataclass
class Row:
    cells: list[str]
    style: str | None = None
    end_section: bool = False


@dataclass
class Styled:
    """A line (or lines) of text printed in a style on a terminal (bold, dim), plainly elsewhere."""

    text: str
    style: str | None = None


@dataclass
class Table:
    """A table to print: add columns, then rows (cells converted with str, None as empty)."""

    title: str = ""
    show_header: bool = True
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    def add_column(self, header: str, *, justify: str = "left", no_wrap: bool = False) -> None:
        self.columns.append(Column(safe(str(header)), justify, no_wrap))

    def add_row(self, *cells: Any, style: str | None = None, end_section: bool = False) -> None:
        self.rows.append(Row([safe("" if c is None else str(c)) for c in cells], style, end_section))

    def widths(self, width: int) -> list[int]:
        """Each column's width in cells for a table at most `width` cells wide (folding the widest first)."""
        n = len(self.columns)
        lines: list[list[str]] = [[] for _ in range(n)]
        if self.show_header:
            for j, c in enumerate(self.columns):
                lines[j].extend(c.header.split("\n"))
        for r in self.rows:
            for j, cell in enumerate(r.cells[:n]):
                lines[j].extend(cell.split("\n") if "\n" in cell else (cell,))
        natural = [max((text_width(x) for x in col), default=0) for col in lines]
        room = width - 3 * n - 1
        if sum(natural) <= room:
            return natural
        floor = [natural[j] if c.no_wrap else _widest_char(lines[j]) for j, c in enumerate(self.columns)]
        if sum(floor) >= room:
            return floor
        lo, hi = 0, max(natural)  # the largest cap at which the folded columns fit
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if sum(min(nat, max(mid, fl)) for nat, fl in zip(natural, floor, strict=True)) <= room:
                lo = mid
            else:
                hi = mid - 1
        out = [min(nat, max(lo, fl)) for nat, fl in zip(natural, floor, strict=True)]
        spare = room - sum(out)
        for j in range(n):  # what is left goes to the columns that were cut, left to right
            if spare <= 0:
                break
            if out[j] < natural[j]:
                out[j] += 1
                spare -= 1
        return out

    def lines(self, width: int, *, styled: bool = False) -> list[str]:
        """The table as lines of text at most `width` cells wide (unless even its narrowest is wider); every
        line the same width. `styled`: the title in italic, the header and bold rows in bold (ANSI)."""
        if not self.columns:
            return []
        widths = self.widths(width)
        total = sum(widths) + 3 * len(widths) + 1
        out: list[str] = []
        if self.title:
            for line in safe(self.title).split("\n"):
                for piece in fold(line, total):
                    text = _fit(piece, total, "center")
                    out.append(f"{ITALIC}{text}{RESET}" if styled else text)
        bars = {"━": ["━" * (w + 2) for w in widths], "─": ["─" * (w + 2) for w in widths]}
        if self.show_header:
            out.append("┏" + "┳".join(bars["━"]) + "┓")
            out.extend(self._row_lines([c.header for c in self.columns], widths, "┃", BOLD if styled else ""))
            out.append("┡" + "╇".join(bars["━"]) + "┩")
        else:
            out.append("┌" + "┬".join(bars["─"]) + "┐")
        for n, r in enumerate(self.rows):
            out.extend(self._row_lines(r.cells, widths, "│", STYLES.get(r.style or "", "") if styled else ""))
            if r.end_section and n < len(self.rows) - 1:
                out.append("├" + "┼".join(bars["─"]) + "┤")
        out.append("└" + "┴".join(bars["─"]) + "┘")
        return out

    def _row_lines(self, cells: Sequence[str], widths: list[int], bar: str, style: str) -> list[str]:
        cols = self.columns
        cells = list(cells[: len(cols)]) + [""] * (len(cols) - len(cells))
        sep = f" {bar} "
        padded: list[str] = []
        for cell, w, c in zip(cells, widths, cols, strict=True):  # the common case first: every cell fits its line
            if "\n" in cell:
                break
            gap = w - (len(cell) if cell.isascii() else text_width(cell))
            if gap < 0:
                break
            text = cell + " " * gap if c.justify == "left" else _fit(cell, w, c.justify)
            padded.append(f"{style}{text}{RESET}" if style else text)
        else:
            return [f"{bar} " + sep.join(padded) + f" {bar}"]
        folded = [[p for line in cell.split("\n") for p in fold(line, w)] for cell, w in zip(cells, widths, strict=True)]
        height = max(len(f) for f in folded)
        out = []
        for i in range(height):
            parts = []
            for f, w, c in zip(folded, widths, cols, strict=True):
                text = _fit(f[i], w, c.justify) if i < len(f) else " " * w
                parts.append(f"{style}{text}{RESET}" if style else text)
            out.append(f"{bar} " + sep.join(parts) + f" {bar}")
        return out

    def render(self, width: int, *, styled: bool = False) -> str:
        """The table as text, one line feed after each line."""
        return "".join(line + "\n" for line in self.lines(width, styled=styled))


def _widest_char(texts: Iterable[str]) -> int:
    """The widest character of any of `texts`, in cells (0 when all are empty)."""
    widest = 0
    for t in texts:
        if not t or widest == 2:
            continue
        if t.isascii():
            widest = max(widest, 1)
        elif text_width(t) > len(t):  # only a two-cell character makes a text wider than its length
            widest = 2
        else:
            widest = max(widest, *(char_width(ch) for ch in t))
    return widest


def plain(item: Any, width: int, *, styled: bool = False) -> str:
    """What printing `item` writes: a Table rendered, a Styled text (its style on a terminal), anything
    else as safe text; text folded to `width` as a terminal would, each line with a line feed."""
    if isinstance(item, Table):
        return item.render(width, styled=styled)
    text, style = (item.text, item.style) if isinstance(item, Styled) else (str(item), None)
    code = STYLES.get(style or "", "") if styled else ""
    lines = [p.rstrip(" ") for line in safe(text).split("\n") for p in fold(line, width)]
    return "".join(f"{code}{line}{RESET}\n" if code else line + "\n" for line in lines)
