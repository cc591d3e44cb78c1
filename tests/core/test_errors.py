from __future__ import annotations

import pytest

from desktop import errors
from desktop.errors import UserError, define, render

E_TEST = define("test.sample", vi="Tệp {name} quá lớn.", en="File {name} is too large.")


def test_message_is_rendered_in_the_chosen_language() -> None:
    error = UserError(E_TEST, name="a.pdf")
    assert error.message() == "Tệp a.pdf quá lớn."
    assert error.message("en") == "File a.pdf is too large."
    errors.set_language("en")
    assert str(error) == "File a.pdf is too large."


def test_as_dict_keeps_code_and_params_for_json_output() -> None:
    data = UserError(E_TEST, name="a.pdf").as_dict()
    assert data == {
        "code": "test.sample",
        "params": {"name": "a.pdf"},
        "message": "Tệp a.pdf quá lớn.",
    }


def test_unknown_code_still_renders_something_useful() -> None:
    assert render("nope.unknown", {"x": 1}) == "nope.unknown (x=1)"


def test_a_code_cannot_be_declared_twice_with_other_text() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        define("test.sample", vi="khác", en="other")


def test_every_declared_code_has_both_languages() -> None:
    import desktop.storage.db  # noqa: F401  (declares its codes)

    for code, template in errors.known_codes().items():
        assert template.vi.strip() and template.en.strip(), code
