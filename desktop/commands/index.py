"""The commands of `dvc-desk`: name, the module that registers it, its one-line help.

Read before any command module is imported: `dvc-desk --help` lists every command from
this table, and only the module of the command being run is imported (with its
libraries), so `--version`, `--help` and a quick command start in a blink. Each module
defines `register(subparsers)` and gives its top-level parsers `help=summary(name)`;
tests/core/commands/test_index.py checks this table against what the modules register.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.commands.context import _h


@dataclass(frozen=True)
class Command:
    name: str
    module: str
    vi: str
    en: str


COMMANDS: tuple[Command, ...] = (
    Command(
        "settings",
        "desktop.commands.settings",
        "xem hoặc thay đổi thiết lập",
        "show or change settings",
    ),
    Command(
        "intake",
        "desktop.commands.intake",
        "chuyển bản quét thành PDF: images2pdf, merge, pages, split, compress, ocr, "
        "pdfa, check, metadata, watch, batch",
        "scans to PDF: images2pdf, merge, pages, split, compress, ocr, pdfa, check, "
        "metadata, watch, batch",
    ),
    Command(
        "catalog",
        "desktop.commands.catalog",
        "danh mục thủ tục: nhập, tìm (gõ không dấu được), xem chi tiết",
        "procedure catalog: import, search (diacritics optional), details",
    ),
    Command(
        "dossier",
        "desktop.commands.dossier",
        "hồ sơ: tạo, điền thông tin, đính kèm tệp, kiểm tra, ký",
        "dossiers: create, fill in, attach files, check, sign",
    ),
    Command(
        "doctor",
        "desktop.commands.doctor",
        "kiểm tra cơ sở dữ liệu và kho tệp (mã thoát 4 khi có hư hỏng)",
        "check database and file store integrity (exit 4 when damaged)",
    ),
    Command(
        "sign",
        "desktop.commands.sign",
        "ký số một tệp PDF bằng tệp .p12 hoặc token",
        "sign a PDF with a .p12 file or a token",
    ),
    Command(
        "certs",
        "desktop.commands.sign",
        "chứng thư số trong tệp .p12 hoặc token",
        "certificates of a .p12 file or of tokens",
    ),
    Command(
        "sign-jobs",
        "desktop.commands.sign_jobs",
        "yêu cầu ký số từ xa (chờ xác nhận trên điện thoại) và dịch vụ ký số từ xa",
        "remote signing requests (waiting for the phone) and remote signing services",
    ),
    Command(
        "verify",
        "desktop.commands.verify",
        "kiểm tra chữ ký số của một tệp PDF",
        "check the signatures of a PDF",
    ),
    Command(
        "submit",
        "desktop.commands.sync",
        "kiểm tra, khoá và đưa hồ sơ vào hàng đợi gửi lên cổng (trong một giao dịch)",
        "validate, freeze and queue a dossier for the portal (one transaction)",
    ),
    Command(
        "withdraw",
        "desktop.commands.sync",
        "rút hồ sơ khỏi hàng đợi và tạo một phiên bản mới để sửa",
        "withdraw a queued dossier and make a new editable version",
    ),
    Command(
        "sync",
        "desktop.commands.sync",
        "gửi các hồ sơ trong hàng đợi lên cổng",
        "send queued dossiers to the portal",
    ),
    Command(
        "pay",
        "desktop.commands.sync",
        "nộp phí, lệ phí của hồ sơ: in liên kết thanh toán, theo dõi đến khi trả xong",
        "pay a dossier's fees: prints the payment link, follows it until paid",
    ),
    Command(
        "status",
        "desktop.commands.sync",
        "tình trạng của hồ sơ đã nộp: trạng thái trên cổng, lịch sử, phí, biên nhận",
        "where a submitted dossier stands: portal state, history, fees, receipt",
    ),
    Command(
        "portal-sandbox",
        "desktop.commands.portal_sandbox",
        "chạy cổng thử nghiệm trên máy này (API v1, trang cán bộ xử lý, trang thanh toán)",
        "run the sandbox portal (API v1, officer console, payment page) on this machine",
    ),
    Command(
        "account",
        "desktop.commands.account",
        "tài khoản trên cổng: đăng ký hoặc đăng nhập",
        "portal account: register or log in",
    ),
    Command(
        "address",
        "desktop.commands.address",
        "địa chỉ từ 01/7/2025: tìm xã, phường (gõ không dấu được), xem mã, đổi địa chỉ cũ",
        "addresses since 1 July 2025: find units, show codes, convert old addresses",
    ),
    Command(
        "bundle",
        "desktop.commands.bundle",
        "chuyển hồ sơ bằng USB (gói .dvcb): xuất, nhập, gói trả kết quả",
        "carry dossiers on a USB stick (.dvcb bundles): export, import, returns",
    ),
    Command(
        "user",
        "desktop.commands.office",
        "tài khoản và vai trò trong văn phòng",
        "office accounts and roles",
    ),
    Command(
        "audit",
        "desktop.commands.office",
        "nhật ký ai làm gì (chỉ ghi thêm)",
        "who did what (append-only log)",
    ),
    Command(
        "db",
        "desktop.commands.db",
        "cơ sở dữ liệu: chuyển sang máy chủ",
        "database: move to a server",
    ),
)

# Each module once, in the order of the table (the order of `--help`).
COMMAND_MODULES: tuple[str, ...] = tuple(dict.fromkeys(c.module for c in COMMANDS))

_BY_NAME = {c.name: c for c in COMMANDS}


def summary(name: str) -> str:
    """The one-line help of command `name` in the chosen language."""
    command = _BY_NAME[name]
    return _h(command.vi, command.en)


def find(name: str) -> Command | None:
    return _BY_NAME.get(name)
