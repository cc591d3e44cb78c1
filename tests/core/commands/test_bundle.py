"""`dvc-desk bundle ...`: refusals say what is wrong and what to do; inspect, take-back."""

from __future__ import annotations

import json
from pathlib import Path

from desktop import errors
from desktop.bundles.errors import E_NOTHING_SELECTED
from tests.core.bundles.helpers import Pair, bundle_pki, pair

__all__ = ["bundle_pki", "pair"]


def test_refusals_name_the_problem(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = str(tmp_path / "x.dvcb")
    bad_ids = run_cli("bundle", "export", "--dossiers", "12,abc", "-o", out)
    assert bad_ids.code == 1 and "không phải danh sách số hồ sơ" in bad_ids.err
    nothing = run_cli("bundle", "export", "--state", "SIGNED", "-o", out)
    assert nothing.code == 1 and "Không có hồ sơ nào để chuyển" in nothing.err
    size = run_cli("bundle", "export", "--state", "SIGNED", "-o", out, "--part-size", "10K")
    assert size.code == 1 and "4G, 700M" in size.err
    missing = run_cli("bundle", "import", str(tmp_path / "khong-co.dvcb"))
    assert missing.code == 1 and "Không tìm thấy tệp gói" in missing.err
    usage = run_cli("bundle", "export", "-o", out)
    assert usage.code == 2


def test_english_messages(run_cli) -> None:  # type: ignore[no-untyped-def]
    errors.set_language("en")
    assert errors.render(E_NOTHING_SELECTED, {}).startswith("No dossier to transfer")


def test_inspect_and_take_back_from_the_command_line(pair: Pair, run_cli) -> None:  # type: ignore[no-untyped-def]
    ids = pair.ready_dossiers(1)
    bundle = pair.export(ids)
    office = pair.office.paths.root
    shown = run_cli("bundle", "inspect", str(bundle), "--json", data=office)
    assert shown.code == 0, shown.err
    preview = json.loads(shown.out)
    assert preview["dossiers"] == 1 and preview["signer"] == "NGUYỄN VĂN A"
    assert preview["trusted"] is False and preview["fingerprint"] == pair.fingerprint()
    commune = pair.commune.paths.root
    back = run_cli("bundle", "take-back", str(ids[0]), "--reason", "có mạng", data=commune)
    assert back.code == 0, back.err
    assert pair.commune.dossiers.get(ids[0]).state == "READY"
    again = run_cli("bundle", "take-back", str(ids[0]), data=commune)
    assert again.code == 1 and "không cần lấy lại" in again.err
