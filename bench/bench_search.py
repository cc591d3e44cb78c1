"""Search benchmark: 10,000 generated procedures, 100 queries without diacritics.

Builds a catalog file of realistic Vietnamese procedure names (real verbs, objects and
qualifiers of health-department procedures at 34 provincial departments), imports it
into a temporary data dir through `CatalogService.import_file`, then times
`CatalogService.search` (FTS5, up to 50 summaries per query, end to end) against two
naive baselines in the same run:

- naive: fold the query and every row's name (NFD, strip marks, đ → d) on each query,
  keep the rows whose name contains every query word, sort by name;
- naive, pre-folded: the same scan over names folded once beforehand.

Prints the figures and records them in docs/benchmarks.md (bench/_record.py).
Goal (issue 2): p95 ≤ 5 ms and ≥ 20× faster than the naive baseline.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _record import record  # type: ignore[import-not-found]

from desktop.catalog.folding import fold
from desktop.paths import Paths
from desktop.workspace import Workspace

PROCEDURES = 10_000
QUERIES = 100
REPEATS = 7
SEED = 20261125

VERBS = [
    "Cấp",
    "Cấp lại",
    "Cấp mới",
    "Điều chỉnh",
    "Gia hạn",
    "Thu hồi",
    "Công bố",
    "Đánh giá đáp ứng",
    "Thẩm định",
    "Đăng ký",
    "Xác nhận",
    "Bổ sung phạm vi hoạt động của",
    "Đình chỉ",
    "Công nhận",
    "Cho phép",
]
OBJECTS = [
    "giấy phép hành nghề khám bệnh, chữa bệnh",
    "chứng chỉ hành nghề dược",
    "giấy chứng nhận đủ điều kiện kinh doanh dược",
    "cơ sở bán lẻ thuốc",
    "phiếu công bố sản phẩm mỹ phẩm",
    "giấy phép hoạt động khám bệnh, chữa bệnh",
    "nội dung quảng cáo thuốc",
    "thực hành tốt phân phối thuốc",
    "giấy xác nhận nội dung thông tin thuốc",
    "phòng khám đa khoa",
    "trạm y tế xã",
    "cơ sở dịch vụ thẩm mỹ",
    "cơ sở kinh doanh có tổ chức kệ thuốc",
    "nhà thuốc",
    "quầy thuốc",
    "giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
    "cơ sở xét nghiệm đạt tiêu chuẩn an toàn sinh học",
    "danh mục kỹ thuật chuyên môn",
    "số lưu hành trang thiết bị y tế",
    "chứng nhận lương y",
    "giấy phép nhập khẩu thuốc",
    "hồ sơ đề nghị tiếp nhận bệnh nhân",
]
QUALIFIERS = [
    "",
    "theo hình thức xét hồ sơ",
    "theo hình thức thi",
    "đối với cơ sở sản xuất trong nước",
    "thuộc thẩm quyền Sở Y tế",
    "trong trường hợp bị mất hoặc hư hỏng",
    "do thay đổi địa điểm kinh doanh",
    "cho người nước ngoài",
    "giai đoạn chuyển tiếp",
    "đối với bác sỹ, y sỹ, điều dưỡng, hộ sinh",
    "khi thay đổi người phụ trách chuyên môn",
    "do bị thu hồi theo quy định",
]
FIELDS = [
    ("DUOC", "Dược phẩm"),
    ("MY-PHAM", "Mỹ phẩm"),
    ("KBCB", "Khám bệnh, chữa bệnh"),
    ("ATTP", "An toàn thực phẩm"),
    ("TTBYT", "Trang thiết bị y tế"),
    ("YDCT", "Y dược cổ truyền"),
    ("YTDP", "Y tế dự phòng"),
]
PROVINCES = [
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ",
    "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi",
    "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "TP Hồ Chí Minh", "Đồng Nai", "Tây Ninh",
    "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
]  # fmt: skip
COMPONENTS = [
    "Đơn đề nghị theo mẫu",
    "Bản sao có chứng thực văn bằng chuyên môn",
    "Giấy chứng nhận sức khỏe",
    "Giấy xác nhận thời gian thực hành chuyên môn",
    "Sơ yếu lý lịch tự thuật",
    "Bản sao giấy chứng nhận đăng ký doanh nghiệp",
    "Danh mục trang thiết bị",
    "02 ảnh chân dung 04x06 cm",
]
QUERY_TEMPLATES = [
    "cap giay phep hanh nghe",
    "cap lai chung chi hanh nghe duoc",
    "chung chi hanh nghe duoc",
    "cchn duoc",
    "cchn",
    "gcn dkkd duoc",
    "gphd kham benh",
    "cong bo my pham",
    "my pham",
    "nha thuoc",
    "quay thuoc",
    "co so ban le thuoc",
    "thuc hanh tot phan phoi",
    "gia han giay phep",
    "thu hoi chung chi",
    "dieu chinh giay chung nhan",
    "phong kham da khoa",
    "tram y te xa",
    "an toan thuc pham",
    "luong y",
    "trang thiet bi y te",
    "quang cao thuoc",
    "nhap khau thuoc",
    "xet nghiem an toan sinh hoc",
    "tham my",
    "ke thuoc",
    "nguoi nuoc ngoai",
    "bac sy y sy dieu duong",
    "thay doi dia diem",
    "xet ho so",
]


def names(rng: random.Random) -> list[str]:
    out = []
    for _ in range(PROCEDURES):
        parts = [rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(QUALIFIERS)]
        out.append(" ".join(p for p in parts if p))
    return out


def catalog(rng: random.Random) -> dict[str, object]:
    agencies = [
        {"code": f"SYT-{i:02d}", "name": f"Sở Y tế {'thành phố' if 'TP' in p else 'tỉnh'} {p}"}
        for i, p in enumerate(PROVINCES, 1)
    ]
    procedures = []
    for i, name in enumerate(names(rng)):
        field_code, _ = rng.choice(FIELDS)
        amount = rng.choice([None, 0, 100_000, 500_000, 1_000_000])
        fees = (
            None if amount is None else ([] if amount == 0 else [{"kind": "phi", "amount": amount}])
        )
        days = rng.choice([3, 5, 7, 10, 15, 20, 30])
        channels = [
            {"kind": k, "processing_days": days, "day_type": "working", "fees": fees}
            for k in ("truc_tiep", "truc_tuyen", "buu_chinh")
        ]
        components = [
            {"code": f"TP{j}", "name": c, "required": True, "originals": 1, "copies": 0}
            for j, c in enumerate(rng.sample(COMPONENTS, rng.randint(2, 6)), 1)
        ]
        procedures.append(
            {
                "key": f"GEN-{i:05d}",
                "code": f"1.{i:06d}",
                "name": name,
                "agency": rng.choice(agencies)["code"],
                "field": field_code,
                "channels": channels,
                "components": components,
            }
        )
    return {
        "format_version": 1,
        "catalog_version": "bench",
        "agencies": agencies,
        "fields": [{"code": c, "name": n} for c, n in FIELDS],
        "procedures": procedures,
    }


def queries(rng: random.Random) -> list[str]:
    """100 queries: whole phrases, initialisms and prefixes as typed (cut mid-word)."""
    out = list(QUERY_TEMPLATES)
    while len(out) < QUERIES:
        phrase = rng.choice(QUERY_TEMPLATES)
        cut = rng.randint(max(2, len(phrase) // 3), len(phrase) - 1)
        out.append(phrase[:cut].rstrip())
    return out[:QUERIES]


def naive(rows: list[tuple[str, str]], query: str, limit: int = 50) -> list[str]:
    words = fold(query).split()
    found = [(fold(name), key) for key, name in rows]
    hits = sorted((f, k) for f, k in found if all(w in f for w in words))
    return [k for _f, k in hits[:limit]]


def naive_prefolded(rows: list[tuple[str, str]], query: str, limit: int = 50) -> list[str]:
    words = fold(query).split()
    hits = sorted((f, k) for k, f in rows if all(w in f for w in words))
    return [k for _f, k in hits[:limit]]


def timed(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of `repeats` runs of `fn`."""
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main() -> int:
    rng = random.Random(SEED)
    data = catalog(rng)
    query_list = queries(rng)
    with tempfile.TemporaryDirectory(prefix="dvc-bench-search-") as tmp:
        path = Path(tmp) / "catalog.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        workspace = Workspace(Paths(Path(tmp) / "data"))
        try:
            service = workspace.catalog  # imports the bundled catalog (7 procedures) first
            start = time.perf_counter()
            report = service.import_file(path)
            import_s = time.perf_counter() - start
            rows = [(p["key"], p["name"]) for p in data["procedures"]]  # type: ignore[index]
            prefolded = [(k, fold(n)) for k, n in rows]
            for q in query_list[:5]:  # warm the caches
                service.search(q)
            # Interleaved per query, so that load from other processes on a shared
            # machine hits the search and the baselines alike.
            fts, fts_cpu, base, base2, hits = [], [], [], [], []
            for q in query_list:
                wall, cpu = timed(lambda q=q: service.search(q), REPEATS)
                fts.append(wall)
                fts_cpu.append(cpu)
                base.append(timed(lambda q=q: naive(rows, q), 1)[0])
                base2.append(timed(lambda q=q: naive_prefolded(prefolded, q), REPEATS)[0])
                hits.append(len(service.search(q)))
            load = os.getloadavg()[0]
        finally:
            workspace.close()

    ms = 1000.0
    fts_med, fts_p95 = statistics.median(fts) * ms, p95(fts) * ms
    cpu_med, cpu_p95 = statistics.median(fts_cpu) * ms, p95(fts_cpu) * ms
    base_med, base_p95 = statistics.median(base) * ms, p95(base) * ms
    pre_med, pre_p95 = statistics.median(base2) * ms, p95(base2) * ms
    speedup = base_med / fts_med
    speedup_pre = pre_med / fts_med
    met = fts_p95 <= 5.0 and speedup >= 20.0
    body = f"""
{report.procedures:,} generated procedures (+7 bundled), {QUERIES} queries without diacritics
(whole phrases, initialisms such as `cchn duoc`, prefixes cut mid-word as typed);
`CatalogService.search` end to end, up to 50 summaries per query, median of {REPEATS} runs
per query. Import of the 10,000-procedure file (validation, upsert, FTS rows):
{import_s:.1f} s. Queries with at least one hit: {sum(1 for h in hits if h)}/{QUERIES}.
Load average while measuring: {load:.2f} on {os.cpu_count()} CPUs (a shared machine:
wall-clock figures include waiting for the CPU; CPU time does not).

| per query | median | p95 |
|---|---:|---:|
| FTS5 search (dvc-desk), wall clock | {fts_med:.2f} ms | {fts_p95:.2f} ms |
| FTS5 search (dvc-desk), CPU time of the process | {cpu_med:.2f} ms | {cpu_p95:.2f} ms |
| naive: fold every row + substring scan | {base_med:.2f} ms | {base_p95:.2f} ms |
| naive, names folded once + substring scan | {pre_med:.2f} ms | {pre_p95:.2f} ms |

Speed-up (median): {speedup:.0f}× over the naive baseline, {speedup_pre:.1f}× over the
pre-folded scan. Goal p95 ≤ 5 ms and ≥ 20× the naive baseline: {"met" if met else "NOT met"}.
"""
    print(body.strip())
    record("bench_search", "Catalog search (10,000 procedures)", body)
    return 0  # a benchmark reports; the verdict is in the figures, not the exit code


if __name__ == "__main__":
    sys.exit(main())
