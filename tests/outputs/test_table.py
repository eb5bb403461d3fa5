"""The plain-text table writer (engine.outputs.table): rich's look, widths in terminal cells, folding that
loses nothing, text verbatim, control characters never raw."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.outputs.table import Styled, Table, fold, plain, safe, text_width

BOX = set("┏━┳┓┃┡╇┩│├─┼┤└┴┘┌┬┐")


def _cells(line: str) -> list[str]:
    """The cell texts of one drawn row (between the bars), padding stripped."""
    return [c.strip(" ") for c in line[1:-1].split(line[0])]


def test_a_small_table_looks_as_rich_drew_it() -> None:
    t = Table(title="案件")
    t.add_column("a")
    t.add_column("数", justify="right")
    t.add_row("x", "甲")
    t.add_row("yy", 7)
    assert t.render(80) == (
        "   案件    \n"
        "┏━━━━┳━━━━┓\n"
        "┃ a  ┃ 数 ┃\n"
        "┡━━━━╇━━━━┩\n"
        "│ x  │ 甲 │\n"
        "│ yy │  7 │\n"
        "└────┴────┘\n")


def test_a_record_without_header_a_section_rule_and_an_empty_table() -> None:
    t = Table(title="T", show_header=False)
    t.add_column("k")
    t.add_column("v")
    t.add_row("k", "v", end_section=True)
    t.add_row("kk", None)
    assert t.lines(80) == ["    T     ", "┌────┬───┐", "│ k  │ v │", "├────┼───┤", "│ kk │   │", "└────┴───┘"]
    empty = Table(title="empty")
    empty.add_column("aa")
    empty.add_column("b", justify="right")
    assert empty.lines(80) == ["  empty   ", "┏━━━━┳━━━┓", "┃ aa ┃ b ┃", "┡━━━━╇━━━┩", "└────┴───┘"]


def test_long_cells_fold_to_the_width_at_spaces_and_between_chinese_characters() -> None:
    t = Table(title="wrap")
    t.add_column("a")
    t.add_column("b")
    t.add_row("hello world this is a long english sentence", "中文很长的一段文字没有空格，中文很长的一段文字")
    lines = t.lines(40)
    assert {text_width(line) for line in lines} == {40}
    assert _cells(lines[4]) == ["hello world this", "中文很长的一段文"]  # as rich folded it
    assert not any(_cells(line)[1].startswith("，") for line in lines[4:-1])  # no line starts with a closing comma
    assert "".join(_cells(line)[1] for line in lines[4:-1]) == "中文很长的一段文字没有空格，中文很长的一段文字"
    assert " ".join(_cells(line)[0] for line in lines[4:-1]).split() == "hello world this is a long english sentence".split()


def test_text_is_printed_verbatim_and_control_characters_as_escapes() -> None:
    t = Table(title="[b]标题[/b]")
    t.add_column(":smile:")
    t.add_row("[red]甲\x1b[31m公司\u202e")
    out = t.render(80)
    assert "[b]标题[/b]" in out and ":smile:" in out and "[red]甲\\x1b[31m公司\\u202e" in out
    assert "\x1b" not in out and "\u202e" not in out
    assert safe("a\tb\r\nc\rd\x00") == "a       b\nc\\x0dd\\x00"
    assert plain(Styled("粗体", "bold"), 80, styled=True) == "\x1b[1m粗体\x1b[0m\n"
    assert plain(Styled("粗体", "bold"), 80) == "粗体\n"
    assert "\x1b[1m" in t.render(80, styled=True) and "\x1b" not in t.render(80, styled=False)


def test_widths_count_terminal_cells() -> None:
    assert text_width("abc") == 3
    assert text_width("甲乙") == 4
    assert text_width("ｆｕｌｌ") == 8  # full-width Latin letters
    assert text_width("e\u0301") == 1  # a combining accent takes no cell
    assert text_width("①") == 1  # East Asian ambiguous: narrow, as rich and most terminals count it


def test_a_no_wrap_column_keeps_its_width_and_the_others_fold() -> None:
    t = Table()
    t.add_column("group", no_wrap=True)
    t.add_column("n", justify="right")
    t.add_row("苏州市总工会高新区", "1234567890" * 3)
    lines = t.lines(30)
    assert _cells(lines[3])[0] == "苏州市总工会高新区"
    assert {text_width(line) for line in lines} == {30}


CELL = st.text(alphabet=st.sampled_from(list("abcXYZ 019-") + list("甲乙丙工会合同协商，。（）《》") + ["é", "\u0301", "ｆ"]),
               max_size=40)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=0, max_size=6), width=st.integers(10, 120),
       title=CELL)
def test_every_line_has_the_same_width_and_no_cell_text_is_lost(rows: list[list[str]], width: int, title: str) -> None:
    t = Table(title=title)
    for h in ("时间", "what", "详情"):
        t.add_column(h)
    for r in rows:
        t.add_row(*r)
    lines = t.lines(width)
    widths = {text_width(line) for line in lines}
    assert len(widths) == 1, lines
    (drawn,) = widths
    floor = sum(t.widths(0)) + 3 * 3 + 1  # the narrowest the table can be (one character a column)
    assert drawn <= max(width, floor)
    body = [line for line in lines if line[:1] == "│"]
    i = 0
    for r in rows:  # each row's lines, in order: a cell's pieces joined give the cell back (spaces aside)
        height = max(1, *(len(fold(c, w)) for c, w in zip(r, t.widths(width), strict=True)))
        got = [_cells(line) for line in body[i : i + height]]
        for j, cell in enumerate(r):
            assert "".join(g[j] for g in got).replace(" ", "") == cell.replace(" ", ""), (cell, got)
        i += height
    assert i == len(body)


@settings(max_examples=300, deadline=None)
@given(text=CELL, width=st.integers(1, 30))
def test_folding_gives_the_text_back_in_pieces_that_fit(text: str, width: int) -> None:
    pieces = fold(text, width)
    assert "".join(pieces) == text
    widest = max((text_width(ch) for ch in text), default=0)
    assert all(text_width(p.rstrip(" ")) <= max(width, widest) for p in pieces)
    assert all(p for p in pieces) or pieces == [""]
