"""A live sandbox with an active account, and a scripted "browser" for the OIDC tests
that need no real one (the real one: test_oidc_chromium.py)."""

from __future__ import annotations

import re
from html import unescape

import httpx

from portal_sandbox.server import ThreadedSandbox

PASSWORD = "mat-khau-123"


def active_account(server: ThreadedSandbox, username: str) -> None:
    """Register `username` and follow its confirmation link."""
    with httpx.Client(base_url=server.url, timeout=10) as http:
        http.post(
            "/v1/accounts",
            json={"username": username, "email": f"{username}@example.vn", "password": PASSWORD,
                  "full_name": "UBND xã Tân An", "phone": "0912345678"},
        ).raise_for_status()  # fmt: skip
        mails = http.get("/sandbox/mail.json", headers=server.secret_headers).json()
        http.get(next(m["link"] for m in mails if m["username"] == username)).raise_for_status()


class FormBrowser:
    """Opens the log-in page, fills the form as a person would, follows the redirect to
    the app's loopback listener; `pages` keeps what it saw."""

    def __init__(self, username: str, password: str = PASSWORD) -> None:
        self.username, self.password = username, password
        self.pages: list[httpx.Response] = []

    def __call__(self, url: str) -> bool:
        with httpx.Client(timeout=10) as http:
            page = http.get(url)
            self.pages.append(page)
            if page.status_code != 200:
                return True
            fields = {
                unescape(m.group(1)): unescape(m.group(2))
                for m in re.finditer(
                    r"<input type='hidden' name='([^']*)' value='([^']*)'>", page.text
                )
            }
            fields.update(username=self.username, password=self.password)
            origin = str(page.url.copy_with(path="/", query=None)).rstrip("/")
            answer = http.post(str(page.url.copy_with(query=None)), data=fields,
                               headers={"Origin": origin})  # fmt: skip
            self.pages.append(answer)
            if answer.status_code == 303:
                self.pages.append(http.get(answer.headers["location"]))
        return True
