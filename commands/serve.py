"""bargain serve: the web application (WEB.md) on uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from commands.common import state


def register(app: typer.Typer) -> None:
    """Attach `bargain serve` to the root app."""
    app.command("serve")(serve)


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="监听地址 / address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口 / port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="进程数 / worker processes")] = 1,
    behind_tls_proxy: Annotated[bool, typer.Option(
        "--behind-tls-proxy", help="在 HTTPS 反向代理之后 / behind a TLS-terminating proxy (Secure cookies, X-Forwarded-*)")] = False,
) -> None:
    """启动网页应用 / serve the web application on the database given by --db or BARGAIN_DB.

    Example: bargain --db sqlite:///demo-out/demo.db serve --port 8000
    """
    from engine.store.database import Store
    from engine.usecases import users

    st = state(ctx)
    store = Store(st.db)  # not st.store(): the server acts for each logged-in user, not for an --as user
    if not users.has_users(store):
        typer.echo(st.t(
            "错误: 数据库里还没有用户，无法登录。请先创建管理员：bargain user add LOGIN --name 姓名 --role admin --org 组织代码",
            "error: the database has no user, so nobody could log in. Create an admin first: "
            "bargain user add LOGIN --name NAME --role admin --org CODE",
        ), err=True)
        raise typer.Exit(1)
    import signal

    import uvicorn

    os.environ["BARGAIN_DB"] = store.url
    if behind_tls_proxy:
        os.environ["BARGAIN_BEHIND_TLS_PROXY"] = "1"
    store.dispose()
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"http://{shown}:{port}/")

    def stopped(signum: int, frame: object) -> None:
        raise typer.Exit(0)

    # uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal to the handler it found: ours
    # makes that a clean exit (status 0), not a death by signal.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stopped)
    uvicorn.run("web.asgi:app", factory=True, host=host, port=port, workers=workers, log_level="warning",
                proxy_headers=behind_tls_proxy, forwarded_allow_ips="*" if behind_tls_proxy else None, server_header=False)
