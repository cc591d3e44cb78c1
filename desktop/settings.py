"""Typed settings, each declared once with its type, default and description.

Stored as a small versioned JSON file in the data dir, written atomically. Unknown keys
in the file are kept (a newer version may have written them); bad values fall back to
the default with a warning in the log rather than stopping the app.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from desktop.atomic import write_atomically
from desktop.errors import UserError, define

log = logging.getLogger(__name__)

FILE_VERSION = 1
T = TypeVar("T")

E_UNKNOWN_SETTING = define(
    "settings.unknown",
    vi="Không có thiết lập tên «{name}». Các thiết lập hợp lệ: {known}.",
    en="There is no setting named '{name}'. Valid settings: {known}.",
)
E_BAD_VALUE = define(
    "settings.bad_value",
    vi="Giá trị «{value}» không hợp lệ cho thiết lập «{name}»: cần {expected}.",
    en="'{value}' is not a valid value for setting '{name}': expected {expected}.",
)
E_IMAGE_RELATIVE = define(
    "settings.image_relative",
    vi=(
        "Đường dẫn ảnh «{path}» chưa đầy đủ. Hãy ghi đường dẫn đầy đủ tới tệp PNG "
        "(ví dụ C:\\Con dau\\con-dau.png hoặc /home/canbo/con-dau.png), hoặc để trống."
    ),
    en=(
        "The image path '{path}' is not a full path. Give the full path of the PNG file "
        "(for example C:\\Seal\\seal.png or /home/clerk/seal.png), or leave it empty."
    ),
)
E_IMAGE_MISSING = define(
    "settings.image_missing",
    vi=(
        "Không tìm thấy tệp ảnh «{path}». Hãy chọn lại ảnh (tệp PNG), hoặc để trống nếu "
        "không dùng ảnh."
    ),
    en="The image file '{path}' does not exist. Choose the PNG image again, or leave it empty.",
)
E_IMAGE_NOT_PNG = define(
    "settings.image_not_png",
    vi=(
        "Tệp «{path}» không phải ảnh PNG. Hãy chọn ảnh chữ ký hoặc con dấu dạng PNG "
        "(nên có nền trong suốt), hoặc để trống."
    ),
    en=(
        "The file '{path}' is not a PNG image. Choose the signature or seal as a PNG "
        "(preferably with a transparent background), or leave it empty."
    ),
)
# The PNG signature, checked here: settings sit below desktop.filecheck in the layers.
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_TYPE_NAMES = {
    str: "văn bản / text",
    int: "số nguyên / integer",
    list: "danh sách / list",
    bool: "true / false",
}


@dataclass(frozen=True)
class Setting(Generic[T]):
    name: str
    type: type[T]
    default: T
    description: str
    choices: tuple[T, ...] | None = None
    check: Callable[[T], None] | None = None
    """Refuses a value being set (not one read back from the file: a PNG moved since
    must not make the other settings fall back to their defaults)."""

    def parse(self, raw: Any) -> T:
        """Turn a JSON value or a command-line string into this setting's type."""
        value: Any = raw
        if isinstance(raw, str) and self.type is not str:
            try:
                value = json.loads(raw)
            except json.JSONDecodeError:
                value = raw
        if self.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if self.type is list and isinstance(value, list):
            return value  # type: ignore[return-value]
        if not isinstance(value, self.type) or (self.type is int and isinstance(value, bool)):
            expected = _TYPE_NAMES.get(self.type, self.type.__name__)
            raise UserError(E_BAD_VALUE, name=self.name, value=raw, expected=expected)
        if self.choices is not None and value not in self.choices:
            expected = ", ".join(str(c) for c in self.choices)
            raise UserError(E_BAD_VALUE, name=self.name, value=raw, expected=expected)
        return value

    def validate(self, raw: Any) -> T:
        """parse(), then the setting's own check."""
        value = self.parse(raw)
        if self.check is not None:
            self.check(value)
        return value


def check_png_path(value: str) -> None:
    """An empty value, or the full path of an existing PNG file."""
    if not value:
        return
    path = Path(value)
    if not path.is_absolute():
        raise UserError(E_IMAGE_RELATIVE, path=value)
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_PNG_MAGIC))
    except OSError as exc:
        raise UserError(E_IMAGE_MISSING, path=value) from exc
    if head != _PNG_MAGIC:
        raise UserError(E_IMAGE_NOT_PNG, path=value)


def _check_profile_id(value: str) -> None:
    """A profile id as portals.json spells them (whether it exists is checked on use)."""
    import re

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", value):
        raise UserError(
            E_BAD_VALUE, name="portal_profile", value=value, expected="sandbox, province-01, ..."
        )


_REGISTRY: dict[str, Setting[Any]] = {}


def declare(setting: Setting[T]) -> Setting[T]:
    if setting.name in _REGISTRY:
        raise ValueError(f"setting {setting.name!r} declared twice")
    _REGISTRY[setting.name] = setting
    return setting


LANGUAGE = declare(
    Setting("language", str, "vi", "Ngôn ngữ giao diện / UI language", choices=("vi", "en"))
)
PORTAL_URL = declare(
    Setting(
        "portal_url",
        str,
        "http://127.0.0.1:8765",
        "Địa chỉ cổng dịch vụ công (mặc định: cổng thử nghiệm trên máy) / portal base URL",
    )
)
PORTAL_PROFILE = declare(
    Setting(
        "portal_profile",
        str,
        "sandbox",
        "Hồ sơ cổng đang dùng (dvc-desk account portals) / active portal profile",
        check=_check_profile_id,
    )
)
MAX_FILE_SIZE = declare(
    Setting(
        "max_file_size",
        int,
        60 * 1024 * 1024,
        "Dung lượng tối đa một tệp đính kèm, byte / largest attachment the portal accepts, bytes",
    )
)
PKCS11_MODULES = declare(
    Setting(
        "pkcs11_modules",
        list,
        [],
        "Đường dẫn thư viện PKCS#11 của token / extra PKCS#11 module paths",
    )
)
# The stamp the signing dialog starts on and `sign` / `dossier sign` use when no stamp
# option is given (desktop/signing/defaults.py turns these into a StampSpec).
STAMP_KINDS = ("invisible", "visible", "copy")
DEFAULT_STAMP = declare(
    Setting(
        "default_stamp",
        str,
        "invisible",
        "Chữ ký mặc định: invisible (không hiện trên trang), visible (hiện chữ ký, con dấu), "
        "copy (bản sao điện tử) / default stamp",
        choices=STAMP_KINDS,
    )
)
DEFAULT_STAMP_SIGNATURE_IMAGE = declare(
    Setting(
        "default_stamp_signature_image",
        str,
        "",
        "Ảnh chữ ký (PNG, đường dẫn đầy đủ) của chữ ký mặc định / signature image",
        check=check_png_path,
    )
)
DEFAULT_STAMP_SEAL_IMAGE = declare(
    Setting(
        "default_stamp_seal_image",
        str,
        "",
        "Ảnh con dấu (PNG, đường dẫn đầy đủ) của chữ ký mặc định / seal image",
        check=check_png_path,
    )
)
DEFAULT_STAMP_COPY_FORM = declare(
    Setting(
        "default_stamp_copy_form",
        str,
        "SAO Y",
        "Hình thức bản sao điện tử mặc định / electronic-copy form",
        choices=("SAO Y", "SAO LỤC", "TRÍCH SAO"),  # desktop.signing.names.COPY_FORMS
    )
)
DEFAULT_STAMP_COPY_AGENCY = declare(
    Setting(
        "default_stamp_copy_agency",
        str,
        "",
        "Cơ quan sao mặc định (trống: tổ chức trong chứng thư) / copying agency",
    )
)
INTAKE_PDFA = declare(
    Setting(
        "intake_pdfa",
        bool,
        False,
        "Tạo PDF/A-2b (lưu trữ lâu dài) khi chuyển bản quét, trừ khi lệnh ghi --no-pdfa "
        "/ make PDF/A-2b from scans by default",
    )
)
# Trust services for remote signing (issue #15): a list of {"name", "kind" (push|csc),
# "url", "client_id"}; each client secret is in the OS keyring. The entries are checked
# by desktop/signing/remote/services.py when a service is saved and when it is used.
REMOTE_SIGNING_SERVICES = declare(
    Setting(
        "remote_signing_services",
        list,
        [],
        "Dịch vụ ký số từ xa (name, kind push|csc, url, client_id) / remote signing services",
    )
)
CREDENTIAL_STORE = declare(
    Setting(
        "credential_store",
        str,
        "os",
        "Nơi giữ mật khẩu cổng: kho khoá hệ điều hành, hoặc tệp mã hoá bằng mật khẩu chính "
        "(máy không có kho khoá) / where portal passwords are kept: the OS keyring, or a file "
        "encrypted with a master password (machines without a keyring)",
        choices=("os", "encrypted-file"),
    )
)


E_BAD_DATABASE_URL = define(
    "storage.bad_database_url",
    vi=(
        "Địa chỉ cơ sở dữ liệu «{url}» không dùng được: chỉ nhận "
        "postgresql://người-dùng:mật-khẩu@máy-chủ:cổng/tên-csdl (lệnh "
        "scripts/office-db-setup.sh in ra địa chỉ này) hoặc để trống để dùng tệp SQLite "
        "trên máy này."
    ),
    en=(
        "The database address '{url}' cannot be used: give "
        "postgresql://user:password@host:port/name (scripts/office-db-setup.sh prints it) "
        "or leave it empty for this PC's SQLite file."
    ),
)
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def driver_url(url: str) -> str:
    """A clerk's `postgresql://...` (or `postgres://`) with the driver dvc-desk uses,
    psycopg 3; UserError for anything else (its password never shown)."""
    scheme, sep, rest = url.partition("://")
    if not sep or not rest or scheme not in ("postgresql", "postgres", "postgresql+psycopg"):
        raise UserError(E_BAD_DATABASE_URL, url=_PASSWORD.sub(r"\1***@", url))
    return f"postgresql+psycopg://{rest}"


def check_database_url(value: str) -> None:
    """Empty (this PC's SQLite file) or a PostgreSQL URL."""
    if value:
        driver_url(value)


# A shared office database (issue #17, docs/office-database.md): empty keeps the data
# dir's SQLite file; `postgresql://user:password@server:5432/dvcdesk` shares one database
# between the office's PCs. `dvc-desk --database URL` overrides it for one command.
DATABASE_URL = declare(
    Setting(
        "database_url",
        str,
        "",
        "Cơ sở dữ liệu dùng chung của cơ quan (postgresql://...; trống: tệp trên máy này) "
        "/ the office's shared database (empty: this PC's file)",
        check=check_database_url,
    )
)
ENV_DATABASE = "DVC_DESK_DATABASE"  # a postgresql:// URL: the office's shared database


def chosen_database_url(settings: Settings, explicit: str | None = None) -> str | None:
    """The shared database a process uses: `explicit` (`--database`), else the
    DVC_DESK_DATABASE environment variable, else the `database_url` setting; None: the
    data dir's SQLite file."""
    return explicit or os.environ.get(ENV_DATABASE) or settings.get(DATABASE_URL) or None


# Where attachments live when PCs share a database: a folder on the office file server
# mounted at the same path on every PC (docs/office-database.md). Empty: the data dir.
SHARED_STORE = declare(
    Setting(
        "shared_store",
        str,
        "",
        "Thư mục kho tệp đính kèm dùng chung trên máy chủ tệp của cơ quan (trống: thư mục "
        "dữ liệu) / the office's shared attachment folder (empty: the data dir)",
    )
)
LOG_LEVEL = declare(
    Setting(
        "log_level",
        str,
        "INFO",
        "Mức ghi nhật ký / log level",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
    )
)


def declared() -> dict[str, Setting[Any]]:
    return dict(_REGISTRY)


class Settings:
    """The values of every declared setting for one data dir."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._values: dict[str, Any] = {}
        self._extra: dict[str, Any] = {}
        self._load()

    def _load(self) -> None:
        if not self._path.exists():
            return
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            log.warning("settings file %s unreadable (%s); using defaults", self._path, exc)
            return
        values = data.get("values", {}) if isinstance(data, dict) else {}
        for name, raw in values.items():
            setting = _REGISTRY.get(name)
            if setting is None:
                self._extra[name] = raw
                continue
            try:
                self._values[name] = setting.parse(raw)
            except UserError:
                log.warning("setting %s has a bad value %r; using the default", name, raw)

    def get(self, setting: Setting[T]) -> T:
        if setting.name in self._values:
            return self._values[setting.name]  # type: ignore[no-any-return]
        return setting.default

    def set(self, setting: Setting[T], value: T) -> None:
        self._values[setting.name] = setting.validate(value)
        self._save()

    def set_by_name(self, name: str, raw: str) -> None:
        setting = _REGISTRY.get(name)
        if setting is None:
            raise UserError(E_UNKNOWN_SETTING, name=name, known=", ".join(sorted(_REGISTRY)))
        self._values[name] = setting.validate(raw)
        self._save()

    def as_dict(self) -> dict[str, Any]:
        return {name: self.get(s) for name, s in sorted(_REGISTRY.items())}

    def _save(self) -> None:
        payload = {"version": FILE_VERSION, "values": {**self._extra, **self._values}}
        text = json.dumps(payload, ensure_ascii=False, indent=2)
        write_atomically(self._path, text.encode("utf-8"), make_folder=True)
