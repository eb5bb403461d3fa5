"""The holiday data the calendar counts with: the `chinese-calendar` package, plus local year files.

The package knows the State Council's arrangement for the years it was released with. For a later
year, drop a file `YYYY.toml` into `data/holidays/` (shipped with bargain) or into the folder named
by the environment variable BARGAIN_HOLIDAYS; a file also replaces the package's data for its year:

    # 2027 年部分节假日安排（国务院办公厅通知）
    year = 2027
    source = "国务院办公厅关于2027年部分节假日安排的通知"
    rest_days = ["2027-01-01", "2027-02-06..2027-02-12"]   # 放假: every day off, weekends inside included
    working_days = ["2027-02-14"]                           # 调休上班: weekend days that are working days

A broken file is a set-up problem naming the file and the entry (exit 4), never a silent guess.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from engine.calendar import Holidays
from engine.errors import SetupError

ENV_DIR = "BARGAIN_HOLIDAYS"
YearData = tuple[frozenset[date], frozenset[date]]  # (rest days, working days) of one year


def _broken(where: str, zh: str, en: str) -> SetupError:
    return _broken_at(where, where, zh, en)


def _broken_at(zh_where: str, en_where: str, zh: str, en: str) -> SetupError:
    return SetupError(f"节假日文件 {zh_where}：{zh}", f"holiday file {en_where}: {en}",
                      hint_zh="格式见 data/holidays/README.md", hint_en="the format is described in data/holidays/README.md")


def _listed(entries: list[Any], year: int, where: str, key: str, source: str) -> frozenset[date]:
    """The days of a list; a day listed twice (alone or inside a range) is refused at the line of its second listing:
    a copied notice does not repeat a day, so a repeat is most likely a mistyped other date."""
    days: dict[date, str] = {}
    seen: dict[str, int] = {}
    for entry in entries:
        text = str(entry).strip()
        seen[text] = seen.get(text, 0) + 1
        for d in _days(entry, year, where, key, source):
            if d in days:
                zh_at, en_at = _at(where, _line_of(source, text, seen[text]))
                raise _broken_at(zh_at, en_at, f"{key} 中 {d} 列了两次（{days[d]!r} 与 {text!r}）",
                                 f"{key} lists {d} twice ({days[d]!r} and {text!r})")
            days[d] = text
    return frozenset(days)


def _line_of(source: str, text: str, nth: int = 1) -> str:
    """The number of the line holding the nth listing of an entry (quoted, outside a comment); empty when it cannot
    be found (an entry written as a bare TOML date or number)."""
    seen = 0
    for number, line in enumerate(source.splitlines(), start=1):
        code = line.split("#", 1)[0]
        seen += code.count(f'"{text}"') + code.count(f"'{text}'")
        if seen >= nth:
            return str(number)
    return ""


def _at(where: str, line: str) -> tuple[str, str]:
    return (f"{where} 第 {line} 行", f"{where} line {line}") if line else (where, where)


def _days(entry: Any, year: int, where: str, key: str, source: str = "") -> Iterator[date]:
    text = str(entry).strip()

    def broken(zh: str, en: str) -> SetupError:  # at the entry's line, looked up only for a refusal
        return _broken_at(*_at(where, _line_of(source, text)), zh, en)

    first, sep, last = text.partition("..")
    try:
        start = date.fromisoformat(first.strip())
        end = date.fromisoformat(last.strip()) if sep else start
    except ValueError:
        raise broken(f"{key} 中的 {text!r} 不是日期（应写 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD）",
                     f"{key} entry {text!r} is not a date (write YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD)") from None
    if end < start:
        raise broken(f"{key} 中的 {text!r} 起止颠倒", f"{key} entry {text!r} ends before it starts")
    if start.year != year or end.year != year:
        raise broken(f"{key} 中的 {text!r} 不在 {year} 年", f"{key} entry {text!r} is not in {year}")
    d = start
    while d <= end:
        yield d
        d += timedelta(days=1)


def parse_year_file(text: str, where: str) -> tuple[int, YearData]:
    """One local year file → (year, (rest days, working days)); SetupError naming the file and entry."""
    import tomllib  # only when a file is parsed: the compiled definitions come from the cache

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _broken(where, f"不是有效的 TOML（{exc}）", f"not valid TOML ({exc})") from None
    year = raw.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 1949 < year < 2200:
        raise _broken(where, "缺少有效的 year", "needs a valid 'year'")
    stem = Path(where).stem
    if stem.isdigit() and int(stem) != year:
        raise _broken(where, f"文件名与 year = {year} 不符", f"the file name does not match year = {year}")
    if not str(raw.get("source", "")).strip():
        raise _broken(where, "缺少 source（节假日安排通知的名称）", "needs a 'source' (the notice the dates come from)")
    unknown = sorted(set(raw) - {"year", "source", "rest_days", "working_days"})
    if unknown:
        raise _broken(where, f"未知的键 {', '.join(unknown)}", f"unknown keys {', '.join(unknown)}")
    lists: dict[str, list[Any]] = {}
    for key in ("rest_days", "working_days"):
        value = raw.get(key, [])
        if not isinstance(value, list):
            raise _broken(where, f"{key} 应为列表", f"'{key}' must be a list")
        lists[key] = value
    rest = _listed(lists["rest_days"], year, where, "rest_days", text)
    work = _listed(lists["working_days"], year, where, "working_days", text)
    weekday = sorted(d for d in work if d.weekday() < 5)
    if weekday:
        raise _broken(where, f"调休上班日 {weekday[0]} 不是周末", f"make-up working day {weekday[0]} is not a weekend day")
    both = sorted(rest & work)
    if both:
        raise _broken(where, f"{both[0]} 同时是放假日和上班日", f"{both[0]} is both a rest day and a working day")
    return year, (rest, work)


def package_years() -> dict[int, YearData]:
    """The years the installed chinese-calendar package knows, with their holidays and make-up working days."""
    from chinese_calendar import constants

    years: dict[int, tuple[set[date], set[date]]] = {}
    for d in constants.holidays:
        years.setdefault(d.year, (set(), set()))[0].add(d)
    for d in constants.workdays:
        years.setdefault(d.year, (set(), set()))[1].add(d)
    return {y: (frozenset(r), frozenset(w)) for y, (r, w) in years.items()}


def _read(f: Any, where: str) -> str:
    try:
        data: bytes = f.read_bytes()
    except OSError as exc:
        why = ("是文件夹", "it is a folder") if isinstance(exc, IsADirectoryError) else (
            ("没有读取权限", "permission denied") if isinstance(exc, PermissionError) else (str(exc.strerror or exc),) * 2)
        raise _broken(where, f"无法读取（{why[0]}）", f"cannot be read ({why[1]})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _broken(where, f"不是 UTF-8 编码（第 {exc.start} 字节；请另存为 UTF-8）",
                      f"is not UTF-8 (byte {exc.start}; save it as UTF-8)") from None


def _files(folder: Any, shown: str | None = None) -> Iterable[tuple[str, str]]:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except (FileNotFoundError, NotADirectoryError):
        return []
    named = [(f, f"{shown}/{f.name}" if shown else str(f)) for f in entries if f.name.endswith(".toml")]
    return [(where, _read(f, where)) for f, where in named]


def local_files(extra_dir: str | None = None) -> list[tuple[str, str]]:
    """(where, text) of the shipped data/holidays/*.toml, then of the files in BARGAIN_HOLIDAYS."""
    shipped = list(_files(resources.files("data").joinpath("holidays"), "data/holidays"))
    folder = extra_dir if extra_dir is not None else os.environ.get(ENV_DIR, "")
    if not folder:
        return shipped
    if not Path(folder).is_dir():
        raise SetupError(f"{ENV_DIR}={folder} 不是文件夹", f"{ENV_DIR}={folder} is not a folder")
    return shipped + list(_files(Path(folder)))


def build(package: dict[int, YearData], files: Iterable[tuple[str, str]]) -> Holidays:
    """Merge the package's years with the local files (a file replaces its year)."""
    years = dict(package)
    by_folder: dict[tuple[str, int], str] = {}
    for where, text in files:
        year, data = parse_year_file(text, where)
        folder = str(Path(where).parent)
        other = by_folder.setdefault((folder, year), where)
        if other != where:  # which of two files for one year is meant cannot be guessed (across folders the later wins)
            raise _broken(where, f"与 {other} 都是 {year} 年的安排，请只保留一个",
                          f"gives {year} as {other} does: keep only one")
        years[year] = data
    return Holidays.of(years, (d for r, _ in years.values() for d in r), (d for _, w in years.values() for d in w))
