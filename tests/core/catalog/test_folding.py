import unicodedata

import pytest

from desktop.catalog.folding import expansions, fold, initialisms, words


def test_d_with_stroke_folds_to_d_in_both_cases() -> None:
    assert fold("Đăng ký được đổi") == "dang ky duoc doi"
    assert fold("ĐIỀU CHỈNH") == "dieu chinh"
    # The Icelandic eth is what some keyboards produce instead of Đ.
    assert fold("Ðiều") == "dieu"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a à á ả ã ạ", "a a a a a a"),
        ("ă ằ ắ ẳ ẵ ặ", "a a a a a a"),
        ("â ầ ấ ẩ ẫ ậ", "a a a a a a"),
        ("e è é ẻ ẽ ẹ ê ề ế ể ễ ệ", "e e e e e e e e e e e e"),
        ("i ì í ỉ ĩ ị", "i i i i i i"),
        ("o ò ó ỏ õ ọ ô ồ ố ổ ỗ ộ ơ ờ ớ ở ỡ ợ", " ".join(["o"] * 18)),
        ("u ù ú ủ ũ ụ ư ừ ứ ử ữ ự", " ".join(["u"] * 12)),
        ("y ỳ ý ỷ ỹ ỵ", "y y y y y y"),
        ("Ỹ Ự Ở Ẫ", "y u o a"),
    ],
)
def test_every_tone_and_vowel_mark_is_removed(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_nfc_and_nfd_input_fold_alike() -> None:
    name = "Cấp Chứng chỉ hành nghề dược"
    nfd = unicodedata.normalize("NFD", name)
    assert nfd != name
    assert fold(nfd) == fold(name) == "cap chung chi hanh nghe duoc"


def test_punctuation_becomes_single_spaces_and_case_is_lowered() -> None:
    assert fold("  KB,CB (bác sỹ)… 1.002600\tGCN/ĐKKD ") == "kb cb bac sy 1 002600 gcn dkkd"
    assert words("Cấp lại, điều chỉnh") == ["cap", "lai", "dieu", "chinh"]


def test_initialisms_cover_runs_of_consecutive_words() -> None:
    found = initialisms("Cấp Chứng chỉ hành nghề dược")
    assert "cchn" in found  # chứng chỉ hành nghề
    assert "cchnd" in found  # … dược
    assert "ccchn" in found  # cấp chứng chỉ hành nghề
    assert "hn" in found
    assert len(found) == len(set(found))
    assert all(len(i) >= 2 for i in found)
    # Only consecutive words: "c" of cấp followed by "d" of dược is not a run.
    assert "cd" not in found


def test_abbreviations_in_names_are_expanded() -> None:
    assert expansions("Cấp lại GCN đủ điều kiện") == ["giay chung nhan"]
    assert expansions("Cấp CCHN dược") == ["chung chi hanh nghe"]
    assert expansions("Không viết tắt") == []
