"""The shared spreadsheet helpers every importer uses."""

from __future__ import annotations

import datetime as dt
import io
import re
import time

import pytest
from python_calamine import CalamineWorkbook

from tests.core.workbooks import hostile_dimension, rewrite, workbook
from zeren.core.spreadsheets import (
    ImportFailed,
    RowError,
    UnreadableSpreadsheet,
    cell_date,
    cell_text,
    error_copy,
    find_header,
    read_sheet,
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
    data = read_sheet(template("许可", ["类别", "证号"], ["再生育证", "隆再字1"]))
    assert data == [["类别", "证号"], ["再生育证", "隆再字1"]]


@pytest.mark.parametrize(
    "content",
    [b"not a spreadsheet", b"", "职责序号,事项顺序,日期\n7,2,2026-05-29\n".encode(), b"%PDF-1.4\n"],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_saying_what_to_do(content):
    with pytest.raises(UnreadableSpreadsheet) as exc:
        read_sheet(content)
    assert str(exc.value) == "文件不是有效的 Excel 工作簿（.xlsx），请另存为 .xlsx 后重新上传"
    assert "Calamine" not in str(exc.value)


# -- dates as townships type them ----------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "month_only", "expected"),
    [
        # Excel serials, 1900 system: 46336 is 2026-11-10 (days since 1899-12-30).
        (46336.0, False, D(2026, 11, 10)),
        (46336.75, False, D(2026, 11, 10)),  # a time of day is dropped
        ("46336", False, D(2026, 11, 10)),
        (3654.0, False, D(1910, 1, 1)),  # the earliest serial read
        (73050.0, False, D(2099, 12, 31)),  # the latest
        # Eight digits: year, month, day.
        ("20261110", False, D(2026, 11, 10)),
        (20261110.0, False, D(2026, 11, 10)),
        ("202611", True, D(2026, 11, 1)),  # six digits when only a month is asked for
    ],
)
def test_serial_numbers_and_eight_digit_dates_are_read(value, month_only, expected):
    assert cell_date(value, month_only=month_only) == expected


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2026", "不是可识别的日期"),  # a year alone is not serial 2026 (1905)
        (3653.0, "不是可识别的日期"),  # 1909-12-31: before the window, ambiguous
        (73051.0, "不是可识别的日期"),  # 2100: after it
        ("20261301", "不是有效日期"),  # month 13
        ("202611", "不是可识别的日期"),  # six digits are not a day
        ("１２３", "日期格式应为"),  # full-width digits are not guessed at
    ],
)
def test_numbers_that_are_not_unambiguous_dates_are_refused(value, why):
    with pytest.raises(ValueError, match=why):
        cell_date(value)


# -- which sheet, and where the header is --------------------------------------------------
def test_a_hidden_first_sheet_is_skipped_for_the_visible_one():
    content = workbook(
        [("旧数据", [["姓名"], ["不该导入"]]), ("扶助对象", [["姓名"], ["张三"]])],
        hidden=["旧数据"],
    )
    assert read_sheet(content) == [["姓名"], ["张三"]]


def test_the_active_visible_sheet_is_read():
    content = workbook(
        [("说明", [["填表说明"]]), ("扶助对象", [["姓名"], ["张三"]])], active="扶助对象"
    )
    assert read_sheet(content) == [["姓名"], ["张三"]]


def test_several_visible_sheets_and_no_active_one_are_refused_naming_them():
    content = workbook(
        [("甲", [["姓名"]]), ("乙", [["姓名"]]), ("丙", [["姓名"]])], active="甲", hidden=[]
    )
    # The saved active sheet is hidden afterwards (as a macro or another tool may leave it).
    content = rewrite(
        content,
        "xl/workbook.xml",
        lambda d: d.replace('name="甲"'.encode(), 'name="甲" state="hidden"'.encode()),
    )
    with pytest.raises(UnreadableSpreadsheet, match="“乙”、“丙”"):
        read_sheet(content)


def test_a_title_row_above_the_header_is_found():
    rows = [
        ["2026年龙尧县奖励扶助对象名册", None],
        [None, None],
        ["姓名", "身份证号"],
        ["张三", "1"],
    ]
    assert find_header(rows, ["姓名", "身份证号"]) == 2


def test_a_missing_header_is_refused_saying_where_it_was_expected():
    with pytest.raises(ImportFailed) as info:
        find_header([["名册"], ["张三", "1"]], ["姓名", "身份证号"])
    assert "表头应在第1行或标题行下面" in str(info.value.errors[0])
    assert "第一个非空行是“名册”" in str(info.value.errors[0])


def test_a_header_with_missing_columns_names_them():
    with pytest.raises(ImportFailed) as info:
        find_header([["标题"], ["姓名", "性别"]], ["姓名", "身份证号"])
    assert [str(e) for e in info.value.errors] == ["第2行「身份证号」：缺少必填列"]


# -- hostile workbooks ---------------------------------------------------------------------
def test_a_tiny_xlsx_holding_a_cell_at_xfd1048576_is_refused_quickly():
    content = hostile_dimension(with_far_cell=True)
    assert len(content) < 8000
    started = time.perf_counter()
    with pytest.raises(UnreadableSpreadsheet, match="超过上限"):
        read_sheet(content)
    assert time.perf_counter() - started < 2


def test_a_declared_dimension_of_xfd1048576_is_read_by_its_real_cells():
    content = hostile_dimension(with_far_cell=False)
    started = time.perf_counter()
    assert read_sheet(content) == [["姓名"], ["张三"]]
    assert time.perf_counter() - started < 2


def test_the_row_cap_is_a_setting(settings):
    settings.ZEREN_IMPORT_MAX_ROWS = 5
    rows = [["姓名"]] + [[f"人{n}"] for n in range(30)]
    with pytest.raises(UnreadableSpreadsheet, match="超过上限"):
        read_sheet(workbook([("S", rows)]))
    settings.ZEREN_IMPORT_MAX_ROWS = 50
    assert len(read_sheet(workbook([("S", rows)]))) == 31


def test_a_zip_bomb_is_refused_by_its_ratio():
    content = rewrite(
        workbook([("S", [["姓名"]])]),
        "xl/sharedStrings.xml",
        lambda d: d + b" " * 20_000_000,
    )
    assert len(content) < 100_000
    with pytest.raises(UnreadableSpreadsheet, match="压缩比异常"):
        read_sheet(content)


def test_a_file_larger_than_the_upload_limit_is_refused(settings):
    settings.ZEREN_MAX_UPLOAD_MB = 1
    with pytest.raises(UnreadableSpreadsheet, match="超过1MB"):
        read_sheet(b"x" * (1024 * 1024 + 1))


def test_a_workbook_with_a_dtd_is_refused():
    content = rewrite(
        workbook([("S", [["姓名"]])]),
        "xl/workbook.xml",
        lambda d: d.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1),
    )
    with pytest.raises(UnreadableSpreadsheet):
        read_sheet(content)


def test_cells_that_give_no_position_are_followed_in_order():
    from zipfile import ZipFile

    from zeren.core.spreadsheets import real_extent

    def strip_positions(data: bytes) -> bytes:
        return re.sub(rb' r="[A-Z]*\d+"', b"", data)

    content = rewrite(
        workbook([("S", [["姓名", "身份证号", "村"], ["张三", "1", "甲村"]])]),
        "xl/worksheets/sheet1.xml",
        strip_positions,
    )
    book = ZipFile(io.BytesIO(content))
    part = "xl/worksheets/sheet1.xml"
    assert b' r="' not in book.read(part)
    assert real_extent(book, part, max_rows=10, max_columns=10) == (2, 3)
    with pytest.raises(UnreadableSpreadsheet, match="超过上限"):
        real_extent(book, part, max_rows=10, max_columns=2)
