"""/sandbox/mail: the registration e-mails the sandbox "sent", as HTML and JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from portal_sandbox.auth import mail_rows
from portal_sandbox.html import esc, page
from portal_sandbox.state import Sandbox, get_sandbox

router = APIRouter(include_in_schema=False)
SandboxDep = Annotated[Sandbox, Depends(get_sandbox)]


@router.get("/sandbox/mail", response_class=HTMLResponse)
def mailbox_page(sandbox: SandboxDep) -> HTMLResponse:
    rows = mail_rows(sandbox)
    if not rows:
        return page("Hộp thư thử nghiệm", "<p>Chưa có thư nào.</p>")
    items = "".join(
        f"<tr><td>{esc(m['sent_at'])}</td><td>{esc(m['to'])}</td><td>{esc(m['subject'])}"
        f"<pre>{esc(m['body'])}</pre><a href='{esc(m['link'])}'>Kích hoạt tài khoản</a></td></tr>"
        for m in rows
    )
    return page(
        "Hộp thư thử nghiệm",
        "<p class='note'>Cũng có dạng JSON: <a href='/sandbox/mail.json'>/sandbox/mail.json</a>"
        f"</p><table><tr><th>Lúc</th><th>Gửi tới</th><th>Thư</th></tr>{items}</table>",
    )


@router.get("/sandbox/mail.json")
def mailbox_json(sandbox: SandboxDep) -> list[dict[str, Any]]:
    return mail_rows(sandbox)
