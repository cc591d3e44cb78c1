"""`dvc-desk address search | show | resolve`: the administrative units since 1 July 2025."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from desktop.commands.context import _h, add_json_flag
from desktop.commands.index import summary
from desktop.dossier.address_messages import UNKNOWN_CODE
from desktop.dossier.address_resolve import ASK, EXACT, Resolution, commune_dict, resolve
from desktop.dossier.address_search import search_communes, search_former, search_provinces
from desktop.dossier.admin_units import Commune, OldUnit, Province, units
from desktop.errors import UserError

if TYPE_CHECKING:
    from desktop.commands.context import Context


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "address",
        help=summary("address"),
    )
    inner = parser.add_subparsers(dest="action", metavar="ACTION")

    find = inner.add_parser(
        "search",
        help=_h(
            "tìm tỉnh, xã, phường, đặc khu hiện hành và đơn vị cũ theo tên",
            "find provinces, communes in force and former units by name",
        ),
    )
    find.add_argument("text", metavar="TEXT", help=_h("tên (gõ không dấu được)", "a name"))
    find.add_argument(
        "--province",
        metavar="CODE",
        help=_h("chỉ xã, phường của tỉnh có mã này", "only communes of this province code"),
    )
    find.add_argument(
        "--limit", metavar="N", type=int, default=20, help=_h("tối đa N dòng", "at most N rows")
    )
    add_json_flag(find)
    find.set_defaults(handler=_search)

    show = inner.add_parser(
        "show",
        help=_h(
            "một đơn vị theo mã (2 số: tỉnh; 5 số: xã, phường) và các đơn vị cũ nhập vào nó",
            "one unit by code (2 digits: province; 5: commune) and what was merged into it",
        ),
    )
    show.add_argument("code", metavar="CODE", help=_h("mã đơn vị", "unit code"))
    add_json_flag(show)
    show.set_defaults(handler=_show)

    convert = inner.add_parser(
        "resolve",
        help=_h(
            "đổi một địa chỉ cũ (như ghi trên giấy tờ) sang đơn vị hiện hành",
            "convert an old address (as written on a paper) to the unit in force",
        ),
    )
    convert.add_argument(
        "text",
        metavar="TEXT",
        help=_h(
            "địa chỉ, ví dụ «xã Đăk Pxi, huyện Đăk Hà, tỉnh Kon Tum»",
            "an address as written on a paper, e.g. 'xa Dak Pxi, huyen Dak Ha, tinh Kon Tum'",
        ),
    )
    add_json_flag(convert)
    convert.set_defaults(handler=_resolve)
    parser.set_defaults(handler=lambda _args, ctx: _usage(parser, ctx), json=False)


def _usage(parser: argparse.ArgumentParser, ctx: Context) -> int:
    ctx.err.write(parser.format_help())
    return 2


def _province_name(code: str) -> str:
    province = units().province(code)
    return "" if province is None else province.name


def _former_dict(unit: OldUnit) -> dict[str, Any]:
    old_province = units().old_province(unit.old_province_code)
    return {
        "code": unit.code,
        "name": unit.full_name,
        "old_province": "" if old_province is None else old_province.full_name,
        "went_to": [
            {"code": code, "name": c.full_name if c else "", "partial": partial}
            for code, partial in unit.went
            for c in (units().commune(code),)
        ],
    }


def _search(args: argparse.Namespace, ctx: Context) -> int:
    provinces = [] if args.province else search_provinces(args.text)
    communes = search_communes(args.text, args.province, limit=args.limit)
    former = [] if args.province else search_former(args.text, limit=args.limit)
    data = {
        "provinces": [{"code": p.code, "name": p.full_name} for p in provinces],
        "communes": [commune_dict(c) for c in communes],
        "former": [_former_dict(u) for u in former],
    }
    ctx.emit(data, lambda: _search_text(args.text, provinces, communes, former))
    return 0


def _search_text(
    text: str, provinces: list[Province], communes: list[Commune], former: list[OldUnit]
) -> str:
    if not (provinces or communes or former):
        return _h(
            f"Không tìm thấy đơn vị nào tên «{text}». Hãy thử ít chữ hơn hoặc gõ không dấu.",
            f"No unit is called '{text}'. Try fewer letters, or type without diacritics.",
        )
    lines = []
    if provinces:
        lines.append(_h("Tỉnh, thành phố:", "Provinces and cities:"))
        lines += [f"  {p.code}  {p.full_name}" for p in provinces]
    if communes:
        lines.append(
            _h("Xã, phường, đặc khu (từ 01/7/2025):", "Communes and wards (from 1 July 2025):")
        )
        lines += [f"  {c.code}  {c.full_name}, {_province_name(c.province_code)}" for c in communes]
    if former:
        lines.append(
            _h(
                "Đơn vị cũ (trước 01/7/2025) và nơi đã nhập vào:",
                "Former units (before 1 July 2025) and where they went:",
            )
        )
        part = _h(", một phần", ", in part")
        for unit in former:
            item = _former_dict(unit)
            went = "; ".join(
                f"{w['name']} ({w['code']}{part if w['partial'] else ''})" for w in item["went_to"]
            )
            lines.append(f"  {unit.code}  {unit.full_name} ({item['old_province']}) → {went}")
    lines.append(
        _h("(xem chi tiết: dvc-desk address show MÃ)", "(details: dvc-desk address show CODE)")
    )
    return "\n".join(lines)


def _show(args: argparse.Namespace, ctx: Context) -> int:
    code = args.code.strip()
    table = units()
    province = table.province(code) if len(code) == 2 else None
    commune = table.commune(code) if len(code) == 5 else None
    if province is not None:
        former = table.old_provinces_of(province.code)
        communes = table.communes_of(province.code)
        data: dict[str, Any] = {
            "code": province.code,
            "name": province.full_name,
            "kind": province.kind,
            "communes": len(communes),
            "merged": [{"code": p.code, "name": p.full_name} for p in former],
        }
        merged_from = ", ".join(f"{p.full_name} ({p.code})" for p in former)
        summary = _h(
            f"{province.full_name} (mã {province.code}): {len(communes)} xã, phường, đặc khu.\n"
            f"Gồm các tỉnh, thành phố cũ: {merged_from}",
            f"{province.full_name} (code {province.code}): {len(communes)} communes and wards.\n"
            f"Made of the former provinces and cities: {merged_from}",
        )
        ctx.emit(data, summary)
        return 0
    if commune is None:
        raise UserError(UNKNOWN_CODE, value=code)
    merged = table.merged_into(commune.code)
    data = {
        **commune_dict(commune),
        "merged": [{**_former_dict(unit), "partial": partial} for unit, partial in merged],
    }

    def text() -> str:
        where = f"{commune.full_name}, {_province_name(commune.province_code)} "
        lines = [
            where
            + _h(
                f"(mã {commune.code}, tỉnh {commune.province_code})",
                f"(code {commune.code}, province {commune.province_code})",
            ),
            _h("Hình thành từ (trước 01/7/2025):", "Made from (before 1 July 2025):"),
        ]
        for unit, partial in merged:
            old = table.old_province(unit.old_province_code)
            share = _h("một phần", "in part") if partial else _h("toàn bộ", "whole")
            name = old.full_name if old else ""
            lines.append(f"  {unit.code}  {unit.full_name} ({name}): {share}")
        return "\n".join(lines)

    ctx.emit(data, text)
    return 0


def _resolve(args: argparse.Namespace, ctx: Context) -> int:
    answer = resolve(args.text)
    ctx.emit(answer.as_dict(), lambda: _resolution_text(answer))
    return 0 if answer.status in (EXACT, ASK) else 1


def _resolution_text(answer: Resolution) -> str:
    lines = [answer.message()]
    if answer.status == EXACT and answer.commune is not None:
        province = _province_name(answer.commune.province_code)
        lines.insert(
            0,
            _h(
                f"{answer.commune.full_name} (mã {answer.commune.code}), "
                f"{province} (mã {answer.commune.province_code})",
                f"{answer.commune.full_name} (code {answer.commune.code}), "
                f"{province} (code {answer.commune.province_code})",
            ),
        )
    elif answer.candidates:
        if answer.status == ASK:
            lines.append(_h("Chọn một trong:", "Choose one of:"))
        else:
            lines.append(_h("Có phải:", "Did you mean:"))
        lines += [
            f"  {c.code}  {c.full_name}, {_province_name(c.province_code)}"
            for c in answer.candidates
        ]
    if answer.detail:
        lines.append(_h("Số nhà, đường, thôn, xóm: ", "House, street, hamlet: ") + answer.detail)
    return "\n".join(lines)
