"""The browser journeys' fixtures: the real app served on a loopback port, Debian's chromium driven by Playwright
(never a downloaded browser; skipped with the reason where it is missing, a failure under CI=true), and logging in."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.store.database import Store

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need_chromium() -> None:
    if CHROMIUM.exists():
        return
    if IN_CI:
        pytest.fail("CI=true but /usr/bin/chromium is missing: apt-get install -y chromium")
    pytest.skip("Debian's chromium is not installed (/usr/bin/chromium): apt-get install -y chromium")


@pytest.fixture
def server(store: Store) -> Iterator[str]:
    """The real app on a free loopback port, served by uvicorn in a thread."""
    import uvicorn

    from web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(5)


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's chromium, headless."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def log_in(page: Any, base: str, login: str) -> None:
    """Log in through the login page as one of the web world's users."""
    from tests.web.conftest import PASSWORDS

    page.goto(f"{base}/login")
    page.get_by_label("登录名").fill(login)
    page.get_by_label("密码").fill(PASSWORDS[login])
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")
