"""The Jinja2 templates (one per page, fragments start with an underscore)."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))


def _cite(source: object, lang: str) -> str:
    """A refusal's or a deadline's source as a person reads it: in zh the article in Chinese (《集体合同规定》第三十六条)."""
    from engine.citation import cite

    return cite(str(source or ""), lang)


templates.env.globals["cite"] = _cite


def _shown(value: object) -> str:
    """A refusal's required or actual value as text: a mapping or a list as JSON (Chinese kept), not a Python repr."""
    import json

    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


templates.env.globals["shown"] = _shown
