"""Every file the system exports passes its cells through here (formula injection, CWE-1236).

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read
as a formula by Excel, WPS or LibreOffice (``=HYPERLINK("http://…","点击")``); it is written
with a leading apostrophe instead, so it stays text (OWASP "CSV Injection" guidance).

- :func:`neutralise` one value; :func:`csv_bytes` a CSV file (UTF-8 with BOM);
- :func:`workbook` an ``xlsxwriter.Workbook`` whose sheets neutralise every string written
  through ``write``, ``write_row``, ``write_column`` and ``write_string`` and never turn a
  string into a formula or a link (``write_formula`` stays for the code's own formulas).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``"=1+1"`` → ``"'=1+1"``; other values (numbers, dates, safe text) unchanged."""
    if isinstance(value, str) and value.startswith(DANGEROUS_FIRST):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """Rows as CSV (UTF-8 with a BOM so spreadsheet programs read Chinese), every cell
    neutralised."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue().encode("utf-8")


class SafeWorksheet(Worksheet):
    """A worksheet that writes every string as neutralised text."""

    def _write_token_as_string(self, token: str, row: int, col: int, *args: Any) -> int:
        return self._write_string(row, col, token, *args[1:])

    def _write_string(self, row: int, col: int, string: str, *args: Any) -> int:
        return super()._write_string(row, col, neutralise(string), *args)


class SafeWorkbook(xlsxwriter.Workbook):
    worksheet_class = SafeWorksheet


def workbook(target: Any, options: dict[str, Any] | None = None) -> SafeWorkbook:
    """``xlsxwriter.Workbook(target, options)`` with neutralising sheets (in memory by default)."""
    return SafeWorkbook(target, {"in_memory": True, **(options or {})})


def xlsx_data_rows(content: bytes, header_rows: int = 1) -> int | None:
    """How many data rows a workbook carries: on every sheet, the rows holding a value less
    ``header_rows`` (title and column headings). For the row count of an export's
    security-log row when the rows were assembled inside the document builder.
    ``None`` when ``content`` is not a readable workbook (the download is still logged)."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except (CalamineError, ValueError):
        return None
    total = 0
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=True)
        filled = sum(1 for row in rows if any(cell not in ("", None) for cell in row))
        total += max(filled - header_rows, 0)
    return total
