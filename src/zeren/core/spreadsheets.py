"""Reading and annotating the spreadsheets townships send in (shared by every importer).

Importers read the first sheet, find their columns by the header row (any order), check every
row, and either write all rows or none. Problems are reported with the row as numbered in the
spreadsheet (the header is row 1) and the column name; :func:`error_copy` gives back the sheet
as uploaded with an added error column.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?")


class UnreadableSpreadsheet(Exception):
    """The file is not a spreadsheet calamine can read (the message says so in Chinese)."""


@dataclass(frozen=True)
class RowError:
    row: int  # as numbered in the spreadsheet (the header is row 1)
    column: str
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行「{self.column}」：{self.message}"


class ImportFailed(ValidationError):
    """A file refused whole: ``errors`` holds every problem, ``error_sheet`` (if made) the
    uploaded sheet annotated with them."""

    def __init__(self, errors: list[RowError], error_sheet: bytes | None = None) -> None:
        super().__init__([str(e) for e in errors[:200]])
        self.errors = errors
        self.error_sheet = error_sheet


def read_sheet_or_fail(content: bytes) -> list[list[Any]]:
    """:func:`read_first_sheet`, reporting an unreadable file as an ImportFailed on row 1."""
    try:
        return read_first_sheet(content)
    except UnreadableSpreadsheet as exc:
        raise ImportFailed([RowError(1, "文件", str(exc))]) from exc


def cell_text(value: Any) -> str:
    """A cell as trimmed text: whole floats lose their '.0', dates become ISO dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def cell_date(value: Any, *, month_only: bool = False) -> dt.date | None:
    """A date cell or text (2026-01-05, 2026/1/5, 2026年1月5日; with ``month_only`` also
    2026年1月, meaning the 1st); None for an empty cell; ValueError for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    m = _DATE.fullmatch(text)
    if not m or (m[3] is None and not month_only):
        raise ValueError("日期格式应为 2026-01-05" + ("或 2026年1月" if month_only else ""))
    return dt.date(int(m[1]), int(m[2]), int(m[3] or 1))


def read_first_sheet(content: bytes) -> list[list[Any]]:
    """Every row of the first sheet, the header first."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several kinds for unreadable files
        raise UnreadableSpreadsheet(f"无法读取电子表格（{exc.__class__.__name__}）") from exc


def error_copy(rows: Sequence[Sequence[Any]], errors: Iterable[RowError]) -> bytes:
    """The sheet as uploaded, with an error column saying what is wrong in each row."""
    import xlsxwriter

    by_row: dict[int, list[str]] = {}
    for e in errors:
        by_row.setdefault(e.row, []).append(f"「{e.column}」{e.message}")
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("导入错误")
    bold = book.add_format({"bold": True})
    red = book.add_format({"font_color": "#C00000"})
    width = max((len(r) for r in rows), default=0)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            sheet.write_string(r, c, cell_text(value), bold if r == 0 else None)
        if r == 0:
            sheet.write_string(0, width, "错误", bold)
        elif r + 1 in by_row:
            sheet.write_string(r, width, "；".join(by_row[r + 1]), red)
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


def template(sheet_name: str, columns: Sequence[str], example: Sequence[Any] = ()) -> bytes:
    """An empty workbook with the expected columns (and an example row) for users to fill."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(sheet_name)
    bold = book.add_format({"bold": True})
    for c, name in enumerate(columns):
        sheet.write(0, c, name, bold)
        sheet.set_column(c, c, max(10, len(name) * 2 + 4))
    for c, value in enumerate(example):
        sheet.write(1, c, value)
    book.close()
    return out.getvalue()
