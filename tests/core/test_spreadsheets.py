"""The shared spreadsheet helpers every importer uses."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from python_calamine import CalamineWorkbook

from zeren.core.spreadsheets import (
    RowError,
    UnreadableSpreadsheet,
    cell_date,
    cell_text,
    error_copy,
    read_first_sheet,
    template,
)

D = dt.date


@pytest.mark.parametrize(
    ("value", "month_only", "expected"),
    [
        ("2026-01-05", False, D(2026, 1, 5)),
        ("2026/1/5", False, D(2026, 1, 5)),
        ("2026.01.05", False, D(2026, 1, 5)),
        ("2026年1月5日", False, D(2026, 1, 5)),
        ("2026年3月", True, D(2026, 3, 1)),
        (dt.datetime(2026, 2, 3, 10, 0), False, D(2026, 2, 3)),
        (D(2026, 2, 3), False, D(2026, 2, 3)),
        ("", False, None),
        (None, False, None),
    ],
)
def test_dates_in_the_forms_townships_write_them(value, month_only, expected):
    assert cell_date(value, month_only=month_only) == expected


@pytest.mark.parametrize("value", ["2026年3月", "2026-13-01", "明天", "2026-02-30"])
def test_other_dates_are_refused(value):
    with pytest.raises(ValueError):
        cell_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), (12.0, "12"), (12.5, "12.5"), ("  甲 ", "甲"), (D(2026, 1, 2), "2026-01-02")],
)
def test_cells_as_text(value, expected):
    assert cell_text(value) == expected


def test_the_error_copy_keeps_the_sheet_and_adds_the_reasons():
    rows = [["姓名", "身份证号"], ["张三", "1305"], ["李四", "130525199001010011"]]
    copy = error_copy(rows, [RowError(2, "身份证号", "应为18位"), RowError(2, "姓名", "重复")])
    back = CalamineWorkbook.from_filelike(io.BytesIO(copy)).get_sheet_by_index(0).to_python()
    assert back[0] == ["姓名", "身份证号", "错误"]
    assert back[1] == ["张三", "1305", "「身份证号」应为18位；「姓名」重复"]
    assert back[2][:2] == ["李四", "130525199001010011"] and back[2][2] in ("", None)


def test_a_template_reads_back_with_its_columns():
    data = read_first_sheet(template("许可", ["类别", "证号"], ["再生育证", "隆再字1"]))
    assert data == [["类别", "证号"], ["再生育证", "隆再字1"]]


def test_a_file_that_is_not_a_spreadsheet_is_refused_clearly():
    with pytest.raises(UnreadableSpreadsheet, match="无法读取电子表格"):
        read_first_sheet(b"not a spreadsheet")
