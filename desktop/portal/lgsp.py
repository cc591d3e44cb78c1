"""The service-style adapter (`kind: "lgsp"`): the engine's calls over an LGSP/NGSP-shaped
integration platform.

The session, its renewal and the `{session, madonvi, service, ...}` envelope are
`LgspSession`'s (desktop/portal/lgsp_session.py).

The platform has no idempotency key, so exactly-once rests on two facts written to the
adapter's `PortalMemory` *before* the call that relies on them:

* `put_dossier` reserves the dossier's code (`GetNextValue`) and remembers it: every
  later attempt uses the same code;
* `submit` looks the code up (`TraCuuHoSo`) and creates (`DongBoHoSoMC`, isUpdating
  false) only when the platform has no such dossier; otherwise it updates with the same
  data (isUpdating true), which creates nothing. A create whose answer was lost is found
  by the next attempt's look-up.

Files go up whole (`UploadFile` → `IdTepTin`, `HashTepTin`); the hash is checked against
ours and the id remembered, so a file is sent again only if its id was never recorded.

A supplement answers the officer's request (`DanhSachHoSoBoSung` of the `TraCuuHoSo`
answer): `put_supplement` remembers it, its files go up with `UploadFile`, and once the
last one is recorded the dossier is updated (`DongBoHoSoMC`, isUpdating true) with one
`DanhSachHoSoBoSung` entry naming the request (`MaYeuCau`), our supplement id
(`MaBoSung`) and its files. The request is looked up first: one the platform already
marks answered by this `MaBoSung` is not answered again (a retry after a lost answer).
docs/portal-api.md ("Service-style adapter") tells what maps and what cannot be done.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

import httpx
from pydantic import BaseModel

from desktop.errors import TransientError
from desktop.portal.capabilities import Capabilities
from desktop.portal.client import RecordsFetch, UploadState
from desktop.portal.contract import (
    AccountAccepted,
    AccountRegistration,
    DossierChanges,
    DossierCreate,
    DossierCreated,
    DossierStatus,
    PaymentCreated,
    PaymentStatus,
    Receipt,
    SubmissionRequest,
    SupplementCreate,
    SupplementCreated,
    UploadTarget,
)
from desktop.portal.errors import (
    E_BAD_RESPONSE,
    ChecksumMismatchError,
    PortalRefusedError,
    ServiceRefusedError,
    UnsupportedError,
)
from desktop.portal.lgsp_map import (
    RESULT_PREFIX,
    dossier_data,
    parse_stamp,
    status_of,
    supplement_answer,
)
from desktop.portal.lgsp_session import E_EXISTS, E_NOT_FOUND, E_SESSION, STATUS_OF, LgspSession
from desktop.portal.memory import PortalMemory
from desktop.portal.transport import PasswordSource
from desktop.progress import CancelToken, Progress, ProgressCallback, no_progress

log = logging.getLogger(__name__)

CAPABILITIES = Capabilities(
    resumable_upload=False,
    supplements=True,
    payments=False,
    catalog_sync=True,
    change_feed=False,
    registration=False,
)
UPLOAD_PREFIX = "lgsp:"
CATALOG_PAGE = 500
_PIECE = 1024 * 1024
#: Portal states after which a dossier no longer changes (refused, result returned).
FINAL_STATES = {3, 10}


def _ref_name(scope: str | None, file_id: str) -> str:
    """The memory name of a file's (IdTepTin, HashTepTin): the dossier's or a supplement's."""
    return f"file:{file_id}" if scope is None else f"file:{scope}/{file_id}"


def _json(body: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    return body.model_dump(mode="json") if isinstance(body, BaseModel) else dict(body)


class LgspAdapter(LgspSession):
    """One account on one integration platform; used from one thread."""

    kind = "lgsp"
    capabilities = CAPABILITIES

    def __init__(
        self,
        base_url: str,
        *,
        memory: PortalMemory,
        http: httpx.Client | None = None,
        password: PasswordSource | None = None,
        unit_code: str | None = None,
    ) -> None:
        super().__init__(base_url, http=http, password=password, unit_code=unit_code)
        self.bytes_sent = 0
        self.memory = memory

    # ------------------------------------------------------------ what it cannot do

    def _unsupported(self, feature: str) -> UnsupportedError:
        return UnsupportedError(self.base_url, self.kind, feature)

    def register(self, registration: AccountRegistration) -> AccountAccepted:
        raise self._unsupported("đăng ký tài khoản / account registration")

    def create_payment(self, uuid: str, fee_ids: list[str]) -> PaymentCreated:
        raise self._unsupported("thanh toán trực tuyến / payments")

    def payment(self, ref: str) -> PaymentStatus:
        raise self._unsupported("thanh toán trực tuyến / payments")

    def patch_upload(self, upload_url: str, offset: int, data: bytes) -> int:
        raise self._unsupported("tải tệp tiếp tục từ chỗ dừng / resumable upload")

    # ------------------------------------------------------------ dossiers

    def _body(self, uuid: str) -> dict[str, Any]:
        raw = self.memory.recall(uuid, "body")
        if raw is None:
            raise PortalRefusedError("dossier.not_found", status=404, title="no such dossier")
        body: dict[str, Any] = json.loads(raw)
        return body

    def _file(self, uuid: str, file_id: str, scope: str | None = None) -> tuple[str, str] | None:
        """The recorded (IdTepTin, HashTepTin) of a dossier's file, or of a file of the
        supplement `scope`."""
        raw = self.memory.recall(uuid, _ref_name(scope, file_id))
        if raw is None:
            return None
        ref = json.loads(raw)
        return str(ref["id"]), str(ref["hash"])

    def _uploaded(
        self, uuid: str, body: Mapping[str, Any], scope: str | None = None
    ) -> tuple[dict[str, tuple[str, str]], list[str]]:
        """The recorded refs of `body`'s files whose hash is ours, and the file_ids missing."""
        files: dict[str, tuple[str, str]] = {}
        missing = []
        for entry in body["files"]:
            ref = self._file(uuid, entry["file_id"], scope)
            if ref is None or ref[1] != entry["sha256"]:
                missing.append(entry["file_id"])
            else:
                files[entry["file_id"]] = ref
        return files, missing

    def _targets(
        self, uuid: str, body: Mapping[str, Any], scope: str | None, *, received: bool = False
    ) -> list[UploadTarget]:
        """Where each file goes (`lgsp:{uuid}/[{sid}/]{file_id}`), complete when its id
        is recorded with our hash (or the platform already `received` them all)."""
        targets = []
        for entry in body["files"]:
            ref = self._file(uuid, entry["file_id"], scope)
            done = received or (ref is not None and ref[1] == entry["sha256"])
            size = int(entry["size"])
            path = entry["file_id"] if scope is None else f"{scope}/{entry['file_id']}"
            targets.append(
                UploadTarget(
                    file_id=entry["file_id"],
                    upload_url=f"{UPLOAD_PREFIX}{uuid}/{path}",
                    offset=size if done else 0,
                    length=size,
                    complete=done,
                    expires_at=None,
                )
            )
        return targets

    def put_dossier(self, uuid: str, dossier: DossierCreate | Mapping[str, Any]) -> DossierCreated:
        """Remember the dossier, reserve its code once; the files and what is uploaded."""
        body = _json(dossier)
        text = json.dumps(body, sort_keys=True, ensure_ascii=False)
        stored = self.memory.recall(uuid, "body")
        if stored is not None and stored != text:
            raise PortalRefusedError(
                "dossier.conflict", status=409, title="this dossier id exists with other content"
            )
        if stored is None:
            self.memory.remember(uuid, "body", text)
        if self.memory.recall(uuid, "code") is None:
            prefix = str(body.get("agency_code") or self.unit_code)
            code = self.call("GetNextValue", TienTo=prefix).get("value")
            if not isinstance(code, str) or not code:
                raise TransientError(
                    E_BAD_RESPONSE, url=self.base_url, detail="GetNextValue without value"
                )
            # Durable before anything is created under it: every retry uses this code.
            self.memory.remember(uuid, "code", code)
        return DossierCreated(uuid=uuid, state=0, files=self._targets(uuid, body, None))

    def _target(self, upload_url: str) -> tuple[str, str | None, dict[str, Any]]:
        """(uuid, supplement id or None, manifest entry) of an upload URL."""
        uuid, _, rest = upload_url.removeprefix(UPLOAD_PREFIX).partition("/")
        scope, _, file_id = rest.rpartition("/")
        body = self._body(uuid) if not scope else self._supplement(uuid, scope)
        for entry in body["files"]:
            if entry["file_id"] == file_id:
                return uuid, scope or None, entry
        raise PortalRefusedError("upload.not_found", status=404, title=upload_url)

    def upload_state(self, upload_url: str) -> UploadState:
        """Whole or nothing: the file is there when its IdTepTin was recorded."""
        uuid, scope, entry = self._target(upload_url)
        ref = self._file(uuid, entry["file_id"], scope)
        size = int(entry["size"])
        return UploadState(size if ref and ref[1] == entry["sha256"] else 0, size)

    def send_file(
        self,
        upload_url: str,
        source: BinaryIO,
        size: int,
        sha256: str,
        name: str,
        *,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> int:
        """UploadFile: the whole file, streamed; its IdTepTin recorded once the platform's
        hash matches ours (ChecksumMismatchError otherwise: nothing recorded)."""
        uuid, scope, entry = self._target(upload_url)

        def body() -> Iterator[bytes]:
            source.seek(0)
            sent = 0
            while sent < size:
                piece = source.read(min(_PIECE, size - sent))
                if not piece:
                    raise TransientError(E_BAD_RESPONSE, url=name, detail="short file")
                sent += len(piece)
                self.bytes_sent += len(piece)
                yield piece
                progress(Progress(sent, size, name))
                if cancel is not None:
                    cancel.check()

        renewed = False
        session = self._session or self._renew()
        while True:
            headers = {
                "session": session, "madonvi": self.unit_code, "tentep": quote(name),
                "Content-Type": "application/octet-stream", "Content-Length": str(size),
            }  # fmt: skip
            response = self._send_once("POST", "/files", auth=False, headers=headers,
                                       content=body())  # fmt: skip
            answer = self._envelope(response, "UploadFile")
            if answer["error_code"] == E_SESSION and not renewed:
                renewed, session = True, self._renew()
                continue
            if answer["error_code"] != 0:
                raise ServiceRefusedError(
                    self.base_url, "UploadFile", answer["error_code"],
                    str(answer.get("message", "")), 413,
                )  # fmt: skip
            break
        file_id, digest = answer.get("IdTepTin"), answer.get("HashTepTin")
        if not isinstance(file_id, str) or not file_id:
            raise TransientError(E_BAD_RESPONSE, url=self.base_url, detail="no IdTepTin")
        if digest != sha256:
            raise ChecksumMismatchError(
                "upload.checksum_mismatch", status=422, title="HashTepTin differs",
                expected=sha256, actual=str(digest),
            )  # fmt: skip
        self.memory.remember(
            uuid, _ref_name(scope, entry["file_id"]), json.dumps({"id": file_id, "hash": digest})
        )
        if scope is not None:
            # The platform takes a supplement with the update naming its files: sent once
            # the last file is recorded, so the piece that completes it is this one.
            self._answer(uuid, scope)
        return size

    def _look_up(self, code: str) -> dict[str, Any] | None:
        try:
            data = self.call("TraCuuHoSo", MaHoSo=code).get("data")
        except ServiceRefusedError as exc:
            if exc.error_code == E_NOT_FOUND:
                return None
            raise
        if not isinstance(data, dict):
            raise TransientError(
                E_BAD_RESPONSE, url=self.base_url, detail="TraCuuHoSo without data"
            )
        return data

    def submit(
        self, uuid: str, submission: SubmissionRequest | Mapping[str, Any], key: str
    ) -> Receipt:
        """Look the reserved code up, then create (not found) or update (found) it.

        `key` is not sent: the platform has no idempotency key; the code plays its part.
        """
        body = self._body(uuid)
        code = self.memory.recall(uuid, "code")
        files, missing = self._uploaded(uuid, body)
        if code is None or missing:
            raise PortalRefusedError(
                "submission.files_incomplete", status=409, title="files missing",
                missing=", ".join(missing) or "code",
            )  # fmt: skip
        data = dossier_data(code, body, files)
        found = self._look_up(code) is not None
        try:
            answer = self.call("DongBoHoSoMC", isUpdating=found, data=data)
        except ServiceRefusedError as exc:
            if exc.error_code != E_EXISTS:
                raise
            # Created meanwhile (an earlier attempt's answer was lost): update instead.
            answer = self.call("DongBoHoSoMC", isUpdating=True, data=data)
        view = answer.get("data")
        if not isinstance(view, dict):
            raise TransientError(E_BAD_RESPONSE, url=self.base_url, detail="DongBoHoSoMC answer")
        submitted = parse_stamp(view.get("NgayTiepNhan"))
        due = parse_stamp(view.get("NgayHenTra"))
        if submitted is None or due is None:
            raise TransientError(E_BAD_RESPONSE, url=self.base_url, detail="dates missing")
        return Receipt(
            receipt_no=code, submitted_at=submitted.astimezone(UTC), appointment_date=due.date()
        )

    def dossier(self, uuid: str) -> DossierStatus:
        """The platform's view of the dossier (404 refusal while it holds none)."""
        code = self.memory.recall(uuid, "code")
        view = self._look_up(code) if code is not None else None
        if view is None:
            raise PortalRefusedError("dossier.not_found", status=404, title="no such dossier")
        status = status_of(uuid, view, datetime.now(UTC))
        self.memory.remember(uuid, "state", str(status.state))
        return status

    def changes(self, cursor: str = "0", limit: int = 100) -> DossierChanges:
        """No change feed: each dossier with a code, not in a final state, is looked up;
        those changed at or after `cursor` (a platform date) are answered, oldest first."""
        found: list[DossierStatus] = []
        for uuid in self.memory.uuids("code"):
            state = self.memory.recall(uuid, "state")
            if state is not None and state.isdigit() and int(state) in FINAL_STATES:
                continue
            try:
                status = self.dossier(uuid)
            except PortalRefusedError as exc:
                if exc.status == 404:
                    continue  # reserved, not created yet
                raise
            if cursor == "0" or status.cursor >= cursor:
                found.append(status)
        found.sort(key=lambda s: s.cursor)
        items = found[:limit]
        return DossierChanges(
            items=items, cursor=items[-1].cursor if items else cursor, has_more=len(found) > limit
        )

    # ------------------------------------------------------------ supplements

    def _supplement(self, uuid: str, supplement_id: str) -> dict[str, Any]:
        raw = self.memory.recall(uuid, f"supplement:{supplement_id}")
        if raw is None:
            raise PortalRefusedError("supplement.not_found", status=404, title=supplement_id)
        body: dict[str, Any] = json.loads(raw)
        return body

    def _answered(self, view: Mapping[str, Any], request_id: str, supplement_id: str) -> bool:
        """Whether the platform's request `request_id` is answered by `supplement_id`;
        refused (as API v1 refuses) when it is unknown, answered by another supplement,
        or the dossier is not waiting for a supplement (state 5)."""
        requests = [r for r in view.get("DanhSachHoSoBoSung") or [] if isinstance(r, dict)]
        wanted = next((r for r in requests if str(r.get("MaYeuCau")) == request_id), None)
        if wanted is None:
            raise PortalRefusedError(
                "supplement.unknown_request", status=422, title="No such supplement request",
                request_id=request_id,
            )  # fmt: skip
        if wanted.get("DaBoSung"):
            if str(wanted.get("MaBoSung") or "") == supplement_id:
                return True
        elif view.get("TrangThaiHoSo") == 5:
            return False
        raise PortalRefusedError(
            "supplement.not_requested", status=409,
            title="The portal is not waiting for a supplement", state=view.get("TrangThaiHoSo"),
        )  # fmt: skip

    def _view(self, uuid: str) -> tuple[str, dict[str, Any]]:
        """The dossier's code and the platform's view of it (404 refusal while none)."""
        code = self.memory.recall(uuid, "code")
        view = self._look_up(code) if code is not None else None
        if code is None or view is None:
            raise PortalRefusedError("dossier.not_found", status=404, title="no such dossier")
        return code, view

    def put_supplement(
        self, uuid: str, supplement_id: str, supplement: SupplementCreate | Mapping[str, Any]
    ) -> SupplementCreated:
        """Remember the supplement and check the request with a look-up; the files and
        what is uploaded. When every file is recorded already (the last one went up, its
        update did not), the request is answered now."""
        body = _json(supplement)
        text = json.dumps(body, sort_keys=True, ensure_ascii=False)
        name = f"supplement:{supplement_id}"
        stored = self.memory.recall(uuid, name)
        if stored is not None and stored != text:
            raise PortalRefusedError(
                "supplement.conflict", status=409,
                title="This supplement id exists with other content",
            )  # fmt: skip
        _code, view = self._view(uuid)
        received = self._answered(view, str(body["request_id"]), supplement_id)
        if stored is None:
            self.memory.remember(uuid, name, text)
        targets = self._targets(uuid, body, supplement_id, received=received)
        if not received and all(t.complete for t in targets):
            self._answer(uuid, supplement_id)
            received = True
        return SupplementCreated(
            supplement_id=supplement_id,
            state="received" if received else "uploading",
            files=targets,
        )

    def _answer(self, uuid: str, supplement_id: str) -> None:
        """Once every file of the supplement is recorded: look the request up, and unless
        the platform has it answered by this supplement, update the dossier
        (DongBoHoSoMC, isUpdating true) with the answer in `DanhSachHoSoBoSung`."""
        supplement = self._supplement(uuid, supplement_id)
        files, missing = self._uploaded(uuid, supplement, supplement_id)
        if missing:
            return
        code, view = self._view(uuid)
        request_id = str(supplement["request_id"])
        if self._answered(view, request_id, supplement_id):
            return
        dossier = self._body(uuid)
        refs, absent = self._uploaded(uuid, dossier)
        if absent:
            raise PortalRefusedError(
                "submission.files_incomplete", status=409, title="files missing",
                missing=", ".join(absent),
            )  # fmt: skip
        data = dossier_data(code, dossier, refs)
        data["DanhSachHoSoBoSung"] = [
            supplement_answer(supplement_id, supplement, files, datetime.now(UTC))
        ]
        try:
            self.call("DongBoHoSoMC", isUpdating=True, data=data)
        except ServiceRefusedError as exc:
            # Answered meanwhile (an earlier attempt's answer was lost after the look-up):
            # fine when the platform names this supplement, refused otherwise.
            if exc.error_code != E_EXISTS or not self._answered(
                self._view(uuid)[1], request_id, supplement_id
            ):
                raise

    # ------------------------------------------------------------ catalog and results

    def catalog_records(self, etag: str | None = None) -> RecordsFetch:
        """LayDanhSachTTHC page by page; `PhienBan` plays the ETag (one page is read to
        learn it)."""
        first = self.call("LayDanhSachTTHC", TrangSo=1, SoBanGhi=CATALOG_PAGE)
        version = first.get("PhienBan")
        version = str(version) if version else None
        if etag is not None and version == etag:
            return RecordsFetch(None, etag, not_modified=True)
        records: list[Any] = list(first.get("data") or [])
        total = int(first.get("TongSo") or 0)
        page = 1
        while len(records) < total:
            page += 1
            more = list(self.call("LayDanhSachTTHC", TrangSo=page, SoBanGhi=CATALOG_PAGE)
                        .get("data") or [])  # fmt: skip
            if not more:
                break
            records.extend(more)
        data = json.dumps(records, ensure_ascii=False).encode("utf-8")
        return RecordsFetch(data, version, not_modified=False)

    def download(self, url: str, target: Path) -> Path:
        """A result document (`lgsp-result:<IdTepTin>`), written atomically to `target`."""
        file_id = url.removeprefix(RESULT_PREFIX)
        session = self._session or self._renew()
        for attempt in range(2):
            response = self._send_once(
                "POST", "/download", auth=False, headers={"madonvi": self.unit_code},
                json={"session": session, "madonvi": self.unit_code, "IdTepTin": file_id},
            )  # fmt: skip
            if response.content.startswith(b"%PDF-"):
                break
            answer = self._envelope(response, "download")
            if answer["error_code"] == E_SESSION and attempt == 0:
                session = self._renew()
                continue
            raise ServiceRefusedError(
                self.base_url, "download", answer["error_code"], str(answer.get("message", "")),
                STATUS_OF.get(answer["error_code"], 422),
            )  # fmt: skip
        partial = target.with_name(f".{target.name}.part")
        partial.write_bytes(response.content)
        partial.replace(target)
        return target
