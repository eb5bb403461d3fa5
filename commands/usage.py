"""Click's usage errors (exit 2) in the reader's language: in zh the usage line, the hint and the error are Chinese.

Click words its errors in English ("Missing argument 'case_id'.", "No such option: --bye"); a retired cadre typing
a command reads them in Chinese. The few shapes Click uses are translated here, their names and values kept as typed;
a message of another shape (a parameter callback's own, already bilingual) is shown as it is.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import IO, Any

# (English pattern, Chinese template): Click 8's messages for what a person most often types wrong
_WHOLE: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"Missing argument '(.+?)'\.?$"), lambda m: f"缺少参数 {m[1]}"),
    (re.compile(r"Missing option '(.+?)'\.?$"), lambda m: f"缺少选项 {m[1]}"),
    (re.compile(r"Missing parameter: (.+)$"), lambda m: f"缺少参数 {m[1]}"),
    (re.compile(r"No such option: (\S+?)(?:\s+Did you mean (\S+?)\?)?$"),
     lambda m: f"没有选项 {m[1]}" + (f"（是否要写 {m[2]}？）" if m[2] else "")),
    (re.compile(r"No such option: (\S+?)\s+\(Possible options: (.+)\)$"), lambda m: f"没有选项 {m[1]}（可能是：{m[2]}）"),
    (re.compile(r"No such command '(.+?)'\.(?:\s+Did you mean '(.+?)'\?)?$"),
     lambda m: f"没有命令 {m[1]}" + (f"（是否要写 {m[2]}？）" if m[2] else "")),
    (re.compile(r"Option '(.+?)' requires an argument\.?$"), lambda m: f"选项 {m[1]} 缺少取值"),
    (re.compile(r"Option '(.+?)' requires (\d+) arguments\.?$"), lambda m: f"选项 {m[1]} 需要 {m[2]} 个取值"),
    (re.compile(r"Option '(.+?)' does not take a value\.?$"), lambda m: f"选项 {m[1]} 不接受取值"),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)$"), lambda m: f"多余的参数：{m[1]}"),
    (re.compile(r"Invalid value for '(.+?)': (.+)$", re.S), lambda m: f"{m[1]} 的值无效：{_value(m[2])}"),
]

_VALUE: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"'(.*)' is not one of (.+)\.$", re.S), lambda m: f"「{m[1]}」不是可用的取值（可用：{_listed(m[2])}）"),
    (re.compile(r"'(.*)' is not a valid int(?:eger)?( range)?\.$", re.S), lambda m: f"「{m[1]}」不是整数"),
    (re.compile(r"'(.*)' is not a valid float( range)?\.$", re.S), lambda m: f"「{m[1]}」不是数字"),
    (re.compile(r"'(.*)' is not a valid boolean\.$", re.S), lambda m: f"「{m[1]}」不是是/否（可写 yes/no、true/false、1/0）"),
    (re.compile(r"'(.*)' does not match the format (.+)\.$", re.S), lambda m: f"「{m[1]}」不符合格式 {_listed(m[2])}"),
    (re.compile(r"(?:File|Path|Directory) '(.*)' does not exist\.$", re.S), lambda m: f"{m[1]} 不存在"),
    (re.compile(r"File '(.*)' is a directory\.$", re.S), lambda m: f"{m[1]} 是文件夹，不是文件"),
    (re.compile(r"Directory '(.*)' is a file\.$", re.S), lambda m: f"{m[1]} 是文件，不是文件夹"),
    (re.compile(r"(?:File|Path|Directory) '(.*)' is not readable\.$", re.S), lambda m: f"{m[1]} 无法读取"),
    (re.compile(r"(.+) is not in the range (.+)\.$", re.S), lambda m: f"{m[1]} 不在允许的范围内（{m[2]}）"),
]


def _listed(text: str) -> str:
    return "、".join(part.strip().strip("'") for part in re.split(r",\s*|\s+or\s+", text) if part.strip())


def _translated(text: str, table: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]]) -> str:
    """The Chinese of the first pattern of `table` the text matches; the text as it is when none does."""
    for pattern, zh in table:
        found = pattern.match(text.strip())
        if found:
            return zh(found)
    return text


def _value(text: str) -> str:
    return _translated(text, _VALUE)


def in_chinese(message: str) -> str:
    """A Click usage error's message in Chinese (as it is when its shape is not one of Click's known ones)."""
    return _translated(message, _WHOLE)


def lang_of(ctx: Any) -> str:
    """The --lang of the command line a usage error came from (zh unless en was asked for)."""
    if ctx is not None:
        obj = ctx.find_root().obj
        lang = getattr(obj, "lang", None)
        if lang in ("zh", "en"):
            return str(lang)
        args: list[str] = list(ctx.meta.get("bargain.args", []))
        for i, a in enumerate(args):
            if a == "--lang=en" or (a == "--lang" and i + 1 < len(args) and args[i + 1] == "en"):
                return "en"
    return "zh"


def show(exc: Any, file: IO[Any] | None = None) -> None:
    """UsageError.show, with the usage line, the hint and the error in Chinese for zh."""
    if lang_of(exc.ctx) == "en":
        next(_ENGLISH[c] for c in type(exc).__mro__ if c in _ENGLISH)(exc, file)
        return
    out = file or sys.stderr
    ctx = exc.ctx
    if ctx is not None:
        usage = (ctx.get_usage().replace("Usage: ", "用法：", 1).replace("[OPTIONS]", "[选项]")
                 .replace("COMMAND [ARGS]...", "命令 [参数]..."))
        print(usage, file=out)
        if ctx.command.get_help_option(ctx) is not None:
            print(f"运行 '{ctx.command_path} {ctx.help_option_names[0]}' 查看帮助。", file=out)
        print("", file=out)
    print(f"错误: {in_chinese(exc.format_message())}", file=out)  # the prefix every refusal has (commands.common.fail)


_ENGLISH: dict[type, Callable[..., None]] = {}  # each UsageError class's own show, for en


def install() -> None:
    """Make every usage error of this process show itself through `show` (Typer calls exc.show() when rich is off).
    Typer 0.26-0.28 raise the errors of the click they vendor (typer._click)."""
    from typer._click.exceptions import UsageError  # the click Typer 0.26-0.28 vendor (pyproject.toml pins them)

    classes: list[type] = [UsageError]
    for cls in classes:
        if cls not in _ENGLISH:
            _ENGLISH[cls] = cls.show  # type: ignore[attr-defined]
            cls.show = show  # type: ignore[attr-defined]
