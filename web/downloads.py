"""What every download answers with: its file name for the browser to save it under."""

from __future__ import annotations

from urllib.parse import quote


def disposition(filename: str, fallback: str) -> str:
    """An attachment's Content-Disposition: an ASCII name for old clients and the real one in RFC 5987 form."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
