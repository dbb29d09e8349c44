"""The status table as an Excel workbook."""

from __future__ import annotations

import io

from zeren.supervision.selectors import StatusRow

HEADER = [
    "制度代码",
    "监管制度",
    "范围代码",
    "范围",
    "对象数",
    "应查",
    "已抽",
    "完成",
    "符合",
    "达成率",
    "是否达标",
    "逾期",
]


def status_xlsx(period: str, rows: list[StatusRow]) -> bytes:
    from zeren.core import exports

    buffer = io.BytesIO()
    book = exports.workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(f"达标情况 {period}")
    bold = book.add_format({"bold": True})
    percent = book.add_format({"num_format": "0.0%"})
    for c, name in enumerate(HEADER):
        sheet.write(0, c, name, bold)
    sheet.set_column(1, 1, 36)
    for r, row in enumerate(rows, start=1):
        values = [
            row.regime.code,
            row.regime.name,
            row.division.code,
            row.division.name,
            row.population,
            row.required,
            row.sampled,
            row.done,
            row.conforming,
        ]
        for c, value in enumerate(values):
            sheet.write(r, c, value)
        if row.no_subjects:
            sheet.write(r, 9, "无检查对象")
        elif row.attainment is not None:
            sheet.write_number(r, 9, float(row.attainment), percent)
        sheet.write(r, 10, "—" if row.met is None else ("是" if row.met else "否"))
        sheet.write(r, 11, row.overdue)
    book.close()
    return buffer.getvalue()
