"""The details pane of a procedure: what the data does not say, components (with
"cần kiểm tra"), cases, fees and time per channel, results, law, the edition."""

from __future__ import annotations

from PySide6.QtWidgets import QTextBrowser, QWidget

from desktop.catalog.model import (
    CHANNEL_LABELS,
    LEVELS,
    Channel,
    ComponentSpec,
    Fee,
    Procedure,
    ProcessingTime,
)
from desktop.catalog.summaries import format_amount
from desktop.display import safe_html as escape  # catalog text comes from outside
from desktop.errors import language


class ProcedureDetails(QTextBrowser):
    """Read-only rich text; template links open in the browser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(True)
        self.show_nothing()

    def show_nothing(self) -> None:
        hint = self.tr("Chọn một thủ tục để xem chi tiết.")
        self.setHtml(f"<p><i>{escape(hint)}</i></p>")

    def show_procedure(self, procedure: Procedure) -> None:
        self.setHtml(self.to_html(procedure))

    def to_html(self, p: Procedure) -> str:
        """The HTML of the pane (public for tests and screenshots)."""
        unknown = self.tr("Không rõ")
        parts = [f"<h3>{escape(p.name)}</h3>"]
        incomplete = p.incomplete(language())
        if incomplete:
            title = escape(self.tr("Dữ liệu của thủ tục này chưa đủ:"))
            items = "".join(f"<li>{escape(r)}</li>" for r in incomplete)
            parts.append(
                "<table width='100%' cellpadding='6' style='background:#fff4d6; color:#4a3500'>"
                f"<tr><td><b>{title}</b><ul>{items}</ul></td></tr></table>"
            )
        facts = [
            (self.tr("Mã thủ tục"), p.code or unknown),
            (self.tr("Cơ quan"), p.agency.name),
            (self.tr("Lĩnh vực"), p.field.name),
            (self.tr("Cấp thực hiện"), ", ".join(LEVELS.get(v, v) for v in p.levels) or unknown),
            (self.tr("Mức độ trực tuyến"), p.online_level or unknown),
        ]
        if p.edition is not None:
            facts.append(
                (
                    self.tr("Ấn bản"),
                    f"{p.edition.number} ({p.edition.source_format}, "
                    f"{p.edition.imported_at:%d/%m/%Y})",
                )
            )
        parts.append("<table cellspacing='0' cellpadding='2'>")
        for label, value in facts:
            parts.append(f"<tr><td><b>{escape(label)}:</b></td><td>{escape(value)}</td></tr>")
        parts.append("</table>")

        parts.append(_heading(self.tr("Thành phần hồ sơ")))
        if p.components:
            parts.append("<ol>")
            parts.extend(f"<li>{self._component(c)}</li>" for c in p.components)
            parts.append("</ol>")
        else:
            parts.append(f"<p>{escape(unknown)}</p>")

        if p.cases:
            parts.append(_heading(self.tr("Trường hợp (chọn một khi lập hồ sơ)")))
            parts.append(self._list([f"{c.code}. {c.name}" for c in p.cases]))

        parts.append(_heading(self.tr("Cách thức nộp, thời gian và phí")))
        if p.channels:
            parts.append("<ul>")
            parts.extend(f"<li>{self._channel(ch)}</li>" for ch in p.channels)
            parts.append("</ul>")
        else:
            parts.append(f"<p>{escape(unknown)}</p>")

        if p.conditions:
            parts.append(_heading(self.tr("Điều kiện")) + f"<p>{escape(p.conditions)}</p>")
        parts.append(_heading(self.tr("Kết quả")))
        parts.append(self._list(p.results) if p.results else f"<p>{escape(unknown)}</p>")
        parts.append(_heading(self.tr("Căn cứ pháp lý")))
        laws = [" — ".join(x for x in (b.number, b.title) if x) for b in p.legal_basis]
        parts.append(self._list(laws) if laws else f"<p>{escape(unknown)}</p>")
        return "".join(parts)

    def _component(self, c: ComponentSpec) -> str:
        text = escape(c.name)
        if not c.attachable:
            return f"<span style='color:#5f6368'>{escape(self.tr('(ghi chú)'))} {text}</span>"
        if c.required:
            text = f"<b>{text}</b> <span style='color:#b00020'>*</span>"
        details = []
        if c.originals:
            details.append(self.tr("%n bản chính", "", c.originals))
        if c.copies:
            details.append(self.tr("%n bản sao", "", c.copies))
        if c.required is False:
            details.append(self.tr("không bắt buộc"))
        elif c.required is None:
            details.append(self.tr("cần kiểm tra"))
        if c.templates:
            details.append(self.tr("mẫu: %1").replace("%1", ", ".join(t.name for t in c.templates)))
        if c.case:
            details.append(self.tr("trường hợp: {case}").format(case=c.case))
        if details:
            text += f" <span style='color:#555'>({escape('; '.join(details))})</span>"
        if c.template:
            label = escape(self.tr("Mẫu đơn, tờ khai"))
            if c.template.startswith(("http://", "https://")):
                text += f" — <a href='{escape(c.template, quote=True)}'>{label}</a>"
            else:
                text += f" — {label}: {escape(c.template)}"
        return text

    def _channel(self, ch: Channel) -> str:
        name = CHANNEL_LABELS.get(ch.kind, ch.kind)
        if ch.time is not None and (ch.time.unit not in ("working_day", "day")):
            time = self._time(ch.time)
        elif ch.processing_days is None:
            time = self.tr("thời gian giải quyết không rõ")
        elif ch.day_type == "working":
            time = self.tr("%n ngày làm việc", "", ch.processing_days)
        elif ch.day_type == "calendar":
            time = self.tr("%n ngày", "", ch.processing_days)
        else:
            time = self.tr("%n ngày (không rõ loại ngày)", "", ch.processing_days)
        if ch.fees:
            fees = "; ".join(self._fee(f) for f in ch.fees)
        elif ch.fees_known:
            fees = self.tr("không có phí, lệ phí")
        else:
            fees = self.tr("phí, lệ phí không rõ")
        text = f"<b>{escape(name)}</b>: {escape(time)}; {escape(fees)}"
        if ch.note:
            text += f" <span style='color:#555'>({escape(ch.note)})</span>"
        return text

    def _time(self, time: ProcessingTime) -> str:
        value = int(time.value) if time.value is not None else None
        if value is not None and time.unit == "hour":
            return self.tr("%n giờ", "", value)
        if value is not None and time.unit == "month":
            return self.tr("%n tháng", "", value)
        return time.text or self.tr("theo quy định (nguồn không ghi số)")

    def _fee(self, fee: Fee) -> str:
        kind = self.tr("Lệ phí") if fee.kind == "le_phi" else self.tr("Phí")
        amount = format_amount(fee)
        if amount is None:
            amount = self.tr("theo quy định") if fee.description else self.tr("không rõ")
        text = f"{kind} {amount}"
        if fee.note:
            text += f" ({fee.note})"
        return f"{text}: {fee.description}" if fee.description else text

    @staticmethod
    def _list(items: tuple[str, ...] | list[str]) -> str:
        return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def _heading(text: str) -> str:
    return f"<h4>{escape(text)}</h4>"
