"""Start-up cost of the command line: a run builds only the command it names, and imports nothing it does not use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer
from typer.main import get_command_name

import cli

ROOT = Path(__file__).resolve().parents[2]


def _names(app: typer.Typer) -> set[str]:
    commands = {c.name or get_command_name(c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    return commands | {str(g.name) for g in app.registered_groups}


def test_the_command_name_skips_global_options_wherever_they_stand() -> None:
    assert cli.command_name(["case", "show", "1"]) == "case"
    assert cli.command_name(["--db", "sqlite:///x.db", "--as", "王", "case", "show", "1"]) == "case"
    assert cli.command_name(["--lang=en", "init"]) == "init"
    assert cli.command_name(["--db", "sqlite:///x.db"]) is None
    assert cli.command_name(["--help"]) is None
    assert cli.command_name([]) is None


def test_a_run_naming_a_group_builds_only_that_group() -> None:
    assert _names(cli.app_for(["--db", "sqlite:///x.db", "case", "advance", "1", "accept"])) == {"case"}
    assert _names(cli.app_for(["holidays"])) == {"holidays"}  # the function is holidays_
    assert cli.app.registered_groups and len(_names(cli.app)) > 2  # the shared app is left whole


def test_a_run_naming_a_subcommand_builds_only_it_and_leaves_the_shared_group_whole() -> None:
    slim = cli.app_for(["case", "--db", "sqlite:///x.db", "show", "1", "--format", "json"])
    (group,) = slim.registered_groups
    assert group.typer_instance is not None and _names(group.typer_instance) == {"show"}
    nested = cli.app_for(["contract", "reference", "add", "--name", "x"]).registered_groups[0].typer_instance
    assert nested is not None and _names(nested) == {"reference"}
    (inner,) = nested.registered_groups
    assert inner.typer_instance is not None and _names(inner.typer_instance) == {"add"}
    whole = next(g.typer_instance for g in cli.app.registered_groups if g.name == "case")
    assert whole is not None and {"show", "advance", "log", "timeline"} <= _names(whole)
    for args in (["case"], ["case", "--help"], ["case", "nosuch"]):  # the group's help and its refusal list every subcommand
        (g,) = cli.app_for(args).registered_groups
        assert g.typer_instance is whole


def test_help_options_alone_and_unknown_names_get_every_command() -> None:
    for args in (["--help"], [], ["--lang", "en"], ["nosuch"]):
        assert cli.app_for(args) is cli.app


def test_a_real_process_still_lists_the_commands_and_refuses_an_unknown_one(tmp_path: Path) -> None:
    bargain = str(Path(sys.executable).parent / "bargain")
    shown = subprocess.run([bargain, "--help"], capture_output=True, text=True)
    assert shown.returncode == 0 and "case" in shown.stdout and "workflow" in shown.stdout
    unknown = subprocess.run([bargain, "nosuch"], capture_output=True, text=True)
    assert unknown.returncode == 2 and "nosuch" in unknown.stderr
    url = f"sqlite:///{tmp_path / 'b.db'}"
    made = subprocess.run([bargain, "init", "--db", url, "--lang", "en"], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    listed = subprocess.run([bargain, "--db", url, "workflow", "list"], capture_output=True, text=True)
    assert listed.returncode == 0 and "enterprise_wage" in listed.stdout


def test_a_plain_date_is_parsed_without_importing_pendulum() -> None:
    code = ("import sys\nfrom engine.times import parse_at\n"
            "assert parse_at('2026-03-02').isoformat() == '2026-03-02T09:00:00+08:00'\n"
            "print('pendulum' in sys.modules)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={"PATH": "", "BARGAIN_TZ": "Asia/Shanghai"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


# What a one-case command must not load (issue 18 item 1): each costs start-up time, most a tenth of a second or more
# (pydantic: typer 0.29 coerces every parameter through it, pyproject pins typer below 0.29; tomllib: the compiled
# definitions come from their cache, nothing is parsed).
NEVER_ON_ONE_CASE = ("pydantic", "tomllib", "sqlmodel", "alembic", "openpyxl", "matplotlib", "docx",
                     "sqlalchemy.dialects.postgresql", "chinese_calendar", "charset_normalizer", "rapidfuzz", "datasketch")


# The one-case commands whose whole path runs on the generated SQL, writes and their recount included (issue 18 item 1).
WITHOUT_SQLALCHEMY = {"show", "timeline", "deadlines", "advance", "log"}


def test_one_case_commands_import_nothing_they_do_not_use(tmp_path: Path) -> None:
    import json
    import os

    from tests.conftest import seed_city

    url = f"sqlite:///{tmp_path / 'one.db'}"
    codes = seed_city(url)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "BARGAIN_USER": "t"}
    bargain = str(Path(sys.executable).parent / "bargain")
    opened = subprocess.run([bargain, "--db", url, "case", "open", codes["union"], "--format", "json"], capture_output=True,
                            text=True, env=env)
    case_id = json.loads(opened.stdout)["case_id"]
    probe = ("import atexit, sys\n"
             f"atexit.register(lambda: print('LOADED', ','.join(m for m in {NEVER_ON_ONE_CASE!r} if m in sys.modules), "
             "'transitions' in sys.modules, file=sys.stderr))\n"
             "atexit.register(lambda: print('SQLALCHEMY', 'sqlalchemy' in sys.modules, file=sys.stderr))\n"
             "sys.argv = ['bargain'] + sys.argv[1:]\nimport cli\ncli.main()\n")
    runs = {
        "show": (["case", "show", str(case_id), "--format", "json"], False),
        "timeline": (["case", "timeline", str(case_id), "--format", "json"], False),
        "deadlines": (["deadlines", "--org", "320505", "--format", "json"], False),
        "advance": (["case", "advance", str(case_id), "send_offer", "--set", "level=enterprise", "--at", "2026-03-02",
                     "--format", "json"], True),
        "log": (["case", "log", str(case_id), "--by", "1", "--activity", "contact_management", "--at", "2026-03-03",
                 "--note", "n"], False),
    }
    for name, (args, machine) in runs.items():
        proc = subprocess.run([sys.executable, "-c", probe, "--db", url, *args], capture_output=True, text=True, env=env,
                              cwd=ROOT)
        assert proc.returncode == 0, (name, proc.stderr)
        line = next(x for x in proc.stderr.splitlines() if x.startswith("LOADED"))
        assert line == f"LOADED  {machine}", (name, line)  # only advance builds a transitions machine
        # On an up-to-date SQLite file the reads and writes run on engine/store/lite.py's generated SQL (issue 18 item 1)
        sa_line = next(x for x in proc.stderr.splitlines() if x.startswith("SQLALCHEMY"))
        assert sa_line == f"SQLALCHEMY {name not in WITHOUT_SQLALCHEMY}", (name, sa_line)


def test_tables_print_without_rich_and_a_database_with_users_parses_no_toml(tmp_path: Path) -> None:
    """The tables of the one-case commands and of a district's deadlines come from engine.outputs.table, not rich
    (its measuring and wrapping cost most of `deadlines --org`'s time); on a database with users, the roles every
    command asks come from the compiled cache with the workflows, so tomllib is not imported either."""
    import json
    import os

    from engine.store.database import Store
    from engine.usecases import users
    from tests.conftest import seed_city

    url = f"sqlite:///{tmp_path / 'users.db'}"
    codes = seed_city(url)
    store = Store(url)
    users.add_user(store, "admin", name="管理员", role="admin", org="320500")
    store.dispose()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "BARGAIN_AS": "admin"}
    bargain = str(Path(sys.executable).parent / "bargain")
    opened = subprocess.run([bargain, "--db", url, "case", "open", codes["union"], "--format", "json"], capture_output=True,
                            text=True, env=env)  # also fills the compiled-definitions cache
    assert opened.returncode == 0, opened.stderr
    case_id = str(json.loads(opened.stdout)["case_id"])
    watched = (*NEVER_ON_ONE_CASE, "rich")
    probe = ("import atexit, sys\n"
             f"atexit.register(lambda: print('LOADED', ','.join(m for m in {watched!r} if m in sys.modules), file=sys.stderr))\n"
             "atexit.register(lambda: print('SQLALCHEMY', 'sqlalchemy' in sys.modules, file=sys.stderr))\n"
             "sys.argv = ['bargain'] + sys.argv[1:]\nimport cli\ncli.main()\n")
    advance = ["case", "advance", case_id, "send_offer", "--set", "level=enterprise", "--at", "2026-03-02"]
    log = ["case", "log", case_id, "--by", "1", "--activity", "contact_management", "--at", "2026-03-03", "--note", "n"]
    for args in (["case", "show", case_id], ["case", "timeline", case_id], ["deadlines", "--org", "320505", "--all"],
                 ["case", "show", case_id, "--format", "json"], ["case", "list"], advance, log):
        proc = subprocess.run([sys.executable, "-c", probe, "--db", url, *args], capture_output=True, text=True, env=env,
                              cwd=ROOT)
        assert proc.returncode == 0, (args, proc.stderr)
        line = next(x for x in proc.stderr.splitlines() if x.startswith("LOADED"))
        assert line == "LOADED ", (args, line)
        if args in (advance, log):  # the permission checks, the audit's reads, the save and its recount: sqlite3 alone
            assert "SQLALCHEMY False" in proc.stderr, (args, proc.stderr)
        if "json" not in args and args not in (advance, log):
            assert "┏" in proc.stdout or "┌" in proc.stdout, (args, proc.stdout)


def test_advance_and_log_on_an_older_file_upgrade_it_then_run_light(tmp_path: Path) -> None:
    """A file at an older schema (release 0.1's): `case log` and `case advance` take the normal path, which upgrades
    it (SQLAlchemy, Alembic); the next command on the now up-to-date file runs on sqlite3 alone, and the counts it
    keeps are the bare SQL's."""
    import os
    import shutil

    from engine.store import rollups
    from engine.store.database import Store
    from engine.store.repository import load_case

    db = tmp_path / "old.db"
    shutil.copy(ROOT / "tests" / "fixtures" / "release-0.1" / "demo.db", db)
    url = f"sqlite:///{db}"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "BARGAIN_USER": "t"}
    probe = ("import atexit, sys\n"
             "atexit.register(lambda: print('SQLALCHEMY', 'sqlalchemy' in sys.modules, file=sys.stderr))\n"
             "sys.argv = ['bargain'] + sys.argv[1:]\nimport cli\ncli.main()\n")
    log = ["case", "log", "3", "--by", "1", "--activity", "contact_management", "--at", "2026-09-03", "--note", "n"]
    for args, upgraded in ((log, False), (log, True),
                           (["case", "advance", "3", "elect_reps", "--data", str(ROOT / "data" / "samples" / "reps.json"),
                             "--at", "2026-09-04"], True)):
        proc = subprocess.run([sys.executable, "-c", probe, "--db", url, *args], capture_output=True, text=True, env=env,
                              cwd=ROOT)
        assert proc.returncode == 0, (args, proc.stderr)
        assert f"SQLALCHEMY {not upgraded}" in proc.stderr, (args, proc.stderr)
    store = Store(url)
    with store.read() as conn:
        assert load_case(conn, 3).version >= 3
        assert rollups.differences(conn) == [] and rollups.coverage_wrong(conn) == 0
    store.dispose()
