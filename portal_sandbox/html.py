"""Plain HTML pages for people (officer console, payment page, mailbox): no JavaScript."""

from __future__ import annotations

from datetime import datetime
from html import escape

from fastapi.responses import HTMLResponse

from portal_sandbox.config import VIETNAM

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f3f3f3}form.inline{display:inline}
fieldset{margin:1rem 0}pre{white-space:pre-wrap;background:#f7f7f7;padding:.5rem}
.note{color:#555}nav a{margin-right:1rem}
"""


def page(title: str, body: str, *, status_code: int = 200) -> HTMLResponse:
    """A complete HTML page; `body` must already be escaped."""
    html = (
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        "<nav><a href='/sandbox/officer'>Cán bộ xử lý</a><a href='/sandbox/mail'>Hộp thư</a>"
        "<a href='/sandbox/faults'>Lỗi giả lập (JSON)</a></nav>"
        f"<h1>{escape(title)}</h1>{body}</body></html>"
    )
    return HTMLResponse(html, status_code=status_code)


def esc(value: object) -> str:
    return escape("" if value is None else str(value))


def local_time(moment: datetime) -> str:
    """A time as officers read it: Vietnam time, to the second."""
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")
