from desktop.catalog.problems import P_MISSING, Problem, format_path, invalid_catalog


def test_paths_read_like_the_file() -> None:
    assert format_path(["procedures", 3, "components", 1, "name"]) == (
        "procedures[3].components[1].name"
    )
    assert format_path([]) == "$"


def test_the_error_lists_the_first_fifty_problems_and_counts_all() -> None:
    problems = [Problem(f"procedures[{i}].name", P_MISSING) for i in range(60)]
    error = invalid_catalog("c.json", problems)
    message = error.message()
    assert "c.json có 60 lỗi nên KHÔNG có gì được nhập" in message
    assert "  - procedures[49].name: thiếu (bắt buộc phải có)" in message
    assert "procedures[50].name" not in message
    assert "(+10)" in message
    assert len(error.as_dict()["params"]["items"]) == 60
    assert error.exit_code == 1
