"""A realistic procedure catalog in the portal's own format, for the sandbox, the
search-quality set and the benchmarks: the 20 real records (resources/catalog/dvcqg/)
plus generated records of the same shape.

Generated records are built on a real record's shape (its 71 keys, its long texts,
legal bases and steps are reused as they are) with a generated code (`9.xxxxxx`, a
series the national database does not use), name, field, agency, level, components and
times. The first ones are the procedures citizens ask for most (đăng ký kết hôn, giấy
phép lái xe, căn cước, ...) with the variants that make them hard to find (cấp lại,
cấp đổi, gia hạn ...); the rest combine actions and subjects across fields, levels and
34 provinces. Deterministic: the same count gives the same records.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

GENERATED_PREFIX = "9."
_NAMESPACE = uuid.UUID("5b2f8a52-6a43-4f57-9d59-0d1f3c0c2a10")

# (field code, field name, level flags, executing agency (code, name))
FIELDS = {
    "hotich": ("GEN-HT", "Hộ tịch", ("xa",), ("GEN-UBNDX", "Ủy ban nhân dân cấp xã")),
    "cutru": ("GEN-CT", "Đăng ký, quản lý cư trú", ("xa",), ("BCA_CAX", "Công an cấp Xã")),
    "cancuoc": ("GEN-CC", "Căn cước", ("xa", "tinh"), ("GEN-CATINH", "Công an cấp tỉnh")),
    "duongbo": ("GEN-DB", "Đường bộ", ("tinh",), ("GEN-SXD", "Sở Xây dựng")),
    "xaydung": ("GEN-XD", "Hoạt động xây dựng", ("xa", "tinh"), ("GEN-SXD", "Sở Xây dựng")),
    "datdai": ("GEN-DD", "Đất đai", ("xa", "tinh"), ("GEN-VPDKDD", "Văn phòng đăng ký đất đai")),
    "kinhdoanh": (
        "GEN-KD",
        "Thành lập và hoạt động doanh nghiệp",
        ("tinh",),
        ("GEN-STC", "Sở Tài chính"),
    ),
    "thue": ("GEN-TH", "Thuế", ("tinh",), ("GEN-THUE", "Thuế tỉnh")),
    "bhxh": (
        "GEN-BH",
        "Bảo hiểm xã hội, bảo hiểm y tế",
        ("xa", "tinh"),
        ("BHXHT", "Bảo hiểm xã hội tỉnh"),
    ),
    "tuphap": ("GEN-TP", "Lý lịch tư pháp", ("tinh",), ("GEN-STP", "Sở Tư pháp")),
    "chungthuc": ("GEN-CTH", "Chứng thực", ("xa",), ("GEN-UBNDX", "Ủy ban nhân dân cấp xã")),
    "xuatcanh": (
        "GEN-XNC",
        "Xuất nhập cảnh",
        ("tinh", "bo"),
        ("GEN-XNC", "Cục Quản lý xuất nhập cảnh"),
    ),
    "yte": ("GEN-YT", "Khám bệnh, chữa bệnh", ("tinh",), ("GEN-SYT", "Sở Y tế")),
    "attp": ("GEN-ATTP", "An toàn thực phẩm", ("tinh",), ("GEN-SYT", "Sở Y tế")),
    "laodong": ("GEN-LD", "Việc làm", ("tinh",), ("GEN-SNV", "Sở Nội vụ")),
    "moitruong": ("GEN-MT", "Môi trường", ("tinh",), ("GEN-SNNMT", "Sở Nông nghiệp và Môi trường")),
    "vanhoa": ("GEN-VH", "Văn hóa", ("tinh",), ("GEN-SVHTT", "Sở Văn hóa, Thể thao và Du lịch")),
    "giaoduc": (
        "GEN-GD",
        "Giáo dục và Đào tạo",
        ("tinh", "xa"),
        ("000.00.CS.014", "Sở Giáo dục và Đào tạo"),
    ),
    "congthuong": ("GEN-CTG", "Công thương", ("tinh",), ("GEN-SCT", "Sở Công Thương")),
    "xahoi": ("GEN-XH", "Bảo trợ xã hội", ("xa",), ("GEN-UBNDX", "Ủy ban nhân dân cấp xã")),
}

# The procedures clerks are asked for most: (name, field, keywords, components).
ANCHORS: list[tuple[str, str, str, tuple[str, ...]]] = [
    (
        "Đăng ký kết hôn",
        "hotich",
        "kết hôn",
        ("Tờ khai đăng ký kết hôn", "Giấy xác nhận tình trạng hôn nhân"),
    ),
    ("Đăng ký khai sinh", "hotich", "", ("Tờ khai đăng ký khai sinh", "Giấy chứng sinh")),
    ("Đăng ký khai tử", "hotich", "", ("Tờ khai đăng ký khai tử", "Giấy báo tử")),
    ("Đăng ký nhận cha, mẹ, con", "hotich", "", ("Tờ khai đăng ký nhận cha, mẹ, con",)),
    ("Đăng ký giám hộ", "hotich", "", ("Tờ khai đăng ký giám hộ", "Văn bản cử người giám hộ")),
    (
        "Cấp bản sao trích lục hộ tịch",
        "hotich",
        "trích lục",
        ("Tờ khai cấp bản sao trích lục hộ tịch",),
    ),
    (
        "Thay đổi, cải chính, bổ sung thông tin hộ tịch",
        "hotich",
        "",
        ("Tờ khai thay đổi, cải chính hộ tịch",),
    ),
    (
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "hotich",
        "độc thân",
        ("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",),
    ),
    (
        "Đăng ký thường trú",
        "cutru",
        "hộ khẩu",
        ("Tờ khai thay đổi thông tin cư trú", "Giấy tờ chứng minh chỗ ở hợp pháp"),
    ),
    (
        "Đăng ký tạm trú",
        "cutru",
        "",
        ("Tờ khai thay đổi thông tin cư trú", "Giấy tờ chứng minh chỗ ở hợp pháp"),
    ),
    ("Xóa đăng ký thường trú", "cutru", "", ("Tờ khai thay đổi thông tin cư trú",)),
    ("Khai báo tạm vắng", "cutru", "", ("Đề nghị khai báo tạm vắng",)),
    ("Xác nhận thông tin về cư trú", "cutru", "", ("Tờ khai thay đổi thông tin cư trú",)),
    ("Cấp thẻ Căn cước", "cancuoc", "làm căn cước", ("Phiếu thu nhận thông tin căn cước",)),
    (
        "Cấp đổi thẻ Căn cước công dân",
        "cancuoc",
        "",
        ("Phiếu thu nhận thông tin căn cước", "Thẻ Căn cước công dân cũ"),
    ),
    ("Cấp lại thẻ Căn cước", "cancuoc", "mất căn cước", ("Phiếu thu nhận thông tin căn cước",)),
    (
        "Cấp giấy phép lái xe",
        "duongbo",
        "",
        ("Đơn đề nghị cấp giấy phép lái xe", "Giấy khám sức khỏe của người lái xe"),
    ),
    (
        "Đổi giấy phép lái xe",
        "duongbo",
        "",
        ("Đơn đề nghị đổi giấy phép lái xe", "Bản sao giấy phép lái xe"),
    ),
    (
        "Cấp lại giấy phép lái xe",
        "duongbo",
        "mất bằng lái",
        ("Đơn đề nghị cấp lại giấy phép lái xe",),
    ),
    (
        "Cấp giấy phép lái xe quốc tế",
        "duongbo",
        "",
        ("Tờ khai đề nghị cấp giấy phép lái xe quốc tế",),
    ),
    (
        "Đăng ký xe mô tô, xe gắn máy",
        "duongbo",
        "biển số xe máy",
        ("Giấy khai đăng ký xe", "Chứng từ nguồn gốc xe"),
    ),
    (
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "xaydung",
        "xin phép xây nhà",
        ("Đơn đề nghị cấp giấy phép xây dựng", "Bản vẽ thiết kế"),
    ),
    (
        "Cấp giấy phép sửa chữa, cải tạo công trình",
        "xaydung",
        "",
        ("Đơn đề nghị cấp giấy phép sửa chữa, cải tạo",),
    ),
    ("Gia hạn giấy phép xây dựng", "xaydung", "", ("Đơn đề nghị gia hạn giấy phép xây dựng",)),
    (
        "Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền "
        "với đất lần đầu",
        "datdai",
        "sổ đỏ lần đầu",
        ("Đơn đăng ký đất đai, tài sản gắn liền với đất",),
    ),
    (
        "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
        "datdai",
        "",
        ("Đơn đề nghị cấp đổi Giấy chứng nhận",),
    ),
    ("Đăng ký thế chấp quyền sử dụng đất", "datdai", "", ("Phiếu yêu cầu đăng ký thế chấp",)),
    (
        "Đăng ký thành lập doanh nghiệp tư nhân",
        "kinhdoanh",
        "",
        ("Giấy đề nghị đăng ký doanh nghiệp",),
    ),
    (
        "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên",
        "kinhdoanh",
        "công ty TNHH",
        ("Giấy đề nghị đăng ký doanh nghiệp", "Điều lệ công ty"),
    ),
    (
        "Đăng ký thay đổi nội dung đăng ký doanh nghiệp",
        "kinhdoanh",
        "",
        ("Thông báo thay đổi nội dung đăng ký doanh nghiệp",),
    ),
    ("Đăng ký thành lập hợp tác xã", "kinhdoanh", "", ("Giấy đề nghị đăng ký hợp tác xã",)),
    (
        "Đăng ký thuế lần đầu đối với cá nhân",
        "thue",
        "mã số thuế cá nhân",
        ("Tờ khai đăng ký thuế",),
    ),
    (
        "Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
        "bhxh",
        "",
        ("Tờ khai tham gia, điều chỉnh thông tin BHXH, BHYT",),
    ),
    (
        "Cấp lại sổ bảo hiểm xã hội",
        "bhxh",
        "mất sổ BHXH",
        ("Tờ khai tham gia, điều chỉnh thông tin BHXH, BHYT",),
    ),
    ("Giải quyết hưởng chế độ thai sản", "bhxh", "", ("Giấy chứng sinh", "Giấy ra viện")),
    (
        "Giải quyết hưởng trợ cấp thất nghiệp",
        "laodong",
        "",
        ("Đề nghị hưởng trợ cấp thất nghiệp", "Quyết định thôi việc"),
    ),
    ("Cấp Phiếu lý lịch tư pháp", "tuphap", "", ("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",)),
    (
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "chungthuc",
        "sao y",
        ("Bản chính giấy tờ cần chứng thực",),
    ),
    (
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "chungthuc",
        "",
        ("Giấy tờ cần chứng thực chữ ký",),
    ),
    (
        "Cấp hộ chiếu phổ thông",
        "xuatcanh",
        "làm hộ chiếu",
        ("Tờ khai đề nghị cấp hộ chiếu phổ thông", "Ảnh chân dung"),
    ),
    (
        "Cấp giấy phép hoạt động khám bệnh, chữa bệnh",
        "yte",
        "mở phòng khám",
        ("Đơn đề nghị cấp giấy phép hoạt động",),
    ),
    (
        "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
        "attp",
        "",
        ("Đơn đề nghị cấp Giấy chứng nhận",),
    ),
    (
        "Cấp giấy phép lao động cho người lao động nước ngoài",
        "laodong",
        "",
        ("Văn bản đề nghị cấp giấy phép lao động",),
    ),
    (
        "Cấp giấy phép môi trường",
        "moitruong",
        "",
        ("Văn bản đề nghị cấp giấy phép môi trường", "Báo cáo đề xuất"),
    ),
    (
        "Cấp giấy phép kinh doanh dịch vụ karaoke",
        "vanhoa",
        "",
        ("Đơn đề nghị cấp giấy phép kinh doanh",),
    ),
    (
        "Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm",
        "xahoi",
        "",
        ("Giấy đề nghị xét duyệt hộ nghèo",),
    ),
    (
        "Hưởng trợ cấp xã hội hằng tháng đối với người cao tuổi",
        "xahoi",
        "",
        ("Tờ khai đề nghị trợ giúp xã hội",),
    ),
    ("Chuyển trường đối với học sinh trung học cơ sở", "giaoduc", "", ("Đơn xin chuyển trường",)),
    (
        "Cấp giấy phép bán lẻ sản phẩm rượu",
        "congthuong",
        "",
        ("Đơn đề nghị cấp giấy phép bán lẻ rượu",),
    ),
    (
        "Cấp giấy phép kinh doanh vận tải bằng xe ô tô",
        "duongbo",
        "",
        ("Giấy đề nghị cấp giấy phép kinh doanh vận tải",),
    ),
]
# What makes an anchor hard to find: the same subject with another action.
VARIANT_ACTIONS = ("Cấp lại", "Cấp đổi", "Gia hạn", "Điều chỉnh", "Thu hồi", "Đính chính")
FILLER_ACTIONS = (
    "Cấp",
    "Cấp lại",
    "Cấp đổi",
    "Gia hạn",
    "Điều chỉnh",
    "Thu hồi",
    "Đăng ký",
    "Xác nhận",
    "Công nhận",
    "Thẩm định",
    "Phê duyệt",
    "Thông báo",
    "Chấm dứt",
    "Đăng ký thay đổi",
)
FILLER_OBJECTS = (
    "giấy phép hoạt động",
    "giấy chứng nhận đủ điều kiện",
    "giấy phép kinh doanh",
    "chứng chỉ hành nghề",
    "giấy chứng nhận đăng ký",
    "quyết định công nhận",
    "giấy phép thành lập",
    "văn bản chấp thuận",
    "giấy xác nhận",
    "bằng khen",
)
FILLER_SUBJECTS = (
    "cơ sở giết mổ gia súc",
    "đại lý xăng dầu",
    "trường mầm non tư thục",
    "phòng khám đa khoa",
    "cơ sở bán lẻ thuốc",
    "nhà thuốc",
    "cơ sở lưu trú du lịch",
    "cửa hàng bán lẻ LPG",
    "cơ sở in",
    "đại lý bảo hiểm",
    "trung tâm ngoại ngữ",
    "cơ sở giáo dục nghề nghiệp",
    "điểm kinh doanh trò chơi điện tử",
    "cơ sở dịch vụ xoa bóp",
    "thư viện tư nhân",
    "câu lạc bộ thể thao",
    "doanh nghiệp lữ hành",
    "hướng dẫn viên du lịch",
    "cơ sở sản xuất phân bón",
    "cơ sở chăn nuôi",
    "tàu cá",
    "cơ sở nuôi trồng thủy sản",
    "công trình thủy lợi",
    "cơ sở khai thác cát",
    "bến thủy nội địa",
    "trạm sạc xe điện",
    "nhà máy điện mặt trời",
    "cơ sở xử lý chất thải",
    "phòng thí nghiệm",
    "cơ sở kiểm định",
    "tổ chức hành nghề công chứng",
    "văn phòng luật sư",
    "trung tâm trọng tài",
    "tổ chức tôn giáo",
    "hội quần chúng",
    "quỹ xã hội",
    "cơ sở trợ giúp xã hội",
    "nhà văn hóa",
    "cơ sở karaoke",
    "vũ trường",
    "cơ sở thể thao",
    "bể bơi",
    "cơ sở sản xuất rượu thủ công",
    "chợ đầu mối",
    "siêu thị",
    "trung tâm thương mại",
    "kho chứa hóa chất",
    "cơ sở kinh doanh vật liệu nổ",
    "xe ô tô chở người",
    "xe tập lái",
    "trung tâm đào tạo lái xe",
    "cơ sở đăng kiểm",
    "phương tiện thủy",
    "cảng cá",
    "rừng trồng",
    "giống cây trồng",
    "thuốc bảo vệ thực vật",
    "thuốc thú y",
    "mỹ phẩm",
    "trang thiết bị y tế",
    "cơ sở dịch vụ thẩm mỹ",
    "cơ sở tiêm chủng",
)
FILLER_QUALIFIERS = (
    "",
    " cho tổ chức",
    " cho cá nhân",
    " đối với doanh nghiệp",
    " thuộc thẩm quyền cấp tỉnh",
    " thuộc thẩm quyền cấp xã",
    " (trường hợp bị mất, hỏng)",
    " có vốn đầu tư nước ngoài",
)
UNITS = ("WORKING_DAY", "WORKING_DAY", "WORKING_DAY", "DAY", "HOUR", "MONTH", "OTHER")


# The sandbox imports only the portal contract: the resources folder by its place.
SHARED_DIR = Path(__file__).resolve().parents[2] / "resources" / "catalog" / "dvcqg"


def shared_dir() -> Path:
    """The real records bundled with the app (copied verbatim from shared/data)."""
    return SHARED_DIR


@cache
def _templates() -> tuple[dict[str, Any], ...]:
    return tuple(
        json.loads(p.read_text(encoding="utf-8")) for p in sorted(shared_dir().glob("*.json"))
    )


def shared_records() -> list[dict[str, Any]]:
    return [dict(t) for t in _templates()]


def _names(count: int) -> Iterator[tuple[str, str, str, tuple[str, ...]]]:
    """(name, field, keywords, components) of `count` procedures, anchors first."""
    emitted: set[str] = set()

    def fresh(item: tuple[str, str, str, tuple[str, ...]]) -> bool:
        if item[0] in emitted:
            return False
        emitted.add(item[0])
        return True

    for anchor in ANCHORS:
        if fresh(anchor):
            yield anchor
    for name, field, _keywords, components in ANCHORS:
        plain = name.startswith("Cấp ") and not name.startswith(("Cấp lại ", "Cấp đổi "))
        subject = name.split(" ", 1)[1] if plain else None
        for action in VARIANT_ACTIONS if subject else ():
            item = (f"{action} {subject}", field, "", components)
            if fresh(item):
                yield item
    fields = list(FIELDS)
    n = 0
    for subject in FILLER_SUBJECTS:
        for obj in FILLER_OBJECTS:
            for action in FILLER_ACTIONS:
                for qualifier in FILLER_QUALIFIERS:
                    field = fields[n % len(fields)]
                    n += 1
                    name = f"{action} {obj} {subject}{qualifier}"
                    item = (
                        name,
                        field,
                        "",
                        (f"Đơn đề nghị {action.lower()} {obj}", f"Hồ sơ của {subject}"),
                    )
                    if fresh(item):
                        yield item
                    if len(emitted) >= count:
                        return


def generate(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """`count` generated records in the portal's format (real records not included)."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    templates = _templates()
    out = []
    for n, (name, field_key, keywords, components) in enumerate(_names(count)):
        if n >= count:
            break
        template = templates[n % len(templates)]
        field_code, field_name, levels, agency = FIELDS[field_key]
        code = f"{GENERATED_PREFIX}{n + 1:06d}"
        record = dict(template)
        record_id = str(uuid.uuid5(_NAMESPACE, code))
        unit = rng.choice(UNITS)
        time = {"HOUR": rng.choice((4, 8, 24)), "MONTH": rng.choice((1, 3))}.get(
            unit, rng.randint(1, 30)
        )
        fee_value = rng.choice((0, 0, 0, 10000, 50000, 100000, 200000))
        fees = (
            []
            if rng.random() < 0.3
            else [
                {
                    "type": "FEE",
                    "value": fee_value,
                    "description": ""
                    if fee_value
                    else rng.choice(("", "Mức lệ phí do HĐND tỉnh quyết định")),
                }
            ]
        )
        methods = [
            {
                "submissionMethod": method,
                "processingTime": time,
                "processingTimeUnit": unit,
                "description": f"{time} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
                "fees": fees,
            }
            for method in ("DIRECT", "ONLINE", "POSTAL")[: rng.randint(1, 3)]
        ]
        profile = [
            {
                "profileComponentId": str(uuid.uuid5(_NAMESPACE, f"{code}-{i}")),
                "code": f"GEN-{code}-KQ{i + 1:02d}",
                "name": component_name,
                "originalQty": 1,
                "copyQty": rng.randint(0, 1),
                "required": False,
                "hasElectronicForm": False,
                "isProcessingResult": False,
                "attachments": [],
            }
            for i, component_name in enumerate(
                (*components, "Giấy tờ khác có liên quan (nếu có)")[
                    : rng.randint(1, len(components) + 1)
                ]
            )
        ]
        record.update(
            {
                "id": record_id,
                "code": code,
                "codeNotation": code,
                "name": name,
                "keywords": keywords,
                "isWard": "xa" in levels,
                "isProvince": "tinh" in levels,
                "isMinistry": "bo" in levels,
                "categoryIds": [field_code],
                "categoriesDetails": [{"id": field_code, "name": field_name, "code": field_code}],
                "departmentsExecuting": [{"id": agency[0], "name": agency[1], "code": agency[0]}],
                "unitGroupsExecuting": [],
                "executionMethods": methods,
                "executionCases": [{"name": "", "profileComponents": profile}],
                "cases": [],
            }
        )
        out.append(record)
    return out


def catalog(count: int) -> list[dict[str, Any]]:
    """The 20 real records followed by generated ones: `count` records in all."""
    real = shared_records()
    return real + generate(max(0, count - len(real)))
