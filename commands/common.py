"""What every command shares: global state, the store, output, and error reporting."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from engine.errors import BargainError
    from engine.permission import Principal
    from engine.store.database import Store

GLOBAL_OPTIONS = ("--db", "--as", "--lang")


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class TableJson(str, Enum):
    table = "table"
    json = "json"


def _address() -> str:
    """Where a command line comes from, for the audit trail: the operating-system login and the host."""
    import socket

    try:
        return f"cli {getpass.getuser()}@{socket.gethostname()}"
    except Exception:  # no login name in some containers
        return "cli"


@dataclass
class State:
    """Global options, the store opened on first use, and who acts (a user, once the database has users)."""

    db: str | None = None
    actor: str | None = None
    lang: str = "zh"
    _store: Any = field(default=None, repr=False)
    _checked: bool = field(default=False, repr=False)
    _principal: Any = field(default=None, repr=False)

    def store(self, *, writing: bool = False, light: bool = False) -> Store:
        """The database, created or upgraded on first use; once it has users, --as (or $BARGAIN_AS) must name an
        active one (refused, one line, exit 1, otherwise), whose grants every use case then checks. A writing
        command first brings the stored deadline columns in step with the holiday calendar and profiles in force
        (engine.usecases.reproject), saying so on stderr: a row it saves next is then compared with current neighbours.
        `light`: a one-case command whose statements are generated (engine/store/lite.py): on an up-to-date SQLite
        file it runs on plain sqlite3, without importing SQLAlchemy."""
        if self._store is None:
            from engine.store.database import Store
            from engine.usecases import audit, users

            store = Store(self.db, light=light)
            audit.set_address(_address())
            self._principal = users.acting(store, self._named() or None)
            self._store = store
        if writing and not self._checked:
            self._checked = True
            from engine.usecases import reproject

            with progress_bar(self.t("重算期限", "recomputing deadlines")) as tick:
                done = reproject.ensure_current(self._store, progress=tick)
            if done is not None and done.cases:
                why = self.t("节假日或地区配置已变更", "the holiday calendar or a jurisdiction profile changed") \
                    if done.previous is not None else self.t("首次核对期限", "first check of the stored deadlines")
                typer.echo(self.t(f"{why}：已重算 {done.cases} 个案件的期限（{done.changed} 个有变动）",
                                  f"{why}: deadlines recomputed for {done.cases} cases ({done.changed} moved)"), err=True)
        return self._store

    def _named(self) -> str:
        from engine.values import check_free_text

        return check_free_text((self.actor or os.environ.get("BARGAIN_AS") or os.environ.get("BARGAIN_USER") or "").strip(), "--as")

    def principal(self) -> Principal | None:
        """The user acting (None on a database without users: nothing is checked)."""
        self.store()
        return self._principal  # type: ignore[no-any-return,unused-ignore]

    def who(self, by: int | None = None) -> str:
        """Who is acting: --as, else $BARGAIN_AS ($BARGAIN_USER, the older name); else, when the act names the
        counselor who did it (--by), "" so that the use case records that counselor's name; else the login."""
        self.store()
        if self._principal is not None:
            return str(self._principal.login)
        named = self._named()
        if named:
            return named
        if by is not None:
            return ""
        try:
            return getpass.getuser()
        except Exception:  # no login name in some containers
            return "unknown"

    def t(self, zh: str, en: str) -> str:
        """Pick the text of the chosen language."""
        return zh if self.lang == "zh" else en


def state(ctx: typer.Context) -> State:
    """The global state of this invocation."""
    found = ctx.find_root().obj
    return found if isinstance(found, State) else State()


def now() -> datetime:
    """The current instant (the only place the CLI reads the clock). BARGAIN_NOW (an ISO instant) sets it, to
    rehearse a later year: events may not be dated after now, so a campaign of next year needs next year's clock."""
    fixed = os.environ.get("BARGAIN_NOW", "").strip()
    if fixed:
        from engine.times import parse_at as parse

        return parse(fixed).astimezone(UTC)
    return datetime.now(UTC)


def wants_json(args: list[str]) -> bool:
    """Whether the command line asked for --format json."""
    for i, a in enumerate(args):
        if a == "--format=json" or (a == "--format" and i + 1 < len(args) and args[i + 1] == "json"):
            return True
    return False


def fail(exc: BargainError, lang: str, as_json: bool) -> typer.Exit:
    """Print a refusal (one line on stderr; JSON on stdout when asked) and return the exit to raise."""
    if as_json:
        from engine.outputs.render import to_json

        typer.echo(to_json(exc.as_json(lang)))
    from engine.outputs.table import safe

    prefix = "错误" if lang == "zh" else "error"
    # a refusal quotes what was typed: a control or bidi character in it is shown as its escape, never sent raw to
    # the terminal (a BEL, an RTL override that reorders the line)
    typer.echo(f"{prefix}: {safe(exc.message(lang))}", err=True)
    return typer.Exit(exc.exit_code)


def database_fault(exc: BaseException, st: State) -> BargainError | None:
    """The one-line error a database exception means (engine.store.faults), or None when it is none."""
    if "sqlalchemy" not in sys.modules and "engine.store.lite" not in sys.modules:  # nothing opened a database
        return None
    from engine.store.database import fault_of, safe_url

    return fault_of(exc, st._store.safe_url() if st._store is not None else safe_url(st.db or ""))


def echo_json(obj: Any) -> None:
    """One JSON document on stdout."""
    from engine.outputs.render import to_json

    typer.echo(to_json(obj))


class Printer:
    """Prints tables (engine.outputs.table) and lines of text on stdout or stderr, `width` cells wide: the
    terminal's width (COLUMNS when set) on a terminal, else 160, wide enough for Chinese tables in a pipe.
    Data is printed as it is: an enterprise named "[b]甲" or ":smile:" is neither markup nor an emoji code;
    control characters are shown as escapes. Bold and italic only on a terminal."""

    def __init__(self, stderr: bool = False, width: int | None = None) -> None:
        self.stderr = stderr
        stream = sys.stderr if stderr else sys.stdout
        tty = stream.isatty()
        self.width = width if width is not None else terminal_width() if tty else 160
        self.styled = tty and os.environ.get("TERM") != "dumb"

    def print(self, *items: Any) -> None:
        from engine.outputs.table import plain

        stream = sys.stderr if self.stderr else sys.stdout
        stream.write("".join(plain(item, self.width, styled=self.styled) for item in items))


def terminal_width() -> int:
    """The terminal's width in cells: COLUMNS when it is a number, else what the terminal says, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
        if columns > 0:
            return columns
    except ValueError:
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno() if sys.__stdout__ else 1).columns or 80
    except (OSError, ValueError):
        return 80


def console(stderr: bool = False) -> Printer:
    """The printer for tables and text (plain text, no rich: engine.outputs.table)."""
    return Printer(stderr=stderr)


def rich_console(stderr: bool = False) -> Any:
    """A rich console, for progress bars only (imported when a bar runs)."""
    from rich.console import Console

    return Console(stderr=stderr, width=None if sys.stdout.isatty() else 160, markup=False, emoji=False)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress callback (done, total): a rich bar on stderr when stderr is a terminal, else nothing
    (scripts and pipes get no control characters). The bar appears only once there is work to show."""
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=rich_console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def write_out(path: str, text: str) -> None:
    """Write a text file in full, or not at all."""
    from pathlib import Path

    from engine.outputs.files import write_text

    write_text(Path(path), text)


def checked_out(value: Any) -> Any:
    """An --out file checked before any work is done (engine.outputs.files.check_out)."""
    if value is None:
        return None
    from engine.outputs.files import check_out

    return check_out(value)


def checked_folder(value: Any) -> Any:
    """An --out folder checked before any work is done."""
    from engine.outputs.files import check_folder

    return check_folder(value)


def parse_at(value: str | None) -> datetime:
    """--at: a date (09:00 local) or a datetime; now when not given."""
    if not value:
        return now()
    from engine.times import parse_at as parse

    return parse(value)


def as_of_day(value: str | None, rule: str = "as_of") -> date:
    """--as-of: a date (full-width digits and 2026年3月2日 too); today in local time when not given. `rule` names
    the check in a JSON error."""
    from engine.times import local_date

    if not value:
        return local_date(now())
    from engine.errors import DataError
    from engine.values import NoSuchDayError, check_day, parse_date

    try:
        return check_day(parse_date(value), "--as-of")
    except NoSuchDayError as exc:  # written as a date, but no such day (2026-02-29, 2026-13-01)
        zh, en = exc.why()
        raise DataError(f"--as-of 没有这一天：{value}（{zh}）", f"--as-of names no such day: {value} ({en})",
                        rule=rule, actual=value) from None
    except ValueError:
        raise DataError(f"--as-of 不是日期：{value}（请写 2026-03-02）", f"--as-of is not a date: {value} (write 2026-03-02)",
                        rule=rule, actual=value) from None


def out_format(chosen: str | None, out: Any, formats: dict[str, str], default: str) -> str:
    """The output format from --format and --out's extension ({format: extension}). A file whose extension names
    another format than the one asked for, or no format at all, is refused, saying which formats exist."""
    from engine.errors import DataError

    by_ext = {ext: f for f, ext in formats.items()}
    listing = ", ".join(f"{f} (.{ext})" for f, ext in formats.items())
    if out is None:
        return chosen or default
    suffix = out.suffix.lower().lstrip(".")
    implied = by_ext.get(suffix)
    if implied is None:  # no extension, or one that names no format: a file nobody could open by its name
        wanted = f"；例如 {out.name}.{formats[chosen]}" if chosen in formats else ""
        wanted_en = f"; e.g. {out.name}.{formats[chosen]}" if chosen in formats else ""
        shown = f"扩展名 .{suffix} 不是可用的输出格式" if suffix else "没有扩展名，无法判断输出格式"
        shown_en = f"the extension .{suffix} names no output format" if suffix else "it has no extension to tell the format by"
        raise DataError(f"--out {out.name}：{shown}；可用：{listing}{wanted}",
                        f"--out {out.name}: {shown_en}; formats: {listing}{wanted_en}",
                        hint_zh="改用下列扩展名之一", hint_en="use one of these extensions",
                        rule="out_format", actual=str(out), required=list(formats))
    if chosen is None:
        return implied
    if implied is not None and implied != chosen:
        raise DataError(f"--format {chosen} 与文件名 {out.name} 的扩展名 .{suffix}（{implied}）不符；可用：{listing}",
                        f"--format {chosen} does not match {out.name} (.{suffix} is {implied}); formats: {listing}",
                        hint_zh=f"写 --out 文件名.{formats[chosen]}，或 --format {implied}",
                        hint_en=f"write --out NAME.{formats[chosen]}, or --format {implied}",
                        rule="out_format", actual=str(out), required=list(formats))
    return chosen


# ---- values checked at the edge, as typer callbacks (a refusal is one line, exit 1) --------------------


def checked_id(param: typer.CallbackParam, value: int | None) -> int | None:
    """An id option or argument within 1..2^31-1 (engine.values.MAX_ID)."""
    from engine.values import check_id

    return None if value is None else check_id(value, _label(param))


def checked_year(param: typer.CallbackParam, value: int | None) -> int | None:
    """A year option within engine.values.FIRST_YEAR..LAST_YEAR."""
    from engine.values import check_year

    return None if value is None else check_year(value, _label(param))


def checked_people(param: typer.CallbackParam, value: int | None) -> int | None:
    """A number of workers within 0..engine.values.MAX_PEOPLE."""
    from engine.values import check_people

    return None if value is None else check_people(value, _label(param))


def checked_hours(param: typer.CallbackParam, value: float) -> float:
    """Hours of one entry within 0..24."""
    from engine.values import check_hours

    return check_hours(value, _label(param))


def _label(param: Any) -> str:
    """How a parameter is written on the command line: --by, or CASE_ID for an argument."""
    opts = [o for o in getattr(param, "opts", []) if o.startswith("--")]
    return opts[0] if opts else str(param.name or "value").upper()



def _check_free_text(param: Any, value: Any) -> None:
    """DataError when a text value (or one of a repeated option's) holds a control or bidi character."""
    from engine.values import check_free_text

    for v in value if isinstance(value, (list, tuple)) else (value,):
        if isinstance(v, str) and not v.isprintable():
            check_free_text(v, _label(param))


def guard_free_text(command: Any) -> None:
    """Give every parameter of a command tree the free-text check (engine.values.check_free_text, the one the
    imports and the web forms ask too): a note, a reason, --set KEY=VALUE, a name holding a control or bidi
    character is refused naming the option, the character's position and its code point, before any work."""
    for param in getattr(command, "params", ()):
        original = param.callback
        if getattr(original, "free_text_checked", False):
            continue

        def callback(ctx: Any, p: Any, value: Any, original: Any = original) -> Any:
            _check_free_text(p, value)
            return value if original is None else original(ctx, p, value)

        callback.free_text_checked = True  # type: ignore[attr-defined]
        param.callback = callback
    for sub in getattr(command, "commands", {}).values():
        guard_free_text(sub)


DATA_FILE_MAX = 1 << 20  # a --data file holds one trigger's data or one contract's terms: a megabyte is plenty


def json_object_file(data_file: Any) -> dict[str, Any]:
    """The one JSON object of a --data file (UTF-8, a BOM allowed, at most DATA_FILE_MAX bytes); DataError naming
    the file for anything else (not UTF-8, not JSON, too large, too deep, not an object), never a traceback."""
    import json

    from engine.errors import DataError

    try:
        if data_file.stat().st_size > DATA_FILE_MAX:
            raise DataError(f"{data_file} 过大（最多 {DATA_FILE_MAX // 1024} KB）",
                            f"{data_file} is too large (at most {DATA_FILE_MAX // 1024} KB)", rule="data_file")
        loaded = json.loads(data_file.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise DataError(f"{data_file} 不是 UTF-8 文本", f"{data_file} is not UTF-8 text",
                        hint_zh="请另存为 UTF-8", hint_en="save it as UTF-8", rule="data_file") from None
    except RecursionError:
        raise DataError(f"{data_file} 嵌套过深", f"{data_file} nests too deeply", rule="data_file") from None
    except FileNotFoundError:
        raise DataError(f"找不到文件 {data_file}", f"no such file: {data_file}", rule="data_file") from None
    except IsADirectoryError:
        raise DataError(f"{data_file} 是文件夹，不是 JSON 文件", f"{data_file} is a folder, not a JSON file",
                        rule="data_file") from None
    except (OSError, json.JSONDecodeError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(f"无法读取 {data_file}：{reason}", f"cannot read {data_file}: {reason}", rule="data_file") from None
    if not isinstance(loaded, dict):
        raise DataError(f"{data_file} 应为一个 JSON 对象", f"{data_file} must hold one JSON object", rule="data_file")
    return loaded
