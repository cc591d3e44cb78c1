"""Shared by the packaging tests: the project root and packaging/datas.py loaded by path.

packaging/ is not a Python package (it would shadow PyPI's `packaging`), so its helper
is loaded from its file, as packaging/dvc-desk.spec does.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def load_datas_helper() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dvc_desk_datas", PACKAGING / "datas.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def datas_helper() -> ModuleType:
    return load_datas_helper()
