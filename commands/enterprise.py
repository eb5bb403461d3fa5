"""bargain enterprise …: the enterprises bargained with."""

from __future__ import annotations

from typing import Annotated

import typer

from commands.common import state

enterprises = typer.Typer(help="企业 / enterprises", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Attach `bargain enterprise` to the root app."""
    app.add_typer(enterprises, name="enterprise")


@enterprises.command("add")
def add(
    ctx: typer.Context,
    credit_code: Annotated[str, typer.Argument(help="统一社会信用代码 / credit code (18 characters, checked)")],
    name: Annotated[str, typer.Argument(help="企业名称 / name")],
    org: Annotated[str, typer.Option(help="所属工会代码 / organisation code")],
    industry: Annotated[str, typer.Option(help="行业 / industry")] = "",
    employees: Annotated[int, typer.Option(help="职工人数 / workers")] = 0,
    union: Annotated[bool, typer.Option("--union/--no-union", help="是否建会 / has a union")] = True,
) -> None:
    """添加或更新一家企业 / add or update one enterprise.

    Example: bargain enterprise add 91320505MA1XXXXXXX 某某公司 --org 320505 --employees 120
    """
    from engine import directory
    from engine.credit import check_credit_code

    st = state(ctx)
    code = check_credit_code(credit_code)
    with st.store().begin() as conn:
        counts = directory.upsert_enterprises(conn, [{
            "credit_code": code, "name": name.strip(), "org_code": org.strip(), "industry": industry.strip(),
            "employees": employees, "has_union": union,
        }])
    outcome = next(k for k, v in counts.items() if v)
    typer.echo(st.t({"inserted": "已添加", "updated": "已更新", "unchanged": "无变化"}[outcome], outcome) + f": {code}")
