"""The annual duty report renders (.docx, PDF) and says each duty's figures; the Excel export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from tests.conftest import login
from tests.ledger.conftest import item
from zeren.cli import main
from zeren.ledger import documents, services
from zeren.org.models import Division

D = dt.date.fromisoformat


@pytest.fixture
def year_of_work(expectations, section_staff, township_a):
    """2026: a plan under duty 2, three alerts' worth of automatic records under 5-2, and a
    summary with characters that must be escaped in the document."""
    services.record_create(
        actor=section_staff,
        work_item=item(2, 1),
        date=D("2026-01-20"),
        kind="plan",
        summary="印发<年度工作要点>&分工方案",
    )
    for n in range(3):
        services.record_automatic(
            event_key="statistics.alert_raised",
            obj=Division.objects.filter(level="village").order_by("pk")[n],
            date=D("2026-05-11"),
            division_id=township_a.pk,
            summary="预警",
        )


def _docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_the_docx_report_reads_back_with_each_duty_and_its_figures(year_of_work):
    text = _docx_text(documents.report_docx(2026))
    assert "隆尧县人口和计划生育局2026年度履职情况报告" in text
    for heading in ("一、", "二、", "五、", "九、"):
        assert f"\n{heading}" in text
    assert text.count("本项职责") == 9
    assert "全年25个具体工作事项中，履职2项" in text  # 2-1 plan and 5-2 on event
    assert "（二）负责人口和计划生育安全预警工作" in text
    assert "出生人口性别比等指标预警3次" in text
    assert "印发<年度工作要点>&分工方案" in text  # escaped on the way in, read back as typed
    assert "未履职事项" in text and "拟订全县人口发展规划草案" in text


def test_the_docx_is_a4_with_the_official_margins(year_of_work):
    section = Document(io.BytesIO(documents.report_docx(2026))).sections[0]
    mm = [round(v / 36000) for v in (section.page_width, section.page_height)]
    margins = [
        round(v / 36000)
        for v in (
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert (mm, margins) == ([210, 297], [37, 35, 28, 26])


def test_the_pdf_report_reads_back_with_the_same_figures(year_of_work):
    reader = PdfReader(io.BytesIO(documents.report_pdf(2026)))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert "2026年度履职情况报告" in text
    assert "出生人口性别比等指标预警3次" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)


def test_the_cli_writes_the_report_and_refuses_a_wrong_extension(year_of_work, tmp_path, capsys):
    out = tmp_path / "report-2026.docx"
    assert main(["ledger", "report", "--year", "2026", "--output", str(out)]) == 0
    assert "出生人口性别比等指标预警3次" in _docx_text(out.read_bytes())
    assert main(["ledger", "report", "--year", "2026", "--output", str(tmp_path / "r.txt")]) == 2
    assert "扩展名应为 .docx 或 .pdf" in capsys.readouterr().err


def test_the_excel_export_holds_statuses_and_records(year_of_work, head):
    response = login(head).get("/staff/ledger/report/2026.xlsx")
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    status = book.get_sheet_by_name("履职状态").to_python()
    assert len(status) == 26 and status[0][0] == "职责"
    # the plan, and three alerts each feeding two items (5-2 and 3-4)
    assert len(book.get_sheet_by_name("履职记录").to_python()) == 1 + 1 + 3 * 2


def test_township_staff_cannot_download_the_report(staff_a):
    assert login(staff_a).get("/staff/ledger/report/2026.docx").status_code == 403


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("docx", "2026年度履职报告.docx"),
        ("pdf", "2026年度履职报告.pdf"),
        ("xlsx", "2026年履职台账.xlsx"),
    ],
)
def test_the_downloads_are_named_in_chinese(expectations, head, fmt, name):
    from urllib.parse import quote

    response = login(head).get(f"/staff/ledger/report/2026.{fmt}")
    assert response.status_code == 200
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]
