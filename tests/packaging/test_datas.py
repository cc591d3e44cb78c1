"""packaging/datas.py and packaging/dvc-desk.spec: the frozen app gets every file it reads.

Fast checks, always run: the spec is executed with stand-ins for PyInstaller's build
steps, and what it hands to `Analysis` is compared with the tree and with the paths the
app opens at run time.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "dvc-desk.spec"


class _Recorder:
    """Stands in for one of PyInstaller's build steps and keeps what it was given."""

    def __init__(self, calls: dict[str, list[Any]], name: str) -> None:
        self.calls, self.name = calls, name

    def __call__(self, *args: Any, **kwargs: Any) -> SimpleNamespace:
        self.calls.setdefault(self.name, []).append((args, kwargs))
        return SimpleNamespace(
            binaries=[("libQt6Core.so.6", "/x", "BINARY"), ("libQt6Quick.so.6", "/y", "BINARY")],
            datas=[*kwargs.get("datas", []), ("libQt6Qml.so.6", "/z", "SYMLINK")],
            pure=[],
            scripts=[],
        )


def _run_spec(project: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Execute the spec as PyInstaller would, on `project`; what each step received."""
    hooks = ModuleType("PyInstaller.utils.hooks")
    collected: list[str] = []
    hooks.collect_data_files = lambda package: collected.append(package) or []  # type: ignore[attr-defined]
    for name in ("PyInstaller", "PyInstaller.utils"):
        monkeypatch.setitem(sys.modules, name, ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    calls: dict[str, list[Any]] = {}
    namespace: dict[str, Any] = {
        "SPECPATH": str(project / "packaging"),
        **{step: _Recorder(calls, step) for step in ("Analysis", "PYZ", "EXE", "COLLECT")},
    }
    spec_file = project / "packaging" / "dvc-desk.spec"
    exec(compile(spec_file.read_text(encoding="utf-8"), str(spec_file), "exec"), namespace)
    return {"calls": calls, "collected": collected, "namespace": namespace}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of what the spec reads, with the translations built (as `make package` does)."""
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in ("packaging", "resources", "desktop", "ui", "portal_sandbox"):
        shutil.copytree(ROOT / part, copy / part, ignore=ignore)
    for ts in (copy / "resources" / "translations").glob("*.ts"):
        ts.with_suffix(".qm").write_bytes(b"built by make")
    return copy


def _bundled(datas: list[tuple[str, str]], project: Path) -> set[Path]:
    """Where each data file lands inside the bundle, relative to the bundle's root."""
    return {Path(dest) / Path(source).name for source, dest in datas}


def test_every_resource_and_migration_is_in_the_spec_data_list(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _run_spec(project, monkeypatch)
    ((args, kwargs),) = run["calls"]["Analysis"]
    bundled = _bundled(kwargs["datas"], project)
    on_disk = {
        path.relative_to(project)
        for tree in ("resources", "desktop/storage/migrations")
        for path in (project / tree).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    # A Qt Linguist source is shipped as the .qm built from it.
    expected = {p.with_suffix(".qm") if p.suffix == ".ts" else p for p in on_disk}
    assert expected - bundled == set()
    assert Path("resources/translations/dvc_desk_en.qm") in bundled
    assert Path("desktop/storage/migrations/versions/0001_first_schema.py") in bundled
    assert Path("resources/fonts/DvcStampSerif-Regular.ttf") in bundled
    # pyHanko's certificates come from PyInstaller's own collector.
    assert {"pyhanko", "pyhanko_certvalidator"} <= set(run["collected"])
    assert args[0][0].endswith("launcher.py")


def test_a_new_resource_is_bundled_without_editing_the_spec(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "resources" / "stamps").mkdir(exist_ok=True)
    (project / "resources" / "stamps" / "seal.png").write_bytes(b"\x89PNG")
    (project / "desktop/storage/migrations/versions/0099_later.py").write_text("# later\n")
    run = _run_spec(project, monkeypatch)
    ((_args, kwargs),) = run["calls"]["Analysis"]
    bundled = _bundled(kwargs["datas"], project)
    assert Path("resources/stamps/seal.png") in bundled
    assert Path("desktop/storage/migrations/versions/0099_later.py") in bundled


def test_every_app_module_is_a_hidden_import_but_not_the_migrations(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _run_spec(project, monkeypatch)
    ((_args, kwargs),) = run["calls"]["Analysis"]
    hidden = set(kwargs["hiddenimports"])
    # Loaded by name: the command modules (desktop/commands/index.py) and the GUI.
    from desktop.commands.index import COMMAND_MODULES

    assert set(COMMAND_MODULES) <= hidden
    assert {"ui.app", "desktop.dossier.search", "portal_sandbox.app"} <= hidden
    assert not [m for m in hidden if "migrations" in m], "env.py would run a migration"


def test_two_executables_share_one_folder_and_unused_qt_quick_is_dropped(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _run_spec(project, monkeypatch)
    exes = {kw["name"]: kw["console"] for _a, kw in run["calls"]["EXE"]}
    assert exes == {"dvc-desk": True, "dvc-desk-app": False}
    ((collect_args, collect_kwargs),) = run["calls"]["COLLECT"]
    assert collect_kwargs["name"] == "dvc-desk"
    names = [entry[0] for group in collect_args if isinstance(group, list) for entry in group]
    assert "libQt6Core.so.6" in names
    assert "libQt6Quick.so.6" not in names and "libQt6Qml.so.6" not in names


def test_the_spec_refuses_to_build_without_the_translations(
    project: Path, monkeypatch: pytest.MonkeyPatch, datas_helper: ModuleType
) -> None:
    for qm in (project / "resources" / "translations").glob("*.qm"):
        qm.unlink()
    with pytest.raises(datas_helper.MissingBuiltFileError, match=r"dvc_desk_en\.qm"):
        datas_helper.pyinstaller_datas(project)
    assert datas_helper.missing_built_files(project) == [
        Path("resources/translations/dvc_desk_en.qm")
    ]


def test_the_files_the_app_opens_are_all_in_the_list(datas_helper: ModuleType) -> None:
    """The path constants of the app, relative to the project root, are all shipped."""
    from desktop.catalog import resources
    from desktop.dossier import admin_units
    from desktop.signing import fonts
    from desktop.storage import db
    from portal_sandbox import catalog as sandbox_catalog

    shipped = set(datas_helper.runtime_files(ROOT))
    opened = [
        resources.SCHEMA_PATH,
        resources.BUNDLED_CATALOG,
        admin_units.DATA_FILE,
        admin_units.DATA_FILE.with_name("LICENSE"),
        admin_units.DATA_FILE.with_name("SOURCE"),
        sandbox_catalog.BUNDLED_CATALOG,
        fonts.STAMP_FONT,
        db.MIGRATIONS / "env.py",
        db.MIGRATIONS / "script.py.mako",
        *sorted((db.MIGRATIONS / "versions").glob("*.py")),
        ROOT / "resources" / "translations" / "dvc_desk_en.qm",
        *(ROOT / "resources" / "icons" / f"{n}.svg" for n in ("dvc-desk", "catalog")),
    ]
    assert [p for p in opened if p.resolve().relative_to(ROOT) not in shipped] == []


def test_the_helper_runs_as_a_plain_script_outside_the_project() -> None:
    """The spec loads datas.py by path; it must not depend on the project being importable."""
    code = (
        "import importlib.util, sys; from pathlib import Path; "
        f"s = importlib.util.spec_from_file_location('d', {str(ROOT / 'packaging/datas.py')!r}); "
        "m = importlib.util.module_from_spec(s); s.loader.exec_module(m); "
        f"print(len(m.runtime_files(Path({str(ROOT)!r}))))"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", code], capture_output=True, text=True, check=True, cwd="/"
    )
    assert int(result.stdout) >= 15
