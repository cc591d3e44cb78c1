"""The folded text stored per dossier and how typed queries are read."""

from __future__ import annotations

from desktop.dossier.search import Term, document, fts_query, parse


def test_document_is_folded_and_holds_every_searched_field() -> None:
    text = document(
        {"name": "Nguyễn Văn An", "id_number": "079123456789", "phone": "024 3823 4567"},
        {"name": "ĐỖ ĐỨC Hòa", "email": "hoa@example.vn"},
        "H12.34-260115-0042",
        "Đăng ký khai sinh",
    )
    words = text.split()
    for expected in ("nguyen", "van", "an", "079123456789", "02438234567", "do", "duc"):
        assert expected in words
    assert "dang ky khai sinh" in text and "h12 34 260115 0042" in text
    assert "hoa@example" not in text and "example" not in words  # e-mail is not searched
    assert text.isascii() and text == text.lower()


def test_document_of_an_empty_dossier_is_empty() -> None:
    assert document({}, None, None, None) == ""


def test_words_are_folded_and_each_one_is_a_term() -> None:
    assert parse("  NGUYỄN   văn a ") == [Term(("nguyen",)), Term(("van",)), Term(("a",))]
    assert parse("Đ") == [Term(("d",))]
    assert parse("") == [] and parse(None) == [] and parse(" -- ") == []


def test_numbers_typed_in_groups_are_one_number() -> None:
    (phone,) = parse("+84 912.345.678")
    assert "0912345678" in phone.phrases and phone.matches_text
    (grouped,) = parse("0791 2345 6789")
    assert grouped.phrases[0] == "079123456789"


def test_short_numbers_only_find_a_dossier_number() -> None:
    (short,) = parse("42")
    assert short.number == 42 and not short.matches_text
    (leading_zero,) = parse("0791")
    assert leading_zero.number is None and leading_zero.matches_text
    (zero_short,) = parse("05")
    assert zero_short.number is None and not zero_short.matches_text


def test_receipt_numbers_keep_their_word_order() -> None:
    (receipt,) = parse("H12.34-260115-0042")
    assert receipt.phrases == ("h12 34 260115 0042",)
    assert fts_query(parse("nguyen 000-260115")) == '"nguyen"* AND "000 260115"*'
    # Digits alone may be a receipt number or a phone typed with dashes.
    assert fts_query(parse("000-260115-0042")) == '("0002601150042"* OR "000 260115 0042"*)'
