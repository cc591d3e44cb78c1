"""Power cuts: what survives is only what was fsynced (recorded by an LD_PRELOAD shim).

The workload (attach files, submit) runs in a child process under `powercut/durable.c`;
after every commit the durable state is snapshotted. Restoring a snapshot and opening the
workspace (SQLite WAL recovery, orphan collection) must show every dossier the user had
seen as queued, with its outbox row and intact files. The same check must fail when
SQLite runs with synchronous=NORMAL or when the attachment store does not fsync: that
shows the test can see the loss it guards against.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.paths import Paths
from desktop.storage import models
from desktop.storage.outbox_models import OutboxItem
from desktop.workspace import Workspace

HERE = Path(__file__).parent / "powercut"
REPO = Path(__file__).parents[3]

Seen = list[tuple[int, int, list[str]]]


@pytest.fixture(scope="module")
def shim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("shim") / "durable.so"
    subprocess.run(
        ["gcc", "-shared", "-fPIC", "-O2", "-o", str(out), str(HERE / "durable.c"), "-ldl"],
        check=True,
    )
    return out


def _workload(shim: Path, folder: Path, mode: str, count: int) -> tuple[Path, Path, Seen]:
    root = folder / "data"
    ws = Workspace(Paths(root))
    ws.catalog.ensure_bundled()
    ws.close()
    real_root = Path(os.path.realpath(root))
    shadow, snapshots, log = folder / "shadow", folder / "snapshots", folder / "seen.log"
    env = dict(
        os.environ,
        LD_PRELOAD=str(shim),
        DURABLE_ROOT=str(real_root),
        DURABLE_SHADOW=str(shadow),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    subprocess.run(
        [sys.executable, "-m", "tests.core.sync.powercut.workload", str(root), str(shadow),
         str(snapshots), str(log), mode, str(count)],
        env=env, cwd=REPO, check=True, timeout=240,
    )  # fmt: skip
    seen: Seen = []
    for line in log.read_text(encoding="utf-8").splitlines():
        index, dossier_id, shas = line.split("\t")
        seen.append((int(index), int(dossier_id), shas.split(",")))
    return real_root, snapshots, seen


def _materialize(snapshot: Path, real_root: Path, target: Path) -> None:
    """The files a power cut right after this snapshot's commit would leave."""
    manifests = {
        item.name.replace("%", "/"): item.read_text().splitlines()
        for item in (snapshot / "dir").iterdir()
    }

    def walk(folder: str, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        for line in manifests.get(folder, []):
            name, ino, kind = line.split("\t")
            if kind == "d":
                walk(f"{folder}/{name}", out / name)
                continue
            content = snapshot / "ino" / ino
            if content.exists():
                shutil.copyfile(content, out / name)
            else:
                (out / name).write_bytes(b"")  # the name is durable, its data is not

    walk(str(real_root), target)


def _lost(snapshot_index: int, target: Path, seen: Seen) -> list[str]:
    """What the user had seen as queued at this snapshot and is not there after recovery."""
    problems: list[str] = []
    ws = Workspace(Paths(target))
    try:
        store = ws.store  # collects orphans, as at every start
        with ws.db.session() as session:
            for index, dossier_id, shas in seen:
                if index > snapshot_index:
                    continue
                row = session.get(models.Dossier, dossier_id)
                item = session.scalars(
                    select(OutboxItem).where(OutboxItem.dossier_id == dossier_id)
                ).first()
                if row is None or row.state != "QUEUED" or item is None:
                    problems.append(f"dossier {dossier_id} lost from the queue")
                    continue
                for sha in shas:
                    path = store.path(sha)
                    if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
                        problems.append(f"dossier {dossier_id}: file {sha[:12]} lost or damaged")
    finally:
        ws.close()
    return problems


def _restore_random(
    real_root: Path, snapshots: Path, seen: Seen, folder: Path, rounds: int, seed: int
) -> tuple[int, list[str]]:
    rng = random.Random(seed)
    count = len(list(snapshots.iterdir()))
    problems: list[str] = []
    for round_ in range(rounds):
        index = rng.randrange(count)
        target = folder / f"restore-{round_}"
        _materialize(snapshots / str(index), real_root, target)
        problems += _lost(index, target, seen)
        shutil.rmtree(target)
        if problems:
            break
    return count, problems


def test_nothing_seen_as_queued_is_lost_at_any_of_500_power_cuts(
    shim: Path, tmp_path: Path
) -> None:
    real_root, snapshots, seen = _workload(shim, tmp_path / "full", "full", 6)
    assert len(seen) == 6
    count, problems = _restore_random(real_root, snapshots, seen, tmp_path, 500, seed=1)
    print(f"\npower cuts: {count} commit snapshots, 500 restored, {len(problems)} losses")
    assert count > 40
    assert problems == []


@pytest.mark.parametrize("mode", ["normal", "nofsync"])
def test_the_same_check_catches_synchronous_normal_and_a_missing_attachment_fsync(
    shim: Path, tmp_path: Path, mode: str
) -> None:
    real_root, snapshots, seen = _workload(shim, tmp_path / mode, mode, 3)
    last = len(list(snapshots.iterdir())) - 1
    target = tmp_path / "restore"
    _materialize(snapshots / str(last), real_root, target)
    assert _lost(last, target, seen), f"{mode}: a power cut must lose something"
