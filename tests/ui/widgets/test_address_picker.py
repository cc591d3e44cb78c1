"""ui/widgets/address_picker.py: province, then commune, keyboard only, old addresses."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.dossier.model import Address, Delivery
from ui.widgets.address_picker import AddressPicker
from ui.widgets.delivery_form import DeliveryForm
from ui.widgets.old_address_dialog import OldAddressDialog


@pytest.fixture
def picker(qtbot) -> Iterator[tuple[AddressPicker, list[tuple[str, str]]]]:
    widget = AddressPicker()
    qtbot.addWidget(widget)
    widget.resize(900, 40)
    widget.show()
    edits: list[tuple[str, str]] = []
    widget.sig_part_edited.connect(lambda part, value: edits.append((part, value)))
    yield widget, edits


def chosen(edits: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The edits that carry a unit code (what choosing sends)."""
    return [(part, value) for part, value in edits if value.isdigit()]


def test_province_then_commune_by_keyboard_without_diacritics(qtbot, picker) -> None:  # type: ignore[no-untyped-def]
    widget, edits = picker
    widget.province_box.setFocus()
    qtbot.keyClicks(widget.province_box, "quang ngai")
    assert widget.province_box.suggestions()[0] == "Quảng Ngãi"
    qtbot.keyClick(widget.province_box, Qt.Key.Key_Return)
    assert widget.province_box.text() == "Quảng Ngãi"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget.commune_box, timeout=2000)
    qtbot.keyClicks(widget.commune_box, "cam thanh")
    assert widget.commune_box.suggestions() == ["Phường Cẩm Thành"]
    qtbot.keyClick(widget.commune_box, Qt.Key.Key_Return)
    assert widget.commune_box.text() == "Phường Cẩm Thành"
    assert chosen(edits) == [("province", "51"), ("commune", "21025")]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget.detail_edit, timeout=2000)


def test_a_former_province_name_finds_the_province_in_force(qtbot, picker) -> None:  # type: ignore[no-untyped-def]
    widget, edits = picker
    widget.province_box.setFocus()
    qtbot.keyClicks(widget.province_box, "kon tum")
    assert widget.province_box.suggestions() == ["Quảng Ngãi"]
    qtbot.keyClick(widget.province_box, Qt.Key.Key_Return)
    assert chosen(edits) == [("province", "51")]


def test_a_former_communes_name_suggests_the_unit_it_went_into(qtbot, picker) -> None:  # type: ignore[no-untyped-def]
    widget, edits = picker
    widget.set_address(Address("Quảng Ngãi", "", "", "51", ""))
    widget.commune_box.setFocus()
    qtbot.keyClicks(widget.commune_box, "ya xier")
    assert widget.commune_box.suggestions() == ["Xã Ya Ly (gồm Xã Ya Xiêr cũ)"]
    qtbot.keyClick(widget.commune_box, Qt.Key.Key_Return)
    assert widget.commune_box.text() == "Xã Ya Ly"
    assert chosen(edits) == [("commune", "23548")]
    widget.commune_box.clear()
    qtbot.keyClicks(widget.commune_box, "dak la")
    assert "Xã Đăk Hà (gồm Xã Đắk La cũ)" in widget.commune_box.suggestions()
    widget.set_address(Address("Hà Nội", "", "", "01", ""))
    widget.commune_box.clear()
    qtbot.keyClicks(widget.commune_box, "kim ma")  # split between three wards
    assert widget.commune_box.suggestions() == [
        "Phường Ba Đình (một phần Phường Kim Mã cũ)",
        "Phường Ngọc Hà (một phần Phường Kim Mã cũ)",
        "Phường Giảng Võ (một phần Phường Kim Mã cũ)",
    ]


def test_down_arrow_browses_the_communes_of_the_province(qtbot, picker) -> None:  # type: ignore[no-untyped-def]
    widget, edits = picker
    widget.set_address(Address("Quảng Ngãi", "", "", "51", ""))
    widget.commune_box.setFocus()
    qtbot.keyClick(widget.commune_box, Qt.Key.Key_Down)
    assert len(widget.commune_box.suggestions()) == 96
    assert widget.commune_box.popup_visible()
    popup = widget.commune_box.completer_.popup()
    assert popup is not None
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    second = widget.commune_box.suggestions()[1]
    assert widget.commune_box.text() == second
    assert chosen(edits)[-1][0] == "commune"


def test_a_commune_typed_without_a_province_sets_both(qtbot, picker) -> None:  # type: ignore[no-untyped-def]
    widget, edits = picker
    widget.commune_box.setFocus()
    qtbot.keyClicks(widget.commune_box, "dak pxi")
    assert widget.commune_box.suggestions() == ["Xã Đăk Pxi, Quảng Ngãi"]
    qtbot.keyClick(widget.commune_box, Qt.Key.Key_Return)
    assert chosen(edits) == [("province", "51"), ("commune", "23504")]
    assert widget.province_box.text() == "Quảng Ngãi"


def test_the_box_being_typed_in_keeps_the_clerks_text(qtbot, picker) -> None:  # type: ignore[no-untyped-def]
    widget, _edits = picker
    widget.commune_box.setFocus()
    qtbot.keyClicks(widget.commune_box, "cam th")
    widget.set_address(Address("Quảng Ngãi", "Phường Cẩm Thành", "12", "51", "21025"))
    assert widget.commune_box.text() == "cam th"
    assert widget.detail_edit.text() == "12"


def test_old_address_resolved_exactly_fills_the_picker(qtbot, picker) -> None:  # type: ignore[no-untyped-def]
    widget, edits = picker
    dialog = OldAddressDialog(widget)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.text_edit.setFocus()
    qtbot.keyClicks(dialog.text_edit, "thon 5, xa dak pxi, huyen dak ha, tinh kon tum")
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return)
    assert dialog.chosen is not None and dialog.chosen.code == "23504"
    assert "Xã Đắk PXi (Tỉnh Kon Tum cũ) đã nhập vào Xã Đăk Pxi" in dialog.reason_label.text()
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return)
    assert dialog.result() == OldAddressDialog.DialogCode.Accepted
    assert widget.convert_old_address(dialog)
    assert chosen(edits) == [("province", "51"), ("commune", "23504")]
    assert ("detail", "thon 5") in edits
    assert widget.commune_box.text() == "Xã Đăk Pxi"


def test_a_split_old_commune_asks_with_a_reason_and_candidates(qtbot, picker) -> None:  # type: ignore[no-untyped-def]
    widget, edits = picker
    dialog = OldAddressDialog(widget)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.text_edit.setFocus()
    qtbot.keyClicks(dialog.text_edit, "phuong ngoc ha, quan ba dinh, ha noi")
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return)
    assert dialog.chosen is None and not dialog.ok_button.isEnabled()
    assert "đã được chia cho 2 đơn vị mới" in dialog.reason_label.text()
    assert dialog.candidates.count() == 2
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.candidates, timeout=2000)
    qtbot.keyClick(dialog.candidates, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.candidates, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.candidates, Qt.Key.Key_Return)
    assert dialog.chosen is not None and dialog.chosen.code == "00008"
    assert widget.convert_old_address(dialog)
    assert chosen(edits) == [("province", "01"), ("commune", "00008")]


def test_the_delivery_form_uses_the_same_picker(qtbot) -> None:  # type: ignore[no-untyped-def]
    form = DeliveryForm()
    qtbot.addWidget(form)
    form.show()
    form.set_delivery(Delivery(return_by_post=True))
    edits: list[tuple[str, str]] = []
    form.sig_field_edited.connect(lambda key, value: edits.append((key, value)))
    picker = form.pickers["return_address"]
    assert picker.isEnabled()
    picker.province_box.setFocus()
    qtbot.keyClicks(picker.province_box, "tp hcm")
    qtbot.keyClick(picker.province_box, Qt.Key.Key_Return)
    assert picker.province_box.text() == "Hồ Chí Minh"
    qtbot.keyClicks(picker.commune_box, "sai gon")
    qtbot.keyClick(picker.commune_box, Qt.Key.Key_Return)
    assert [e for e in edits if e[1].isdigit()] == [
        ("delivery.return_address.province", "79"),
        ("delivery.return_address.commune", "26740"),
    ]
