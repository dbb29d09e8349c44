"""Reading and annotating the spreadsheets townships send in (shared by every importer).

A workbook is checked before it is read (:func:`inspect_upload`): its size, how much it
unpacks to and at what ratio, and the real extent of the sheet to be read (the cells it holds,
not the dimension it declares), against limits set in settings (``ZEREN_IMPORT_MAX_*``).
Importers read the active visible sheet (never a hidden one; when several are visible and the
file does not say which is active, they refuse naming the sheets), find their header row
(the first row, or below a title row: :func:`find_header`) and their columns by name (any
order), check every row, and either write all rows or none. Problems are reported with the
row as numbered in the spreadsheet and the column name; :func:`error_copy` gives back the
sheet as uploaded with an added error column.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ValidationError

_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"([A-Z]{1,3})?(\d+)?")
# Excel's 1900 date system (serial 61 is 1 March 1900: it counts a 29 February 1900 that
# never was). Serials are read only between 1910 and 2099, so a year typed alone (2026) or an
# 8-digit 20261110 can never be taken for one.
_SERIAL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_MIN, _SERIAL_MAX = 3654, 73050  # 1910-01-01 .. 2099-12-31
HEADER_SEARCH_ROWS = 10


NOT_A_WORKBOOK = "文件不是有效的 Excel 工作簿（.xlsx），请另存为 .xlsx 后重新上传"


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
    """:func:`read_sheet`, reporting an unreadable or refused file as an ImportFailed on row 1."""
    try:
        return read_sheet(content)
    except UnreadableSpreadsheet as exc:
        raise ImportFailed([RowError(1, "文件", str(exc))]) from exc


def find_header(
    rows: Sequence[Sequence[Any]], required: Sequence[str], *, within: int = HEADER_SEARCH_ROWS
) -> int:
    """The index (0-based) of the header row: the first of the top ``within`` rows holding
    every ``required`` column name; a title row (or several) above it is skipped.

    Raises :class:`ImportFailed` saying where the header was expected and what it must hold.
    """
    found = [sum(n in {cell_text(v) for v in values} for n in required) for values in rows[:within]]
    for index, count in enumerate(found):
        if count == len(required):
            return index
    if found and max(found) > 0:  # a header with some columns missing: name them
        at = found.index(max(found))
        names = {cell_text(v) for v in rows[at]}
        raise ImportFailed([RowError(at + 1, n, "缺少必填列") for n in required if n not in names])
    first = next((r for r in rows[:within] if any(cell_text(v) for v in r)), [])
    seen = "、".join(t for t in (cell_text(v) for v in first) if t)[:60] or "（空）"
    raise ImportFailed(
        [
            RowError(
                1,
                "表头",
                f"没有找到表头：表头应在第1行或标题行下面（前{within}行之内），"
                f"须包含列：{'、'.join(required)}；第一个非空行是“{seen}”",
            )
        ]
    )


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
    """A date cell or text; None for an empty cell; ValueError (Chinese) for anything else.

    Read: date cells; 2026-01-05, 2026/1/5, 2026.1.5, 2026年1月5日; 20260105 (text or
    number); Excel serial numbers 3654-73050 (1910-2099, the 1900 date system, as a sheet
    shows a date cell whose format was lost). With ``month_only`` also 2026年1月, 2026-01 and
    202601, meaning the 1st. Nothing else is guessed: 2026 alone or 1/5/2026 is refused.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and _SERIAL_MIN <= value <= _SERIAL_MAX + 1:
        value = float(int(value))  # a serial with a time of day: the day
    text = cell_text(value)
    if not text:
        return None
    hint = "日期格式应为 2026-01-05" + ("或 2026年1月" if month_only else "")
    if text.isdigit() and text.isascii():
        try:
            if len(text) == 8:
                return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
            if len(text) == 6 and month_only:
                return dt.date(int(text[:4]), int(text[4:]), 1)
        except ValueError as exc:
            raise ValueError(f"“{text}”不是有效日期") from exc
        number = int(text)
        if _SERIAL_MIN <= number <= _SERIAL_MAX:
            return _SERIAL_EPOCH + dt.timedelta(days=number)
        raise ValueError(f"“{text}”不是可识别的日期（{hint}）")
    m = _DATE.fullmatch(text)
    if not m or (m[3] is None and not month_only):
        raise ValueError(hint)
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3] or 1))
    except ValueError as exc:
        raise ValueError(f"“{text}”不是有效日期") from exc


# -- checking a workbook before reading it -------------------------------------------------
@dataclass(frozen=True)
class Sheet:
    name: str
    visible: bool
    part: str | None = None  # the worksheet's file inside an xlsx package


def _refuse(message: str) -> UnreadableSpreadsheet:
    return UnreadableSpreadsheet(f"文件被拒绝：{message}")


def _xml(zf: zipfile.ZipFile, name: str, limit: int = 5_000_000) -> ElementTree.Element:
    if zf.getinfo(name).file_size > limit:
        raise _refuse(f"工作簿结构文件{name}过大")
    return safe_xml.fromstring(zf.read(name))


def _check_package(content: bytes) -> zipfile.ZipFile | None:
    """Size limits for any upload; unpacked size and ratio for a zip package (xlsx, ods)."""
    if len(content) > settings.ZEREN_MAX_UPLOAD_MB * 1024 * 1024:
        raise _refuse(f"文件大小超过{settings.ZEREN_MAX_UPLOAD_MB}MB")
    if not zipfile.is_zipfile(io.BytesIO(content)):
        return None
    try:
        zf = zipfile.ZipFile(io.BytesIO(content))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableSpreadsheet("无法读取电子表格（压缩包已损坏）") from exc
    if sum(i.file_size for i in infos) > settings.ZEREN_IMPORT_MAX_UNPACKED_MB * 1024 * 1024:
        raise _refuse(f"解压后超过{settings.ZEREN_IMPORT_MAX_UNPACKED_MB}MB")
    ratio = settings.ZEREN_IMPORT_MAX_ZIP_RATIO
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size > ratio * max(info.compress_size, 1):
            raise _refuse(
                f"压缩比异常（{info.filename}解压后是压缩前的{ratio}倍以上），疑似压缩炸弹"
            )
    return zf


def _xlsx_sheets(zf: zipfile.ZipFile) -> tuple[list[Sheet], int]:
    """The sheets of an xlsx package in tab order, and the index of the active tab."""
    book = _xml(zf, "xl/workbook.xml")
    rels = _xml(zf, "xl/_rels/workbook.xml.rels")
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
    sheets = []
    for el in book.iter(f"{_MAIN}sheet"):
        target = targets.get(el.get(f"{_REL}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        sheets.append(Sheet(el.get("name", ""), el.get("state", "visible") == "visible", part))
    view = book.find(f"{_MAIN}bookViews/{_MAIN}workbookView")
    try:
        active = int(view.get("activeTab", "0")) if view is not None else 0
    except ValueError:
        active = 0
    return sheets, active


def choose_sheet(sheets: Sequence[Sheet], active: int | None) -> Sheet:
    """The sheet to import: the active one if visible, else the only visible one.

    Raises :class:`UnreadableSpreadsheet` naming the sheets when that is ambiguous (several
    visible sheets and no active one known) or when no sheet is visible.
    """
    if active is not None and 0 <= active < len(sheets) and sheets[active].visible:
        return sheets[active]
    visible = [s for s in sheets if s.visible]
    if len(visible) == 1:
        return visible[0]
    if not visible:
        raise UnreadableSpreadsheet("工作簿没有可见的工作表")
    names = "、".join(f"“{s.name}”" for s in visible)
    raise UnreadableSpreadsheet(
        f"工作簿有{len(visible)}个可见工作表（{names}），无法确定导入哪一个："
        "请删除或隐藏其他工作表，或选中要导入的工作表后保存再上传"
    )


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


_ROW_REF = re.compile(rb'<row r="(\d+)"')
_CELL_POS = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"')


def _explicit_extent(
    zf: zipfile.ZipFile, part: str, *, max_rows: int, max_columns: int
) -> tuple[int, int] | None:
    """The extent when every row and cell states its position first (as Excel, WPS and most
    tools write them), found by scanning the bytes; None otherwise (the caller then parses)."""
    rows = columns = 0
    tail = b""
    with zf.open(part) as stream:
        while True:
            chunk = stream.read(1 << 20)
            data = tail + chunk
            if not data:
                break
            cut = data.rfind(b"<")  # an element cut at the chunk's end is scanned next time
            if not chunk or cut < len(data) - 512:
                cut = len(data)
            data, tail = data[:cut], data[cut:]
            if b":sheetData" in data or b":row " in data:
                return None  # prefixed element names: let the parser read them
            positions = _CELL_POS.findall(data)
            row_refs = _ROW_REF.findall(data)
            cells = data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/>")
            if len(positions) != cells or len(row_refs) != data.count(b"<row"):
                return None
            if row_refs:
                rows = max(rows, max(map(int, row_refs)))
            if positions:
                letters = max({p[0] for p in positions}, key=lambda t: (len(t), t))
                columns = max(columns, _column_number(letters.decode()))
                rows = max(rows, max(int(p[1]) for p in positions))
            if rows > max_rows or columns > max_columns:
                raise _refuse(
                    f"工作表的内容延伸到第{rows}行第{columns}列，超过上限"
                    f"（{max_rows}行、{max_columns}列），请只保留需要导入的数据"
                )
    return rows, columns


def real_extent(
    zf: zipfile.ZipFile, part: str, *, max_rows: int, max_columns: int
) -> tuple[int, int]:
    """(rows, columns) spanned by the cells a worksheet really holds, read as a stream.

    The declared ``<dimension>`` is ignored. Stops and raises :class:`UnreadableSpreadsheet`
    as soon as a cell lies beyond ``max_rows`` or ``max_columns``, so a 1.5 KB file declaring
    or holding a cell at XFD1048576 is refused without building the grid.
    """
    fast = _explicit_extent(zf, part, max_rows=max_rows, max_columns=max_columns)
    if fast is not None:
        return fast
    # Some cells or rows give no position: follow them in order with pyexpat callbacks (no
    # element tree is built). A DTD is refused outright, so no entity can expand.
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    extent = {"rows": 0, "columns": 0, "row": 0, "column": 0}

    def no_dtd(*_args: Any) -> None:
        raise _refuse("工作表含有文档类型声明（DTD），不是正常的Excel文件")

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "row":
            ref = attrs.get("r", "")
            extent["row"] = int(ref) if ref.isdecimal() else extent["row"] + 1
            extent["column"] = 0
        elif local == "c":
            m = _CELL_REF.fullmatch(attrs.get("r", ""))
            letters, digits = (m[1], m[2]) if m else (None, None)
            extent["column"] = _column_number(letters) if letters else extent["column"] + 1
            if digits:
                extent["row"] = int(digits)
            if extent["row"] > extent["rows"]:
                extent["rows"] = extent["row"]
            if extent["column"] > extent["columns"]:
                extent["columns"] = extent["column"]
            if extent["rows"] > max_rows or extent["columns"] > max_columns:
                raise _refuse(
                    f"工作表的内容延伸到第{extent['row']}行第{extent['column']}列，超过上限"
                    f"（{max_rows}行、{max_columns}列），请只保留需要导入的数据"
                )

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    parser.StartElementHandler = start
    with zf.open(part) as stream:
        try:
            while chunk := stream.read(1 << 20):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise ElementTree.ParseError(str(exc)) from exc
    rows, columns = extent["rows"], extent["columns"]
    return rows, columns


def inspect_upload(content: bytes) -> Sheet | None:
    """Check an uploaded workbook before reading it and return the sheet to read.

    Size (``ZEREN_MAX_UPLOAD_MB``), unpacked size and zip ratio
    (``ZEREN_IMPORT_MAX_UNPACKED_MB``, ``ZEREN_IMPORT_MAX_ZIP_RATIO``), and for xlsx the real
    extent of the chosen sheet (``ZEREN_IMPORT_MAX_ROWS`` data rows plus the header and title
    rows, ``ZEREN_IMPORT_MAX_COLUMNS``). Returns None for formats whose sheet is chosen after
    opening (xls, ods). Raises :class:`UnreadableSpreadsheet` with the reason in Chinese.
    """
    zf = _check_package(content)
    if zf is None or "xl/workbook.xml" not in zf.namelist():
        return None
    try:
        sheets, active = _xlsx_sheets(zf)
    except (KeyError, ElementTree.ParseError, DefusedXmlException) as exc:
        raise UnreadableSpreadsheet("无法读取电子表格（工作簿结构不完整或含有DTD）") from exc
    sheet = choose_sheet(sheets, active)
    if sheet.part not in zf.namelist():
        raise UnreadableSpreadsheet(f"无法读取电子表格（找不到工作表“{sheet.name}”）")
    try:
        real_extent(
            zf,
            sheet.part,
            max_rows=settings.ZEREN_IMPORT_MAX_ROWS + HEADER_SEARCH_ROWS,
            max_columns=settings.ZEREN_IMPORT_MAX_COLUMNS,
        )
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise UnreadableSpreadsheet(f"无法读取电子表格（工作表“{sheet.name}”已损坏）") from exc
    return sheet


def check_workbook(content: bytes) -> None:
    """:func:`inspect_upload` for a workbook read whole (every sheet, e.g. the responsibility
    list): the same size and ratio limits, and every worksheet's real extent."""
    zf = _check_package(content)
    if zf is None or "xl/workbook.xml" not in zf.namelist():
        return
    try:
        sheets, _active = _xlsx_sheets(zf)
        for sheet in sheets:
            if sheet.part in zf.namelist():
                real_extent(
                    zf,
                    sheet.part,
                    max_rows=settings.ZEREN_IMPORT_MAX_ROWS + HEADER_SEARCH_ROWS,
                    max_columns=settings.ZEREN_IMPORT_MAX_COLUMNS,
                )
    except (KeyError, ElementTree.ParseError, DefusedXmlException) as exc:
        raise UnreadableSpreadsheet("无法读取电子表格（工作簿已损坏或含有DTD）") from exc


def read_sheet(content: bytes) -> list[list[Any]]:
    """Every row of the sheet to import (chosen and checked by :func:`inspect_upload`)."""
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    sheet = inspect_upload(content)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        if sheet is None:
            found = [
                Sheet(m.name, m.visible == SheetVisibleEnum.Visible) for m in book.sheets_metadata
            ]
            sheet = choose_sheet(found, None)
        rows = book.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
    except UnreadableSpreadsheet:
        raise
    except Exception as exc:  # calamine raises several kinds for unreadable files
        # Say what to do, not which library failed (a CSV, an empty file, a renamed .doc...).
        raise UnreadableSpreadsheet(NOT_A_WORKBOOK) from exc
    if len(rows) > settings.ZEREN_IMPORT_MAX_ROWS + HEADER_SEARCH_ROWS:
        raise _refuse(f"超过{settings.ZEREN_IMPORT_MAX_ROWS}行的上限")
    return rows


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
