"""Workbooks as townships really send them, built in memory for the importer tests."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

import xlsxwriter


def workbook(
    sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]],
    *,
    hidden: Sequence[str] = (),
    active: str | None = None,
) -> bytes:
    """An xlsx with the given sheets (name, rows); ``hidden`` sheets hidden; ``active`` the
    sheet open when the file was saved (default: the first visible one)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    made = {}
    for name, rows in sheets:
        sheet = book.add_worksheet(name)
        made[name] = sheet
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif value is not None:
                    sheet.write(r, c, value)
    visible = [name for name, _ in sheets if name not in hidden]
    made[active or visible[0]].activate()
    for name in hidden:
        made[name].hide()
    book.close()
    return out.getvalue()


def rewrite(content: bytes, part: str, change) -> bytes:
    """The same package with one part's bytes passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, change(data) if info.filename == part else data)
    return out.getvalue()


def hostile_dimension(*, with_far_cell: bool) -> bytes:
    """A tiny xlsx declaring ``A1:XFD1048576``; with ``with_far_cell`` it also holds a cell
    at XFD1048576 (the grid a reader would build is 17 billion cells)."""
    content = workbook([("S", [["姓名"], ["张三"]])])

    def change(data: bytes) -> bytes:
        data = re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:XFD1048576"/>', data)
        if with_far_cell:
            far = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
            data = data.replace(b"</sheetData>", far)
        return data

    return rewrite(content, "xl/worksheets/sheet1.xml", change)
