"""The annual duty report (.docx and PDF, GB/T 9704 layout) and the ledger as Excel."""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone

from zeren.core import exports
from zeren.core.documents import render_docx
from zeren.ledger import rules, selectors, services
from zeren.ledger.models import EventMapping, Record

DOCX_TEMPLATE = Path(__file__).with_name("doc_templates") / "report.docx"
NUMERALS = "一二三四五六七八九十"


def _chinese(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    return (
        ("" if n < 20 else NUMERALS[n // 10 - 1]) + "十" + (NUMERALS[n % 10 - 1] if n % 10 else "")
    )


def report_context(year: int) -> dict[str, Any]:
    """What the report says for ``year``: per duty and item the status, the record counts,
    the capabilities' figures (automatic records by event) and the manual records' summaries;
    then the silent items. Raises InvalidPeriod for a bad year."""
    period, rows = selectors.ledger_status(str(year))
    labels = dict(EventMapping.objects.values_list("event_key", "label"))
    figures: dict[tuple[int, int], list[str]] = defaultdict(list)
    for f in (
        Record.objects.filter(date__gte=period.start, date__lte=period.end, source="automatic")
        .values("work_item__duty__number", "work_item__order", "event_key")
        .annotate(n=Count("id"))
        .order_by("work_item__duty__number", "work_item__order", "event_key")
    ):
        key = (f["work_item__duty__number"], f["work_item__order"])
        figures[key].append(f"{labels.get(f['event_key'], f['event_key'])}{f['n']}次")
    manual: dict[tuple[int, int], list[str]] = defaultdict(list)
    for r in (
        Record.objects.filter(date__gte=period.start, date__lte=period.end, source="manual")
        .values("work_item__duty__number", "work_item__order", "date", "summary")
        .order_by("date", "id")
    ):
        manual[(r["work_item__duty__number"], r["work_item__order"])].append(
            f"{r['date']:%m月%d日}{r['summary'].rstrip('。；;. ')}"
        )
    duties: dict[int, dict[str, Any]] = {}
    for row in rows:
        duty = duties.setdefault(
            row.duty,
            {
                "number": row.duty,
                "heading": f"{_chinese(row.duty)}、{row.duty_text}",
                "entries": [],
            },
        )
        key = (row.duty, row.order)
        done = []
        if figures[key]:
            done.append("业务系统记录：" + "，".join(figures[key]))
        if manual[key]:
            done.append("科室登记：" + "；".join(manual[key][:10]))
        text = (
            f"责任科室{row.section}，履职要求为{row.expectation_label}。"
            f"全年履职记录{row.records}条（系统自动{row.automatic}条），"
            f"状态：{row.status_label}。"
            + ("。".join(done) + "。" if done else "本年度无履职记录。")
        )
        duty["entries"].append(
            {"heading": f"（{_chinese(row.order)}）{row.item}", "text": text, "row": row}
        )
    for duty in duties.values():
        items = [i["row"] for i in duty["entries"]]
        duty["summary"] = (
            f"本项职责{len(items)}个具体工作事项，全年履职记录{sum(r.records for r in items)}条，"
            f"其中系统自动{sum(r.automatic for r in items)}条。"
        )
    statuses = [r.status for r in rows]
    silent = [
        f"第{r.duty}项职责“{r.item}”（{r.section}）" for r in rows if r.status == rules.SILENT
    ]
    version = services.version_in_force(period.end)
    bureau = services.bureau()
    return {
        "bureau": bureau.name,
        "year": year,
        "list_title": version.title if version else "责任清单",
        "version": version.number if version else "",
        "total_items": len(rows),
        "performed": statuses.count(rules.PERFORMED),
        "partial": statuses.count(rules.PARTIAL),
        "silent": statuses.count(rules.SILENT),
        "not_applicable": statuses.count(rules.NOT_APPLICABLE),
        "records": sum(r.records for r in rows),
        "automatic": sum(r.automatic for r in rows),
        "duties": list(duties.values()),
        "silent_text": ("、".join(silent) + "，全年无履职记录，需说明原因并在下一年度改进。")
        if silent
        else "各具体工作事项均有履职记录。",
        "date": f"{timezone.localdate():%Y年%m月%d日}",
    }


def report_docx(year: int) -> bytes:
    """The report as .docx (``core.documents.render_docx``: every value escaped)."""
    return render_docx(DOCX_TEMPLATE, report_context(year))


def report_pdf(year: int) -> bytes:
    """The report as PDF (WeasyPrint, A4, GB/T 9704 margins and type sizes)."""
    from weasyprint import HTML

    return HTML(
        string=render_to_string("ledger/report/report.html", report_context(year))
    ).write_pdf()


def ledger_xlsx(year: int) -> bytes:
    """Two sheets: each item's status in the year, and every record of the year."""
    period, rows = selectors.ledger_status(str(year))
    out = io.BytesIO()
    book = exports.workbook(out)
    bold = book.add_format({"bold": True})
    ws = book.add_worksheet("履职状态")
    ws.write_row(
        0, 0, ["职责", "具体工作事项", "责任科室", "履职要求", "记录数", "系统自动", "状态"], bold
    )
    for n, r in enumerate(rows, start=1):
        ws.write_row(
            n,
            0,
            [
                r.duty,
                r.item,
                r.section,
                r.expectation_label,
                r.records,
                r.automatic,
                r.status_label,
            ],
        )
    ws = book.add_worksheet("履职记录")
    ws.write_row(0, 0, ["日期", "职责", "事项", "清单版本", "科室", "类别", "摘要", "来源"], bold)
    records = (
        Record.objects.filter(date__gte=period.start, date__lte=period.end)
        .select_related("work_item__duty__version", "section")
        .order_by("date", "id")
    )
    for n, r in enumerate(records.iterator(chunk_size=2000), start=1):
        ws.write_row(
            n,
            0,
            [
                r.date.isoformat(),
                r.work_item.duty.number,
                r.work_item.order,
                r.work_item.duty.version.number,
                r.section.name,
                r.get_kind_display(),
                r.summary,
                r.get_source_display(),
            ],
        )
    book.close()
    return out.getvalue()
