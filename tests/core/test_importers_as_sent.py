"""Every importer reads spreadsheets as townships really send them: the visible sheet (not a
hidden first one), a title row above the header, dates as serials or 20261110, and ID numbers
with full-width digits; a superscript digit is a row error, never a server error. The hostile
workbook is refused on the import page, the API and the CLI with a message."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.conftest import login
from tests.core.workbooks import hostile_dimension, workbook
from tests.funds.test_import import good_row
from tests.statistics.conftest import make_mother
from zeren.funds.imports import COLUMNS as FUND_COLUMNS
from zeren.funds.imports import beneficiary_import
from zeren.funds.models import Beneficiary
from zeren.permits.imports import COLUMNS as PERMIT_COLUMNS
from zeren.permits.imports import ImportProblems, permits_import
from zeren.permits.models import Permit
from zeren.statistics.imports import REQUIRED as BIRTH_COLUMNS
from zeren.statistics.imports import ImportFailed, birth_import
from zeren.statistics.models import Birth

pytestmark = pytest.mark.django_db
SUPERSCRIPT = "¹"
TITLE = ["龙尧县2026年上报名册（乡镇盖章）"]


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def _decoy(columns: list[str]) -> tuple[str, list[list[str]]]:
    """A hidden first sheet with the right header and a row that must not be imported."""
    return ("上年数据", [columns, ["不该导入"] + [""] * (len(columns) - 1)])


# -- beneficiaries (funds) -----------------------------------------------------------------
def _fund_rows(n: int = 2) -> list[list[str]]:
    return [good_row(k) for k in range(n)]


def test_funds_import_reads_the_visible_sheet_under_a_title_row(admin_user):
    rows = _fund_rows()
    rows[0][1] = _full_width(rows[0][1][:6]) + " " + rows[0][1][6:]
    content = workbook(
        [_decoy(FUND_COLUMNS), ("名册", [TITLE, FUND_COLUMNS, *rows])], hidden=["上年数据"]
    )
    result = beneficiary_import(actor=admin_user, content=content)
    assert result.beneficiaries == 2 and Beneficiary.objects.count() == 2


def test_funds_import_gives_a_row_error_for_a_superscript_digit(admin_user):
    rows = _fund_rows()
    rows[1][1] = rows[1][1][:17] + SUPERSCRIPT
    with pytest.raises(ImportFailed) as info:
        beneficiary_import(
            actor=admin_user, content=workbook([("名册", [TITLE, FUND_COLUMNS, *rows])])
        )
    assert [(e.row, e.column) for e in info.value.errors] == [(4, "身份证号")]
    assert "不是数字" in info.value.errors[0].message
    assert not Beneficiary.objects.exists()


def test_funds_import_reads_a_start_date_typed_as_20250101_or_a_serial(admin_user):
    rows = _fund_rows()
    rows[0][6] = "20250101"
    content = workbook([("名册", [FUND_COLUMNS, *rows])])
    beneficiary_import(actor=admin_user, content=content)
    assert set(Beneficiary.objects.values_list("start_date", flat=True)) == {dt.date(2025, 1, 1)}


# -- births (statistics) -------------------------------------------------------------------
def _birth_row(mother, *, id_number=None, day="2026-03-01"):
    village = mother.division
    return [
        id_number or mother.id_number,
        mother.name,
        "男",
        day,
        1,
        village.parent.name,
        village.name,
    ]


def test_birth_import_reads_the_visible_sheet_serial_dates_and_full_width_ids(
    section_staff, village_a
):
    m1, m2 = make_mother(village_a), make_mother(village_a, name="李娜")
    rows = [
        _birth_row(m1, id_number=_full_width(m1.id_number), day=46082.0),  # 2026-03-01
        _birth_row(m2, day="20260402"),
    ]
    content = workbook(
        [_decoy(BIRTH_COLUMNS), ("出生", [TITLE, BIRTH_COLUMNS, *rows])], hidden=["上年数据"]
    )
    assert birth_import(actor=section_staff, content=content, today=dt.date(2026, 6, 30)).rows == 2
    assert sorted(Birth.objects.values_list("birth_date", flat=True)) == [
        dt.date(2026, 3, 1),
        dt.date(2026, 4, 2),
    ]


def test_birth_import_gives_a_row_error_for_a_superscript_digit(section_staff, village_a):
    mother = make_mother(village_a)
    bad = mother.id_number[:6] + SUPERSCRIPT + mother.id_number[7:]
    content = workbook([("出生", [BIRTH_COLUMNS, _birth_row(mother, id_number=bad)])])
    with pytest.raises(ImportFailed) as info:
        birth_import(actor=section_staff, content=content, today=dt.date(2026, 6, 30))
    assert [(e.row, e.column) for e in info.value.errors] == [(2, "母亲身份证号")]
    assert "第7位“¹”不是数字" in info.value.errors[0].message


def test_birth_import_refuses_a_birth_dated_tomorrow(section_staff, village_a):
    mother = make_mother(village_a)
    content = workbook([("出生", [BIRTH_COLUMNS, _birth_row(mother, day="2026-07-01")])])
    with pytest.raises(ImportFailed, match="晚于今天"):
        birth_import(actor=section_staff, content=content, today=dt.date(2026, 6, 30))


# -- licences (permits) --------------------------------------------------------------------
def _permit_row(holder_id: str, number: str = "R-1") -> list[str]:
    return ["再生育证", number, holder_id, "", "2026-01-05", "", "2026-12-31", "", ""]


def test_permits_import_reads_the_visible_sheet_under_a_title_row(section_staff, holder):
    rows = [_permit_row(_full_width(holder.id_number))]
    content = workbook(
        [_decoy(PERMIT_COLUMNS), ("许可", [TITLE, PERMIT_COLUMNS, *rows])], hidden=["上年数据"]
    )
    assert permits_import(actor=section_staff, content=content) == 1
    assert Permit.objects.get().holder == holder


def test_permits_import_gives_a_row_error_for_a_superscript_digit(section_staff, holder):
    rows = [_permit_row(holder.id_number[:17] + SUPERSCRIPT)]
    with pytest.raises(ImportProblems) as info:
        permits_import(
            actor=section_staff, content=workbook([("许可", [TITLE, PERMIT_COLUMNS, *rows])])
        )
    assert info.value.problems == ["第3行“持证人身份证号”：身份证号第18位“¹”不是数字，请检查输入"]


def test_permits_import_says_where_the_header_was_expected(section_staff):
    with pytest.raises(ImportProblems, match="表头应在第1行或标题行下面"):
        permits_import(actor=section_staff, content=workbook([("许可", [TITLE, ["甲", "乙"]])]))


@pytest.fixture
def holder(staff_a, village_a):
    from tests import factories

    return factories.person(actor=staff_a, division=village_a, name="持证人")


# -- the hostile workbook, in pages, API and CLI -------------------------------------------
def _upload(content: bytes, name: str = "名册.xlsx") -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def test_the_hostile_workbook_is_refused_on_every_import_page(admin_user, section_staff, head):
    hostile = hostile_dimension(with_far_cell=True)
    pages = [
        (head, "/staff/list/draft/import/"),
        (admin_user, "/staff/funds/import/"),
        (section_staff, "/staff/permits/import/"),
        (section_staff, "/staff/statistics/births/import/"),
    ]
    for user, url in pages:
        response = login(user).post(url, {"file": _upload(hostile)}, follow=True)
        assert response.status_code in (200, 400), url
        assert "超过上限" in response.content.decode(), url


def test_the_hostile_workbook_is_refused_by_the_cli(tmp_path, capsys):
    from zeren.cli import main

    path = tmp_path / "名册.xlsx"
    path.write_bytes(hostile_dimension(with_far_cell=True))
    assert main(["funds", "import", str(path)]) == 2
    assert "超过上限" in capsys.readouterr().err
