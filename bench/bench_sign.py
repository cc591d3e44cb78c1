"""Signing speed and memory: 1, 20, 200 MB scan-like PDFs, and batches of 100 × 1 MB.

Each size is signed in a child process (so its peak RSS is the signing's own), against
the SHA-256 of the same file in the same child with the same warm page cache. Goals
(issue 3): 200 MB signed in ≤ 3× the hash time, peak ≤ 100 MB, batch ≤ 100 ms per file
with a .p12 key and with a SoftHSM2 token.

    python bench/bench_sign.py [--sizes 1,20,200] [--batch 100] [--no-record]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "core" / "signing"))

MB = 1024 * 1024


def scan_jpeg(size: int = MB) -> tuple[bytes, int, int]:
    """A noisy grey A4 'scan' JPEG of about `size` bytes (random noise compresses badly)."""
    from PIL import Image

    width, height = 1240, 1754  # A4 at 150 dpi
    quality = 75
    while True:
        noise = Image.effect_noise((width, height), 60).convert("L")
        buffer = io.BytesIO()
        noise.save(buffer, "JPEG", quality=quality)
        data = buffer.getvalue()
        if len(data) >= size * 0.9 or quality >= 95:
            return data, width, height
        quality += 5


def make_scan_pdf(path: Path, megabytes: int, jpeg: tuple[bytes, int, int]) -> Path:
    """`megabytes` pages, each one JPEG image (one object per page, streamed to disk)."""
    data, width, height = jpeg
    pages = max(1, round(megabytes * MB / len(data)))
    offsets: list[int] = []
    with path.open("wb") as out:
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

        def obj(body: bytes, stream: bytes | None = None) -> None:
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n" % len(offsets) + body)
            if stream is not None:
                out.write(b"\nstream\n" + stream + b"\nendstream")
            out.write(b"\nendobj\n")

        kids = " ".join(f"{3 + 3 * i} 0 R" for i in range(pages)).encode()
        obj(b"<< /Type /Catalog /Pages 2 0 R >>")
        obj(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages)
        draw = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
        for i in range(pages):
            page, image, content = 3 + 3 * i, 4 + 3 * i, 5 + 3 * i
            assert len(offsets) + 1 == page
            obj(
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
                % (image, content)
            )
            obj(
                b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>"
                % (width, height, len(data)),
                data,
            )
            obj(b"<< /Length %d >>" % len(draw), draw)
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
        for offset in offsets:
            out.write(b"%010d 00000 n \n" % offset)
        out.write(
            b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(offsets) + 1, xref)
        )
    return path


def sha256_seconds(path: Path) -> float:
    start = time.perf_counter()
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(MB):
            digest.update(chunk)
    return time.perf_counter() - start


def copy_fsync_seconds(path: Path) -> float:
    """The floor of any signing that keeps the original: write a copy and make it durable."""
    target = path.with_name(path.stem + "-copy.pdf")
    start = time.perf_counter()
    with path.open("rb") as src, target.open("w+b") as dst:
        size, done = os.fstat(src.fileno()).st_size, 0
        while done < size:
            done += os.copy_file_range(src.fileno(), dst.fileno(), size - done)
        os.fsync(dst.fileno())
    elapsed = time.perf_counter() - start
    target.unlink()
    return elapsed


def child_single(args: argparse.Namespace) -> None:
    """Run in a child: hash, then sign, one file; prints JSON with times and peak RSS."""
    from desktop.signing.pkcs12 import load_p12
    from desktop.signing.signer import sign_pdf

    source = Path(args.file)
    key = load_p12(Path(args.p12), args.password)
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    hashes = [sha256_seconds(source) for _ in range(3)]
    copies = [copy_fsync_seconds(source) for _ in range(2)]
    signs = []
    for i in range(2):
        out = source.with_name(f"{source.stem}-signed-{i}.pdf")
        start = time.perf_counter()
        sign_pdf(source, out, key)
        signs.append(time.perf_counter() - start)
        out.unlink()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"hash": min(hashes), "sign": min(signs), "peak_kb": peak,
                      "copy": min(copies), "after_import_kb": base_rss}))  # fmt: skip


def child_batch(args: argparse.Namespace) -> None:
    """Run in a child: sign every file of a folder with one key (one PIN entry)."""
    from desktop.signing.batch import BatchItem, sign_many
    from desktop.signing.pkcs12 import load_p12
    from desktop.signing.tokens import open_token_key

    folder = Path(args.folder)
    files = sorted(folder.glob("in-*.pdf"))
    items = [BatchItem(f, folder / "out" / f.name) for f in files]
    if args.kind == "p12":
        key = load_p12(Path(args.p12), args.password)
        start = time.perf_counter()
        outcomes = sign_many(items, key)
        elapsed = time.perf_counter() - start
    else:
        os.environ["SOFTHSM2_CONF"] = args.softhsm_conf
        with open_token_key(args.module, args.pin, token_label=args.token) as key:
            start = time.perf_counter()
            outcomes = sign_many(items, key)
            elapsed = time.perf_counter() - start
    assert all(o.status == "signed" for o in outcomes), [o.message for o in outcomes]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": elapsed, "files": len(items), "peak_kb": peak}))


def run_child(*extra: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, *extra], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,20,200")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--child", choices=["single", "batch"])
    parser.add_argument("--file")
    parser.add_argument("--folder")
    parser.add_argument("--kind")
    parser.add_argument("--p12")
    parser.add_argument("--password")
    parser.add_argument("--module")
    parser.add_argument("--pin")
    parser.add_argument("--token")
    parser.add_argument("--softhsm-conf")
    args = parser.parse_args()
    if args.child == "single":
        child_single(args)
        return
    if args.child == "batch":
        child_batch(args)
        return

    from signing_helpers import P12_PASSWORD, TOKEN_LABEL, build_pki, build_token

    with tempfile.TemporaryDirectory(prefix="bench-sign-") as tmp:
        work = Path(tmp)
        pki = build_pki(work / "pki")
        jpeg = scan_jpeg()
        rows = []
        for size in (int(s) for s in args.sizes.split(",")):
            pdf = make_scan_pdf(work / f"scan-{size}mb.pdf", size, jpeg)
            got = run_child("--child", "single", "--file", str(pdf), "--p12",
                            str(pki.signer.p12), "--password", P12_PASSWORD)  # fmt: skip
            ratio = got["sign"] / got["hash"]
            rows.append((size, pdf.stat().st_size / MB, got["hash"], got["copy"], got["sign"],
                         ratio, got["peak_kb"] / 1024, got["after_import_kb"] / 1024))  # fmt: skip
            print(f"{size:>4} MB: hash {got['hash']:.3f}s copy {got['copy']:.3f}s "
                  f"sign {got['sign']:.3f}s = {ratio:.2f}× hash, "
                  f"peak {got['peak_kb'] / 1024:.0f} MB")  # fmt: skip
            pdf.unlink()

        batch_rows = []
        if args.batch:
            folder = work / "batch"
            folder.mkdir()
            (folder / "out").mkdir()
            one = make_scan_pdf(folder / "in-000.pdf", 1, jpeg)
            for i in range(1, args.batch):
                (folder / f"in-{i:03d}.pdf").write_bytes(one.read_bytes())
            got = run_child("--child", "batch", "--folder", str(folder), "--kind", "p12",
                            "--p12", str(pki.signer.p12), "--password", P12_PASSWORD)  # fmt: skip
            batch_rows.append(("PKCS#12 file", got))
            for f in (folder / "out").iterdir():
                f.unlink()
            token = build_token(work / "softhsm", pki)
            conf = str(work / "softhsm" / "softhsm2.conf")
            got = run_child("--child", "batch", "--folder", str(folder), "--kind", "token",
                            "--module", token.module, "--pin", token.pin, "--token",
                            TOKEN_LABEL, "--softhsm-conf", conf)  # fmt: skip
            batch_rows.append(("SoftHSM2 token", got))
            for name, got in batch_rows:
                per = got["seconds"] / got["files"] * 1000
                total = got["seconds"]
                print(f"batch {name}: {got['files']} files in {total:.2f}s = {per:.0f} ms/file")

    body = [
        "Scan-like PDFs (one noisy grey JPEG of ~1 MB per A4 page), invisible PAdES B-B "
        "signature with a PKCS#12 RSA-2048 key, output verified before the rename. "
        "Hash = SHA-256 of the same file in the same child process (page cache warm); "
        "each figure is the best of 3 hashes / 2 signings. Peak = child's max RSS "
        "(includes the Python interpreter and imported libraries, see 'after imports').",
        "",
        "'copy+fsync' = writing a durable copy of the file (the floor of any signing that "
        "keeps the original), same child.",
        "",
        "| file | size | SHA-256 | copy+fsync | sign | sign / hash | peak RSS | after imports |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, real, h, c, s, ratio, peak, base in rows:
        body.append(f"| {size} MB | {real:.1f} MB | {h:.3f} s | {c:.3f} s | {s:.3f} s | "
                    f"{ratio:.2f}× | {peak:.0f} MB | {base:.0f} MB |")  # fmt: skip
    if batch_rows:
        body += [
            "",
            f"Batch of {args.batch} × 1 MB files, one key (one PIN entry), invisible B-B:",
            "",
            "| key | files | total | per file | peak RSS |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for name, got in batch_rows:
            per = got["seconds"] / got["files"] * 1000
            body.append(f"| {name} | {got['files']:.0f} | {got['seconds']:.2f} s | "
                        f"{per:.0f} ms | {got['peak_kb'] / 1024:.0f} MB |")  # fmt: skip
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    body += [
        "",
        "Goals: 200 MB ≤ 3× hash, peak ≤ 100 MB, batch ≤ 100 ms/file.",
        f"Load average at the end of the run: {load} on {os.cpu_count()} CPUs (a shared "
        "machine: ratios move with the load, since the original is hashed in a second "
        "thread while the kernel copies it).",
    ]
    if not args.no_record:
        sys.path.insert(0, str(ROOT / "bench"))
        from _record import record

        record("bench_sign", "Signing PDFs", "\n".join(body))
    print("\n".join(body))


if __name__ == "__main__":
    main()
