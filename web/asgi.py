"""The application factory uvicorn's workers call (`bargain serve`): the database from BARGAIN_DB."""

from __future__ import annotations

import os

from fastapi import FastAPI

from engine.store.database import Store
from web.app import create_app


def app() -> FastAPI:
    """The web application over $BARGAIN_DB; behind a TLS proxy when BARGAIN_BEHIND_TLS_PROXY=1."""
    return create_app(Store(os.environ.get("BARGAIN_DB")), behind_tls_proxy=os.environ.get("BARGAIN_BEHIND_TLS_PROXY") == "1")
