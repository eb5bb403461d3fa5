"""bargain user … and bargain audit: people, their grants, and the audit trail (DOMAIN §9, issue 15)."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Any, Optional

import typer

from commands.common import TableJson, console, echo_json, state

users = typer.Typer(help="用户与授权 / users and their grants", no_args_is_help=True)


class Role(str, Enum):
    admin = "admin"
    manager = "manager"
    counselor = "counselor"
    viewer = "viewer"


def register(app: typer.Typer) -> None:
    """Attach `bargain user` and `bargain audit` to the root app."""
    app.add_typer(users, name="user")
    app.command("audit")(audit)


LoginArg = Annotated[str, typer.Argument(help="登录名 / the user's login")]
RoleOpt = Annotated[Role, typer.Option("--role", help="角色 / role (workflows/roles.toml)")]
OrgOpt = Annotated[str, typer.Option("--org", help="组织代码：授权覆盖该组织及其下级 / organisation code: the grant covers its subtree")]
StdinOpt = Annotated[bool, typer.Option(
    "--password-stdin", help="从标准输入读取密码（一行）/ read the password from stdin (one line)")]
FormatOpt = Annotated[TableJson, typer.Option("--format")]


def _password(ctx: typer.Context, from_stdin: bool, *, required: bool) -> Optional[str]:
    """The password: one line of stdin, or asked twice without echo on a terminal; None when neither."""
    from engine.errors import DataError

    st = state(ctx)
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        if required:
            raise DataError("不是终端：请用 --password-stdin 从标准输入给出密码",
                            "not a terminal: give the password on stdin with --password-stdin", rule="password.input")
        return None
    import getpass

    first = getpass.getpass(st.t("密码：", "password: "))
    if getpass.getpass(st.t("再输入一次：", "again: ")) != first:
        raise DataError("两次输入的密码不一致，未写入任何内容", "the two passwords differ: nothing was written", rule="password.confirm")
    return first


def _grants(u: dict[str, Any]) -> str:
    return ", ".join(f"{g['role']}@{g['org']}" for g in u["grants"]) or "—"


def _print_user(ctx: typer.Context, u: dict[str, Any], fmt: TableJson, done_zh: str, done_en: str) -> None:
    st = state(ctx)
    if fmt is TableJson.json:
        echo_json(u)
        return
    active = "" if u["active"] else st.t("（已停用）", " (disabled)")
    typer.echo(f"{st.t(done_zh, done_en)}: {u['login']} {u['name']}{active} — {_grants(u)}")


@users.command("add")
def add(
    ctx: typer.Context,
    login: LoginArg,
    name: Annotated[str, typer.Option("--name", help="姓名 / the person's name")],
    role: RoleOpt,
    org: OrgOpt,
    counselor: Annotated[Optional[int], typer.Option("--counselor", help="关联的指导员编号 / their counselor record")] = None,
    password_stdin: StdinOpt = False,
    fmt: FormatOpt = TableJson.table,
) -> None:
    """添加用户及其第一个授权；数据库还没有用户时，第一位必须是 admin / add a user with one grant (the first user must be an admin).

    Without --password-stdin it asks for the password twice on a terminal; elsewhere the user gets none
    (set one later with `bargain user passwd`, or use `bargain user token`).

    Example: echo '长一点的口令短语' | bargain user add wangfang --name 王芳 --role manager --org 320505 --password-stdin
    """
    from engine.usecases import users as usecase

    st = state(ctx)
    store = st.store()
    password = _password(ctx, password_stdin, required=False)
    u = usecase.add_user(store, login, name=name, role=role.value, org=org.strip(), counselor_id=counselor, password=password,
                         by=st.principal())
    _print_user(ctx, u, fmt, "已添加用户", "added user")


@users.command("grant")
def grant(ctx: typer.Context, login: LoginArg, role: RoleOpt, org: OrgOpt, fmt: FormatOpt = TableJson.table) -> None:
    """给用户增加一个授权（一人可有多个岗位）/ give a user one more grant (a person may hold several).

    Example: bargain user grant wangfang --role viewer --org 320500
    """
    from engine.usecases import users as usecase

    st = state(ctx)
    u = usecase.grant(st.store(), login, role.value, org.strip(), by=st.principal())
    _print_user(ctx, u, fmt, "已授权", "granted")


@users.command("revoke")
def revoke(ctx: typer.Context, login: LoginArg, role: RoleOpt, org: OrgOpt, fmt: FormatOpt = TableJson.table) -> None:
    """撤销用户的一个授权 / take one grant away from a user.

    Example: bargain user revoke wangfang --role viewer --org 320500
    """
    from engine.usecases import users as usecase

    st = state(ctx)
    u = usecase.revoke(st.store(), login, role.value, org.strip(), by=st.principal())
    _print_user(ctx, u, fmt, "已撤销授权", "revoked")


@users.command("disable")
def disable(ctx: typer.Context, login: LoginArg, fmt: FormatOpt = TableJson.table) -> None:
    """停用用户（保留记录，不能再登录，令牌失效）/ disable a user: kept, but no login, no token.

    Example: bargain user disable wangfang
    """
    from engine.usecases import users as usecase

    st = state(ctx)
    u = usecase.disable(st.store(), login, by=st.principal())
    _print_user(ctx, u, fmt, "已停用", "disabled")


@users.command("enable")
def enable(ctx: typer.Context, login: LoginArg, fmt: FormatOpt = TableJson.table) -> None:
    """重新启用已停用的用户（旧令牌仍然无效）/ enable a disabled user again (their old token stays void).

    Example: bargain user enable wangfang
    """
    from engine.usecases import users as usecase

    st = state(ctx)
    u = usecase.enable(st.store(), login, by=st.principal())
    _print_user(ctx, u, fmt, "已启用", "enabled")


@users.command("unlock")
def unlock(ctx: typer.Context, login: LoginArg, fmt: FormatOpt = TableJson.table) -> None:
    """解除多次登录失败造成的锁定 / lift the lockout after failed logins before it runs out.

    Example: bargain user unlock wangfang
    """
    from engine.usecases import users as usecase

    st = state(ctx)
    u = usecase.unlock(st.store(), login, by=st.principal())
    _print_user(ctx, u, fmt, "已解除锁定", "unlocked")


@users.command("passwd")
def passwd(ctx: typer.Context, login: LoginArg, password_stdin: StdinOpt = False, fmt: FormatOpt = TableJson.table) -> None:
    """设置用户密码（至少 10 个字符，不能是登录名或常见密码）/ set a user's password (10+ characters, not the login, not common).

    Example: bargain user passwd wangfang
    """
    from engine.usecases import users as usecase

    st = state(ctx)
    store = st.store()
    password = _password(ctx, password_stdin, required=True)
    assert password is not None
    u = usecase.set_password(store, login, password, by=st.principal())
    _print_user(ctx, u, fmt, "密码已设置", "password set")


@users.command("token")
def token(ctx: typer.Context, login: LoginArg, fmt: FormatOpt = TableJson.table) -> None:
    """生成个人 API 令牌（只显示这一次，旧令牌失效）/ print a new personal API token, once (the old one stops working).

    Example: bargain --as wangfang user token wangfang
    """
    from engine.usecases import users as usecase

    st = state(ctx)
    value = usecase.issue_token(st.store(), login, by=st.principal())
    if fmt is TableJson.json:
        echo_json({"login": login, "token": value})
    else:
        typer.echo(value)


@users.command("list")
def list_(ctx: typer.Context, fmt: FormatOpt = TableJson.table) -> None:
    """列出用户及其授权 / list users and their grants.

    Example: bargain user list --format json
    """
    from engine.usecases import users as usecase

    st = state(ctx)
    rows = usecase.list_users(st.store(), by=st.principal())
    if fmt is TableJson.json:
        echo_json(rows)
        return
    from engine.outputs.render import simple_table

    head = st.t("登录名,姓名,状态,授权,指导员", "login,name,status,grants,counselor").split(",")
    cells = [[u["login"], u["name"], st.t("有效", "active") if u["active"] else st.t("停用", "disabled"), _grants(u),
              u["counselor_id"] or "—"] for u in rows]
    console().print(simple_table(st.t(f"用户（{len(rows)}）", f"Users ({len(rows)})"), head, cells))


def audit(
    ctx: typer.Context,
    since: Annotated[Optional[str], typer.Option("--since", help="起始日期 / from this day on")] = None,
    user: Annotated[Optional[str], typer.Option("--user", help="只看该登录名 / only this login")] = None,
    fmt: FormatOpt = TableJson.table,
) -> None:
    """审计记录：登录、权限拒绝、用户和授权变更 / the audit trail: logins, permission refusals, user and grant changes.

    Example: bargain audit --since 2026-03-01 --user wangfang --format json
    """
    from engine.errors import DataError
    from engine.usecases import audit as trail
    from engine.values import check_day, parse_date

    st = state(ctx)
    try:
        day = parse_date(since) if since is not None else None
    except ValueError:
        raise DataError(f"--since 不是日期：{since}（请写 2026-03-01）", f"--since is not a date: {since} (write 2026-03-01)",
                        rule="since", actual=since) from None
    if day is not None:  # as every date option: year 1 (no instant in UTC at midnight in Shanghai) is a typing slip
        check_day(day, "--since")
    rows = trail.entries(st.store(), since=day, login=user, by=st.principal())
    if fmt is TableJson.json:
        echo_json(rows)
        return
    from engine.outputs.render import simple_table
    from engine.timeline import actor_label

    head = st.t("时间,用户,操作,结果,规则,来源", "at,user,action,outcome,rule,from").split(",")
    cells = [[r["at"][:19].replace("T", " "), actor_label(r["login"], r["name"]) or "—", r["action"], r["outcome"], r["rule"] or "",
              r["address"]]
             for r in rows]
    console().print(simple_table(st.t(f"审计记录（{len(rows)}）", f"Audit trail ({len(rows)})"), head, cells))
