"""Transfer bundle benchmark: export and import of 50 dossiers with 1 GB of scans.

Each side is timed as a whole `dvc-desk` process launched from a shell (start-up, the
database, signing the manifest and fsyncs included), its peak memory read from that
process's own rusage (os.wait4). The floor is what a clerk's shell would do with the
same bytes: `cp` them and `sha256sum` them, plus `sync` of the copies. Goals: each side
≤ 1.5 × the floor, peak memory ≤ 150 MB.

    python bench/bench_bundle.py [--dossiers 50] [--mb-each 20] [--repeat 2]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._record import record  # noqa: E402

PASSWORD = "mật khẩu 1"


def scan_pdf(noise: bytes, tag: str) -> bytes:
    """A real PDF carrying `noise` (does not compress), distinct by `tag`."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    stream = DecodedStreamObject()
    stream.set_data(b"% " + tag.encode() + b"\n" + noise)
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def prepare(folder: Path, dossiers: int, mb_each: int) -> tuple[Path, list[int], Path, str]:
    """A commune data dir with `dossiers` READY dossiers, each with one big scan."""
    from desktop.paths import Paths
    from desktop.signing.pkcs12 import load_p12
    from desktop.workspace import Workspace
    from tests.core.signing.signing_helpers import build_pki
    from tests.core.sync.factory import valid_dossier

    pki = build_pki(folder / "pki")
    commune = folder / "commune"
    ws = Workspace(Paths(commune))
    noise = random.Random(1).randbytes(mb_each * 1024 * 1024)
    ids = []
    for index in range(dossiers):
        dossier = valid_dossier(ws, folder / "files", f"b{index}")
        scan = folder / "files" / f"scan{index}.pdf"
        scan.write_bytes(scan_pdf(noise, f"scan {index}"))
        ws.dossiers.attach(dossier.id, dossier.attachments[0].component_code, [scan])
        scan.unlink()
        ids.append(ws.dossiers.mark_ready(dossier.id).id)
    fingerprint = load_p12(pki.signer.p12, PASSWORD).info.sha256
    ws.close()
    return commune, ids, pki.signer.p12, fingerprint


# The peak memory of a command is read by a small launcher, not by this process: a child
# forked from a large process inherits its high-water mark (Linux keeps it across exec),
# so rusage seen from here would report this script's own peak.
LAUNCHER = (
    "import json, resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(['bash', '-c', sys.argv[1]]).returncode\n"
    "seconds = time.perf_counter() - start\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(json.dumps({'code': code, 'seconds': seconds, 'peak_kb': peak}), file=sys.stderr)\n"
)


def run(command: str, stdin: str = "") -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one shell command, as launched from a shell."""
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, command], input=stdin, text=True,
        stderr=subprocess.PIPE, cwd=ROOT, check=False,
    )  # fmt: skip
    lines = [line for line in done.stderr.splitlines() if line.startswith("{")]
    if not lines:
        raise SystemExit(f"no figures from: {command}\n{done.stderr}")
    result = json.loads(lines[-1])
    if result["code"] != 0:
        raise SystemExit(f"failed ({result['code']}): {command}\n{done.stderr}")
    return float(result["seconds"]), int(result["peak_kb"])


def blob_files(data: Path) -> list[Path]:
    return [p for p in (data / "blobs").rglob("*") if p.is_file()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=50)
    parser.add_argument("--mb-each", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    cli = f"{sys.executable} -m desktop.cli"
    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as temp:
        folder = Path(temp)
        print("preparing ...", flush=True)
        commune, ids, p12, fingerprint = prepare(folder, args.dossiers, args.mb_each)
        blobs = blob_files(commune)
        total = sum(p.stat().st_size for p in blobs)
        sources = " ".join(str(p) for p in blobs)
        floors, exports, imports = [], [], []
        for round_ in range(args.repeat):
            copy = folder / f"copy{round_}"
            copy.mkdir()
            floors.append(
                run(f"cp {sources} {copy}/ && sha256sum {copy}/* > /dev/null && sync {copy}/*")
            )
            shutil.rmtree(copy)
            # Export marks the dossiers handed over: take them back for the next round.
            out = folder / f"usb{round_}" / "xa.dvcb"
            out.parent.mkdir()
            exports.append(
                run(
                    f"{cli} --data-dir {commune} bundle export --dossiers "
                    f"{','.join(map(str, ids))} -o {out} --p12 {p12} --password-stdin --json "
                    "> /dev/null",
                    stdin=PASSWORD,
                )
            )
            office = folder / f"office{round_}"
            run(f"{cli} --data-dir {office} bundle id > /dev/null")  # its database exists
            imports.append(
                run(
                    f"{cli} --data-dir {office} bundle import {out} --trust-signer "
                    f"{fingerprint} > /dev/null"
                )
            )
            shutil.rmtree(office)
            shutil.rmtree(out.parent)
            if round_ + 1 < args.repeat:
                numbers = " ".join(map(str, ids))
                run(f"{cli} --data-dir {commune} bundle take-back {numbers} > /dev/null")
    floor = min(s for s, _ in floors)
    best_export, best_import = min(exports), min(imports)
    peak_export = max(k for _, k in exports) / 1024
    peak_import = max(k for _, k in imports) / 1024
    lines = [
        f"{args.dossiers} dossiers, {total / 2**30:.2f} GiB of scans "
        f"({args.mb_each} MiB each, one per dossier), best of {args.repeat}.",
        "",
        "| | seconds | × floor | peak memory |",
        "|---|---:|---:|---:|",
        f"| floor: `cp` + `sha256sum` + `sync` | {floor:.1f} | 1.00 | |",
        f"| `dvc-desk bundle export` | {best_export[0]:.1f} | {best_export[0] / floor:.2f} "
        f"| {peak_export:.0f} MB |",
        f"| `dvc-desk bundle import` | {best_import[0]:.1f} | {best_import[0] / floor:.2f} "
        f"| {peak_import:.0f} MB |",
        "",
        "Goals: each ≤ 1.5 × the floor, peak memory ≤ 150 MB. Times are whole processes "
        "started from a shell (Python start-up, database, manifest signature, fsyncs); "
        "peak memory is the process's own maximum RSS.",
    ]
    body = "\n".join(lines)
    print(body)
    record("bench_bundle", "Transfer bundles: 50 dossiers, 1 GB of scans", body)


if __name__ == "__main__":
    main()
