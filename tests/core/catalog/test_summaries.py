from desktop.catalog.model import Channel, Fee
from desktop.catalog.service import CatalogService
from desktop.catalog.summaries import fee_summary, format_vnd, processing_summary


def test_amounts_are_written_the_vietnamese_way() -> None:
    assert format_vnd(500_000) == "500.000 đ"
    assert format_vnd(1_250_000) == "1.250.000 đ"
    assert format_vnd(0) == "0 đ"


def test_fee_summary_tells_free_from_unknown() -> None:
    assert fee_summary([Channel("truc_tiep", fees=(Fee("phi", 500_000),))]) == "500.000 đ"
    two = (Fee("phi", 500_000), Fee("phi", 1_000_000))
    assert fee_summary([Channel("truc_tiep", fees=two)]) == "500.000 – 1.000.000 đ"
    assert fee_summary([Channel("truc_tiep")]) == "Miễn phí"
    assert fee_summary([Channel("truc_tiep", fees_known=False)]) == "Không rõ"
    assert fee_summary([]) == "Không rõ"
    assert fee_summary([Channel("truc_tiep", fees=(Fee("le_phi", None),))]) == (
        "Có phí (chưa rõ mức)"
    )


def test_processing_summary() -> None:
    assert processing_summary([Channel("truc_tiep", 15, "working")]) == "15 ngày làm việc"
    assert processing_summary([Channel("truc_tiep", 30, "calendar")]) == "30 ngày"
    assert (
        processing_summary([Channel("truc_tiep", 3, "working"), Channel("buu_chinh", 5, "working")])
        == "3–5 ngày làm việc"
    )
    assert processing_summary([Channel("truc_tiep", note="20 hoặc 7 ngày tuỳ trường hợp")]) == (
        "Tuỳ trường hợp"
    )
    assert processing_summary([Channel("truc_tiep")]) == "Không rõ"
    assert processing_summary([]) == "Không rõ"


def test_search_rows_and_procedure_details_agree(service: CatalogService) -> None:
    rows = service.search("")
    assert {r.fee_summary for r in rows} >= {"500.000 đ", "Không rõ", "500.000 – 1.000.000 đ"}
    for row in rows:
        procedure = service.get(row.key)
        assert row.fee_summary == fee_summary(procedure.channels)
        assert row.processing_summary == processing_summary(procedure.channels)
