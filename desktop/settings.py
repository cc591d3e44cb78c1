"""Typed settings, each declared once with its type, default and description.

Stored as a small versioned JSON file in the data dir, written atomically. Unknown keys
in the file are kept (a newer version may have written them); bad values fall back to
the default with a warning in the log rather than stopping the app.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

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
_TYPE_NAMES = {str: "văn bản / text", int: "số nguyên / integer", list: "danh sách / list"}


@dataclass(frozen=True)
class Setting(Generic[T]):
    name: str
    type: type[T]
    default: T
    description: str
    choices: tuple[T, ...] | None = None

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
        self._values[setting.name] = setting.parse(value)
        self._save()

    def set_by_name(self, name: str, raw: str) -> None:
        setting = _REGISTRY.get(name)
        if setting is None:
            raise UserError(E_UNKNOWN_SETTING, name=name, known=", ".join(sorted(_REGISTRY)))
        self._values[name] = setting.parse(raw)
        self._save()

    def as_dict(self) -> dict[str, Any]:
        return {name: self.get(s) for name, s in sorted(_REGISTRY.items())}

    def _save(self) -> None:
        payload = {"version": FILE_VERSION, "values": {**self._extra, **self._values}}
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self._path.parent, prefix=".settings-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(payload, handle, ensure_ascii=False, indent=2)
                handle.flush()
                os.fsync(handle.fileno())
            Path(tmp).replace(self._path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
