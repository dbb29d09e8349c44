"""Excel exports: indicators per township and the assessment scorecards."""

from __future__ import annotations

import io

from zeren.core import exports
from zeren.statistics import rules
from zeren.statistics.selectors import IndicatorRow, Scorecard


def _book() -> tuple[io.BytesIO, exports.SafeWorkbook]:
    out = io.BytesIO()
    return out, exports.workbook(out, {"in_memory": True})


def indicators_xlsx(period: str, rows: list[IndicatorRow]) -> bytes:
    out, book = _book()
    sheet = book.add_worksheet(f"出生统计{period}")
    bold = book.add_format({"bold": True})
    header = [
        "区划代码", "名称", "男孩", "女孩", "出生数", "出生人口性别比", "性别比预警",
        "三孩及以上", "三孩及以上占比(%)", "占比预警", "样本是否充足",
    ]  # fmt: skip
    for c, name in enumerate(header):
        sheet.write_string(0, c, name, bold)
    for r, row in enumerate(rows, start=1):
        sheet.write_string(r, 0, row.division.code)
        sheet.write_string(r, 1, row.division.name)
        sheet.write_number(r, 2, row.boys)
        sheet.write_number(r, 3, row.girls)
        sheet.write_number(r, 4, row.births)
        if row.srb is not None:
            sheet.write_number(r, 5, float(row.srb))
        sheet.write_string(r, 6, rules.LEVEL_LABELS.get(row.srb_level, "—"))
        sheet.write_number(r, 7, row.high_order)
        if row.high_order_share is not None:
            sheet.write_number(r, 8, float(row.high_order_share))
        sheet.write_string(r, 9, rules.LEVEL_LABELS.get(row.high_order_level, "—"))
        sheet.write_string(r, 10, "是" if row.reliable else "否（出生数过少）")
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


def scorecards_xlsx(year: int, cards: list[Scorecard]) -> bytes:
    out, book = _book()
    sheet = book.add_worksheet(f"{year}目标管理考核")
    bold = book.add_format({"bold": True})
    items = cards[0].items if cards else []
    header = ["名次", "乡镇代码", "乡镇"]
    header += [f"{s.item.name}（{s.item.max_points}）" for s in items]
    header += ["得分", "有数据项目满分", "得分率(%)"]
    for c, name in enumerate(header):
        sheet.write_string(0, c, name, bold)
    for r, card in enumerate(cards, start=1):
        sheet.write_string(r, 0, str(card.rank) if card.rank else "—")
        sheet.write_string(r, 1, card.township.code)
        sheet.write_string(r, 2, card.township.name)
        for c, s in enumerate(card.items, start=3):
            if s.points is None:
                sheet.write_string(r, c, "无数据")
            else:
                sheet.write_number(r, c, float(s.points))
        c = 3 + len(card.items)
        sheet.write_number(r, c, float(card.total))
        sheet.write_number(r, c + 1, float(card.available))
        if card.rate is not None:
            sheet.write_number(r, c + 2, float(card.rate))
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
