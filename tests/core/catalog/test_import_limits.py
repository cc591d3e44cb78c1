"""`catalog import` of a file wrong everywhere stops collecting after 1,000 problems
(and says how many more); a FIFO or a device is refused instead of read."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from desktop.catalog.problems import MAX_PROBLEMS


def test_a_million_schema_errors_stop_at_the_first_thousand(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "wrong.json"
    count = 300_000
    data = {"format_version": 1, "agencies": [1] * count, "fields": [], "procedures": []}
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("catalog", "import", str(path), "--json")
    assert result.code == 1
    error = json.loads(result.out)["error"]
    items = error["params"]["items"]
    assert len(items) == MAX_PROBLEMS  # the rest only counted
    assert int(error["params"]["count"]) == 101_000  # 1,000 kept + 100,000 counted, then stop
    text = run_cli("catalog", "import", str(path))
    assert "(+100" in text.err  # "… (+N)": how many more than the lines listed


@pytest.mark.timeout(30)
def test_a_fifo_is_refused_not_waited_for(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / "catalog.json"
    os.mkfifo(fifo)
    result = run_cli("catalog", "import", str(fifo))
    assert result.code == 1
    assert "không phải tệp thường" in result.err


@pytest.mark.timeout(30)
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("catalog", "import", "/dev/zero")
    assert result.code == 1
    assert "không phải tệp thường" in result.err
