"""Staff pages: the duty × period matrix, an item's records with the quick form, imports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zeren.catalogue.models import WorkItem
from zeren.core.models import SecurityEvent
from zeren.core.scope import scoped_object_or_404
from zeren.core.security import log_event
from zeren.core.spreadsheets import ImportFailed
from zeren.ledger import documents, rules, selectors, services
from zeren.ledger.forms import RecordForm
from zeren.ledger.models import Record


def _period(request: HttpRequest) -> str:
    return request.GET.get("period") or str(timezone.localdate().year)


@login_required
@permission_required("ledger.view_expectation", raise_exception=True)
def matrix(request: HttpRequest) -> HttpResponse:
    """Every work item against the quarters (or months) of a year, with the year's status."""
    year = request.GET.get("year") or str(timezone.localdate().year)
    section = request.GET.get("section") or None
    try:
        period, rows = selectors.ledger_status(year, section=section)
        if len(year) != 4:
            raise selectors.InvalidPeriod("请输入年份，如 2026")
        columns = [f"{year}-Q{q}" for q in range(1, 5)]
        by_quarter = {c: selectors.ledger_status(c, section=section)[1] for c in columns}
    except selectors.InvalidPeriod as exc:
        messages.error(request, str(exc))
        return redirect("ledger-matrix")
    cells = {c: {r.item_id: r for r in by_quarter[c]} for c in columns}
    table = [(r, [cells[c].get(r.item_id) for c in columns]) for r in rows]
    return render(
        request,
        "ledger/matrix.html",
        {
            "year": year,
            "period": period,
            "section": section or "",
            "columns": columns,
            "table": table,
            "labels": rules.STATUS_LABELS,
            "silent": [r for r in rows if r.status == rules.SILENT],
        },
    )


@login_required
@permission_required("ledger.view_expectation", raise_exception=True)
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One work item: the list's text, its expectation, its records in the period, the form."""
    item = get_object_or_404(WorkItem.objects.select_related("duty__version", "section"), pk=pk)
    try:
        period = selectors.parse_period(_period(request))
    except selectors.InvalidPeriod as exc:
        messages.error(request, str(exc))
        return redirect("ledger-item", pk=pk)
    can_add = request.user.has_perm("ledger.add_record")
    form = RecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied("无权登记履职记录")
        if form.is_valid():
            try:
                services.record_create(
                    actor=request.user,
                    work_item=item,
                    date=form.cleaned_data["date"],
                    kind=form.cleaned_data["kind"],
                    summary=form.cleaned_data["summary"],
                    attachment=form.cleaned_data.get("attachment"),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "履职记录已登记")
                return redirect(f"{reverse('ledger-item', args=[pk])}?period={period.text}")
    _, rows = selectors.ledger_status(period)
    row = next((r for r in rows if r.item_id == item.pk), None)
    return render(
        request,
        "ledger/item.html",
        {
            "item": item,
            "row": row,
            "period": period,
            "records": selectors.item_records(item, period, request.user)[:200],
            "form": form,
            "can_add": can_add,
        },
    )


@login_required
@permission_required("ledger.view_record", raise_exception=True)
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    record = scoped_object_or_404(request, Record.objects.restrict(request.user, "view"), pk)
    path = services.attachment_path(record)
    if path is None or not path.is_file():
        raise Http404("附件不存在")
    log_event(
        SecurityEvent.Kind.EXPORT,
        request=request,
        obj=record,
        detail={"what": "履职记录附件", "rows": 1},
    )
    return FileResponse(path.open("rb"), as_attachment=True, filename=record.attachment_name)


@login_required
@permission_required("ledger.add_record", raise_exception=True)
@require_POST
def records_upload(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要导入的 Excel 文件")
        return redirect("ledger-matrix")
    try:
        count = services.records_import(actor=request.user, content=upload.read())
    except ImportFailed as exc:
        for error in exc.errors[:20]:
            messages.error(request, str(error))
        if len(exc.errors) > 20:
            messages.error(request, f"……共 {len(exc.errors)} 处错误，未导入任何记录")
        return redirect("ledger-matrix")
    messages.success(request, f"已导入履职记录 {count} 条")
    return redirect("ledger-matrix")


REPORT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@permission_required("ledger.export_record", raise_exception=True)
def report(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    """The annual duty report (.docx, .pdf) or the year's ledger (.xlsx); logged as an export."""
    if fmt not in REPORT_TYPES or not 1950 <= year <= 2999:
        raise Http404("没有这种格式")
    make = {
        "docx": documents.report_docx,
        "pdf": documents.report_pdf,
        "xlsx": documents.ledger_xlsx,
    }[fmt]
    log_event(
        SecurityEvent.Kind.EXPORT,
        request=request,
        detail={
            "what": "履职台账",
            "year": year,
            "format": fmt,
            "rows": len(selectors.ledger_status(str(year))[1]),
        },
    )
    response = HttpResponse(make(year), content_type=REPORT_TYPES[fmt])
    name = "ledger" if fmt == "xlsx" else "duty-report"
    response["Content-Disposition"] = f'attachment; filename="{name}-{year}.{fmt}"'
    return response
