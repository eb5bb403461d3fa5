"""PDF from our HTML pages (their print stylesheet: A4, running header, page x of y) with WeasyPrint.

WeasyPrint lays text out with Debian's Pango (libpango-1.0-0, libpangoft2-1.0-0) and finds fonts through
fontconfig; Chinese needs a CJK font such as fonts-noto-cjk (scripts/system-packages installs both). Without
them the PDF is refused with a set-up error naming the packages, never written with empty boxes.
"""

from __future__ import annotations

from typing import Any

from engine.errors import SetupError

PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk"


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the Python package is there but Pango is not
        raise SetupError(
            f"无法生成 PDF：WeasyPrint 不可用（{exc}）", f"cannot make a PDF: WeasyPrint is not usable ({exc})",
            hint_zh=f"pip install weasyprint，并安装 Debian 软件包 {PACKAGES}（scripts/system-packages）",
            hint_en=f"pip install weasyprint and the Debian packages {PACKAGES} (scripts/system-packages)",
            rule="pdf",
        ) from None
    return weasyprint


def pdf_bytes(html: str, *, title: str = "", author: str = "") -> bytes:
    """The HTML page rendered to PDF bytes (fonts embedded; metadata title and author when given)."""
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=html, base_url=None).render()
    if title:
        document.metadata.title = title
    if author:
        document.metadata.authors = [author]
    data = document.write_pdf()
    assert isinstance(data, bytes)
    return data
