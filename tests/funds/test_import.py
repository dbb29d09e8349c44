"""Township spreadsheets: every row checked, all errors named, whole or nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from tests.funds.conftest import make_beneficiary
from zeren.core.crypto import blind_index
from zeren.funds.imports import COLUMNS, ImportFailed, beneficiary_import
from zeren.funds.models import Beneficiary
from zeren.people.models import Person
from zeren.people.rules import make_id_number

pytestmark = pytest.mark.django_db


def good_row(n: int, township: str = "隆尧镇", village: str = "隆尧镇1村") -> list[str]:
    birth = dt.date(1955, 1, 1) + dt.timedelta(days=n // 900)
    return [
        f"对象{n}",
        make_id_number("130525", birth, n % 900),
        "特别扶助（子女死亡）" if n % 2 else "奖励扶助",
        "城镇" if n % 2 else "农村",
        township,
        village,
        "2025-01-01",
        "农业银行",
        f"62220202{n:011d}",
        "340" if n % 2 else "960",
        "",
        "",
    ]


def sheet(rows: list[list[str]]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False})
    ws = book.add_worksheet()
    ws.write_row(0, 0, COLUMNS)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            ws.write_string(r, c, value)
    book.close()
    return out.getvalue()


def test_a_thousand_rows_with_three_bad_ones_import_nothing_and_name_them():
    rows = [good_row(n) for n in range(1000)]
    rows[99][1] = rows[99][1][:17] + ("0" if rows[99][1][17] != "0" else "1")  # check digit
    rows[499][8] = ""  # no bank account
    rows[899][9] = "300"  # not the standard
    before = (Person.objects.count(), Beneficiary.objects.count())

    with pytest.raises(ImportFailed) as caught:
        beneficiary_import(actor=None, content=sheet(rows))

    errors = caught.value.errors
    assert [(e.row, e.column) for e in errors] == [
        (101, "身份证号"),
        (501, "银行账号"),
        (901, "标准金额"),
    ]
    assert "校验位" in errors[0].message
    assert "不能为空" in errors[1].message
    assert "应为340.00元/月" in errors[2].message  # row 901 holds person 899: special
    assert (Person.objects.count(), Beneficiary.objects.count()) == before

    # The downloadable copy has the same rows and an error column on exactly those rows.
    copy = CalamineWorkbook.from_filelike(io.BytesIO(caught.value.error_sheet))
    data = copy.get_sheet_by_index(0).to_python()
    assert data[0][-1] == "错误"
    assert len(data) == 1001
    flagged = [i + 1 for i, row in enumerate(data) if i and len(row) > 12 and row[12]]
    assert flagged == [101, 501, 901]


def test_a_clean_file_imports_whole():
    rows = [good_row(n) for n in range(50)]
    result = beneficiary_import(actor=None, content=sheet(rows))
    assert (result.rows, result.beneficiaries, result.persons_created) == (50, 50, 50)
    b = Beneficiary.objects.get(person__name_hash=blind_index("对象7"))  # names are encrypted
    assert b.kind == "special_death" and b.residence == "urban"
    assert b.township.name == "隆尧镇" and b.village.name == "隆尧镇1村"
    assert b.bank_account == "6222020200000000007"
    assert b.bank_account_masked.endswith("0007") and "*" in b.bank_account_masked


def test_duplicates_in_the_file_and_in_the_database_are_named(village_a):
    registered = make_beneficiary(village=village_a, kind="reward", name="老王")
    rows = [good_row(n) for n in range(4)]
    rows[3] = rows[1][:]  # same person, same kind as row 3 of the sheet
    rows[2][0] = "老王"
    rows[2][1] = registered.person.id_number
    rows[2][2], rows[2][3], rows[2][9] = "奖励扶助", "农村", "960"
    with pytest.raises(ImportFailed) as caught:
        beneficiary_import(actor=None, content=sheet(rows))
    assert [(e.row, e.column, e.message) for e in caught.value.errors] == [
        (4, "身份证号", "该人员已登记为同类扶助对象"),
        (5, "身份证号", "与第3行重复（同一人同一扶助类别）"),
    ]


def test_missing_columns_and_unknown_places_are_reported():
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.add_worksheet().write_row(0, 0, ["姓名", "身份证号"])
    book.close()
    with pytest.raises(ImportFailed) as caught:
        beneficiary_import(actor=None, content=out.getvalue())
    assert {e.column for e in caught.value.errors} >= {"扶助类别", "银行账号", "标准金额"}

    rows = [good_row(1, township="不存在乡"), good_row(3, village="不存在村")]
    with pytest.raises(ImportFailed) as caught:
        beneficiary_import(actor=None, content=sheet(rows))
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "乡镇"), (3, "村")]


def test_a_township_user_imports_only_into_its_own_township(staff_a):
    rows = [good_row(1), good_row(3, township="魏家庄镇", village="魏家庄镇1村")]
    with pytest.raises(ImportFailed) as caught:
        beneficiary_import(actor=staff_a, content=sheet(rows))
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "乡镇")]
    result = beneficiary_import(actor=staff_a, content=sheet(rows[:1]))
    assert result.beneficiaries == 1


def test_an_unreadable_file_is_refused():
    with pytest.raises(ImportFailed, match="不是有效的 Excel 工作簿"):
        beneficiary_import(actor=None, content=b"not a spreadsheet")
