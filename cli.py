"""bargain: the command line. Thin: parse, call the engine, print; map errors to exit codes (CLI.md).

Heavy modules (sqlmodel, openpyxl, matplotlib; rich, for progress bars only) are imported inside the commands so that
`bargain --help` starts fast.
"""

from __future__ import annotations

import copy
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.main import get_command_name

from commands import (
    campaign,
    case,
    contract,
    counselor,
    deadline,
    enterprise,
    ledger,
    org,
    regional,
    report,
    rollup,
    serve,
    setup,
    usage,
    user,
    workflow,
)
from commands.common import GLOBAL_OPTIONS, Lang, State, database_fault, fail, guard_free_text, wants_json

HELP = """bargain：工资集体协商工作流与案件管理 / collective wage bargaining workflows and case tracking.

全局选项可写在任何位置 / global options may be given anywhere: --db URL, --as USER, --lang zh|en.
"""


class MissingValueError(Exception):
    """A global option at the end of the line, or followed by another one: it lacks its value."""

    def __init__(self, option: str) -> None:
        super().__init__(option)
        self.option = option


def hoist_globals(args: list[str]) -> list[str]:
    """Move --db/--as/--lang (and their values) to the front, so they work after a subcommand too."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        name = a.split("=", 1)[0]
        if a == "--":
            rest.extend(args[i:])
            break
        if name in GLOBAL_OPTIONS:
            if "=" in a:
                front.append(a)
            else:
                value = args[i + 1] if i + 1 < len(args) else None
                if value is None or value in GLOBAL_OPTIONS or value.split("=", 1)[0] in GLOBAL_OPTIONS:
                    raise MissingValueError(a)
                front.extend(args[i : i + 2])
                i += 1
        else:
            rest.append(a)
        i += 1
    return front + rest


class BargainGroup(TyperGroup):
    """The root group: hoists global options and turns BargainError into one line and an exit code."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        try:
            args = hoist_globals(list(args))
        except MissingValueError as exc:  # a usage error (exit 2) in one line, not Click's usage block
            zh = "--lang en" not in " ".join(args) and "--lang=en" not in args
            typer.echo(f"错误: 选项 {exc.option} 缺少取值" if zh else f"error: option {exc.option} needs a value", err=True)
            raise typer.Exit(2) from None
        ctx.meta["bargain.args"] = list(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        from engine.errors import BargainError

        try:
            guard_free_text(self)  # before the subcommand parses its options
            return super().invoke(ctx)
        except BargainError as exc:
            state = ctx.obj if isinstance(ctx.obj, State) else State()
            raise fail(exc, state.lang, wants_json(ctx.meta.get("bargain.args", []))) from None
        except Exception as exc:  # a database fault outside a unit of work: one line too; anything else is a bug
            state = ctx.obj if isinstance(ctx.obj, State) else State()
            known = database_fault(exc, state)
            if known is None:
                raise
            raise fail(known, state.lang, wants_json(ctx.meta.get("bargain.args", []))) from None


usage.install()  # Click's usage errors (exit 2) in the reader's language

app = typer.Typer(
    cls=BargainGroup,
    help=HELP,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option("--db", help="数据库 / SQLAlchemy URL (default: $BARGAIN_DB or sqlite:///bargain.db)")] = None,
    actor: Annotated[str | None, typer.Option("--as", help="操作人 / who acts (default: $BARGAIN_AS; with --by, that counselor)")] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="语言 / language of messages")] = Lang.zh,
) -> None:
    """Global options."""
    ctx.obj = State(db=db, actor=actor, lang=lang.value)


for module in (setup, case, contract, workflow, org, enterprise, counselor, ledger, campaign, report, rollup, deadline, user, serve):
    module.register(app)
regional.register(case.cases)  # `case cover` and `case covered` live in the case group


def command_words(args: list[str]) -> list[str]:
    """The leading command words of a command line (global options and their values skipped), up to the first
    option or the end: `--db X case show 1 --format json` gives case, show, 1."""
    words: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a.split("=", 1)[0] in GLOBAL_OPTIONS:
            i += 1 if "=" in a else 2
            continue
        if a.startswith("-"):
            break
        words.append(a)
        i += 1
    return words


def command_name(args: list[str]) -> str | None:
    """The top-level command a command line names (global options skipped); None when it names none."""
    i = 0
    while i < len(args):
        a = args[i]
        if a.split("=", 1)[0] in GLOBAL_OPTIONS:
            i += 1 if "=" in a else 2
            continue
        return None if a.startswith("-") else a
    return None


def _named(c: Any) -> str:
    return str(c.name or get_command_name(c.callback.__name__ if c.callback else ""))


def _slim(typer_app: typer.Typer, words: list[str]) -> typer.Typer | None:
    """A copy of `typer_app` holding only the command or group `words[0]` names (a group slimmed the same way
    by the next word); None when it names none of them. The shared apps are never changed."""
    if not words:
        return None
    name, rest = words[0], words[1:]
    commands = [c for c in typer_app.registered_commands if _named(c) == name]
    groups = []
    for g in typer_app.registered_groups:
        if g.name != name:
            continue
        inner = _slim(g.typer_instance, rest) if g.typer_instance is not None else None
        if inner is not None:  # the group with only the subcommand named; else the whole group (its help, a typo)
            g = copy.copy(g)
            g.typer_instance = inner
        groups.append(g)
    if not commands and not groups:
        return None
    slim = copy.copy(typer_app)
    slim.registered_commands, slim.registered_groups = commands, groups
    return slim


def app_for(args: list[str]) -> typer.Typer:
    """The root app, or, when the command line names a known command, the root app holding only that command
    (in a group, only that subcommand): Typer builds every command's parameters from its signature on each run
    (annotations evaluated, a tenth of a second for the case group alone), and a run needs one. Help, options
    alone and unknown names get them all; a group named without a known subcommand gets all of its own."""
    if command_name(args) is None:
        return app
    return _slim(app, command_words(args)) or app


def main() -> None:
    """Console-script entry point."""
    app_for(sys.argv[1:])(prog_name="bargain")


if __name__ == "__main__":
    main()
    sys.exit(0)
