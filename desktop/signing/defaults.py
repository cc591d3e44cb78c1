"""The default stamp (settings `default_stamp*`) as the signer's StampSpec.

The signing dialog starts on it; `sign` and `dossier sign` use it when no stamp option
is given. Its images are checked when the clerk sets them and again here, when they
are about to be drawn: a PNG moved or deleted since is refused with the setting to fix,
never silently dropped from the stamp.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from desktop.errors import UserError, define
from desktop.settings import (
    DEFAULT_STAMP,
    DEFAULT_STAMP_COPY_AGENCY,
    DEFAULT_STAMP_COPY_FORM,
    DEFAULT_STAMP_SEAL_IMAGE,
    DEFAULT_STAMP_SIGNATURE_IMAGE,
    Setting,
    check_png_path,
)

if TYPE_CHECKING:
    from desktop.signing.stamp import StampSpec

E_DEFAULT_STAMP_IMAGE = define(
    "signing.default_stamp_image",
    vi=(
        "Chữ ký mặc định dùng ảnh không dùng được: {reason} Hãy chọn lại ảnh trong "
        'Cài đặt › Chữ ký mặc định, hoặc bỏ ảnh bằng lệnh: dvc-desk settings set {name} ""'
    ),
    en=(
        "The default stamp uses an image that cannot be used: {reason} Choose the image "
        "again under Settings › Default stamp, or drop it with: "
        'dvc-desk settings set {name} ""'
    ),
)


class SettingsReader(Protocol):
    def get(self, setting: Setting[str]) -> str: ...


@dataclass(frozen=True)
class StampDefaults:
    """The default stamp as the clerk set it; `kind` is invisible, visible or copy."""

    kind: str = "invisible"
    signature_image: str = ""
    seal_image: str = ""
    copy_form: str = "SAO Y"
    copy_agency: str = ""


def stamp_defaults(settings: SettingsReader) -> StampDefaults:
    """The default stamp settings, read (not checked: see `default_stamp`)."""
    return StampDefaults(
        kind=settings.get(DEFAULT_STAMP),
        signature_image=settings.get(DEFAULT_STAMP_SIGNATURE_IMAGE),
        seal_image=settings.get(DEFAULT_STAMP_SEAL_IMAGE),
        copy_form=settings.get(DEFAULT_STAMP_COPY_FORM),
        copy_agency=settings.get(DEFAULT_STAMP_COPY_AGENCY),
    )


def check_images(defaults: StampDefaults) -> None:
    """Refuse a default image that is gone or no longer a PNG, naming the setting."""
    if defaults.kind != "visible":
        return
    for setting, value in (
        (DEFAULT_STAMP_SIGNATURE_IMAGE, defaults.signature_image),
        (DEFAULT_STAMP_SEAL_IMAGE, defaults.seal_image),
    ):
        try:
            check_png_path(value)
        except UserError as exc:
            raise UserError(E_DEFAULT_STAMP_IMAGE, reason=exc.message(), name=setting.name) from exc


def default_stamp(defaults: StampDefaults, *, page: int = 1) -> StampSpec | None:
    """The StampSpec of the default stamp on `page` (None: an invisible signature)."""
    from desktop.signing.stamp import StampSpec

    check_images(defaults)
    if defaults.kind == "copy":
        return StampSpec(
            kind="copy",
            page=page,
            copy_form=defaults.copy_form,
            copy_agency=defaults.copy_agency,
        )
    if defaults.kind == "visible":
        return StampSpec(
            page=page,
            signature_image=Path(defaults.signature_image) if defaults.signature_image else None,
            seal_image=Path(defaults.seal_image) if defaults.seal_image else None,
        )
    return None
