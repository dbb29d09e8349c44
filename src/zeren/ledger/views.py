"""Staff pages: the duty × period matrix, an item's records with the quick form, imports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tables2.paginators import LazyPaginator

from zeren.catalogue.models import WorkItem
from zeren.core import documents as core_documents
from zeren.core.forms import show_refusal
from zeren.core.models import SecurityEvent
from zeren.core.scope import scoped_object_or_404
from zeren.core.security import log_event
from zeren.core.spreadsheets import ImportFailed
from zeren.ledger import documents, rules, selectors, services
from zeren.ledger.forms import MilestoneDoneForm, MilestoneForm, PlanForm, RecordForm
from zeren.ledger.models import EventMapping, Plan, PublicSummary, Record
from zeren.org.models import Section
from zeren.statistics.rules import FIRST_YEAR, LAST_YEAR, parse_year


def _period(request: HttpRequest) -> str:
    return request.GET.get("period") or str(timezone.localdate().year)


@login_required
@permission_required("ledger.view_expectation", raise_exception=True)
def matrix(request: HttpRequest) -> HttpResponse:
    """Every work item against the quarters (or months) of a year, with the year's status."""
    section = request.GET.get("section") or None
    try:
        year = str(parse_year(request.GET.get("year"), default=timezone.localdate().year))
        period, rows = selectors.ledger_status(year, section=section)
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


RECORDS_PAGE = 50  # records per page of an item


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
    # An item's year may hold well over a thousand automatic records: a page at a time.
    page = LazyPaginator(selectors.item_records(item, period, request.user), RECORDS_PAGE).get_page(
        request.GET.get("page") or 1
    )
    return render(
        request,
        "ledger/item.html",
        {
            "item": item,
            "row": row,
            "period": period,
            "records": page.object_list,
            "page": page,
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
    if fmt not in REPORT_TYPES or not FIRST_YEAR <= year <= LAST_YEAR:
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
    name = f"{year}年履职台账" if fmt == "xlsx" else f"{year}年度履职报告"
    return core_documents.attachment(make(year), f"{name}.{fmt}", REPORT_TYPES[fmt])


def _sub_periods(period: selectors.Period) -> list[str]:
    """The next finer periods: a year's quarters, a quarter's months, nothing for a month."""
    text = period.text
    if len(text) == 4:
        return [f"{text}-Q{q}" for q in range(1, 5)]
    if "Q" in text:
        first = (int(text[-1]) - 1) * 3 + 1
        return [f"{text[:4]}-{m:02d}" for m in range(first, first + 3)]
    return []


@login_required
@permission_required("ledger.view_expectation", raise_exception=True)
def period_view(request: HttpRequest) -> HttpResponse:
    """Every work item's status in a month, quarter or year, with its finer periods; each
    item links to its records (and the list's text), each finer period to its own view."""
    section = request.GET.get("section") or None
    try:
        period, rows = selectors.ledger_status(_period(request), section=section)
        columns = _sub_periods(period)
        finer = {c: selectors.ledger_status(c, section=section)[1] for c in columns}
    except selectors.InvalidPeriod as exc:
        messages.error(request, str(exc))
        return redirect("ledger-period")
    cells = {c: {r.item_id: r for r in finer[c]} for c in columns}
    year = period.text[:4]
    coarser = [year] + (
        [f"{year}-Q{(period.start.month - 1) // 3 + 1}"]
        if len(period.text) == 7 and "Q" not in period.text
        else []
    )
    return render(
        request,
        "ledger/period.html",
        {
            "period": period,
            "section": section or "",
            "columns": columns,
            "coarser": [c for c in coarser if c != period.text],
            "table": [(r, [(c, cells[c].get(r.item_id)) for c in columns]) for r in rows],
            "silent": [r for r in rows if r.status == rules.SILENT],
        },
    )


@login_required
@permission_required("ledger.view_record", raise_exception=True)
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One record under the item and list version it was filed under (old ones included)."""
    record = scoped_object_or_404(
        request,
        Record.objects.restrict(request.user, "view").select_related(
            "work_item__duty__version",
            "work_item__section",
            "section",
            "staff",
            "division",
            "content_type",
        ),
        pk,
    )
    mapping = (
        EventMapping.objects.filter(event_key=record.event_key).only("label").first()
        if record.event_key
        else None
    )
    return render(
        request,
        "ledger/record.html",
        {
            "record": record,
            "item": record.work_item,
            "event_label": mapping.label if mapping else "",
            "source_url": _source_url(request.user, record),
        },
    )


# The page of the work an automatic record stands for, by the work's model (label_lower).
SOURCE_PAGES = {
    "supervision.inspectiontask": "task-detail",
    "supervision.samplingplan": "plan-detail",
    "cases.case": "case-detail",
    "certificates.certificate": "certificates-detail",
}


def _source_url(user: Any, record: Record) -> str:
    """The address of the record's source object when ``user`` may open it, else ``""``."""
    if record.content_type_id is None or not record.object_id.isdecimal():
        return ""
    model = record.content_type.model_class()
    url_name = SOURCE_PAGES.get(model._meta.label_lower) if model is not None else None
    if url_name is None or not hasattr(model.objects, "restrict"):
        return ""
    pk = int(record.object_id)
    if not model.objects.restrict(user, "view").filter(pk=pk).exists():
        return ""
    try:
        return reverse(url_name, args=[pk])
    except NoReverseMatch:  # the capability is not installed
        return ""


def _current_items() -> Any:
    version = services.version_in_force(timezone.localdate())
    qs = WorkItem.objects.select_related("duty").order_by("duty__number", "order")
    return qs.filter(duty__version=version) if version is not None else qs.none()


def _year(request: HttpRequest) -> int:
    """``?year=`` read by statistics.rules.parse_year (this year when blank); 404 otherwise."""
    try:
        return parse_year(request.GET.get("year"), default=timezone.localdate().year)
    except selectors.InvalidPeriod as exc:
        raise Http404(str(exc)) from exc


@login_required
@permission_required("ledger.view_plan", raise_exception=True)
def plans(request: HttpRequest) -> HttpResponse:
    """The year's work plans (per item, with responsible staff and milestones) and the form."""
    year = _year(request)
    can_add = request.user.has_perm("ledger.add_plan")
    form = PlanForm(request.POST or None, items=_current_items(), initial={"year": year})
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied("无权制定年度工作计划")
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = services.plan_create(
                    actor=request.user,
                    work_item=data["work_item"],
                    year=data["year"],
                    title=data["title"],
                    content=data["content"],
                    responsible=data["responsible"],
                )
            except ValidationError as exc:
                show_refusal(form, exc)
            else:
                messages.success(request, "年度工作计划已制定，请添加节点")
                return redirect("ledger-plan", pk=plan.pk)
    rows = selectors.plans_for(year).prefetch_related("milestones")
    return render(
        request,
        "ledger/plans.html",
        {"year": year, "plans": rows, "form": form, "can_add": can_add},
    )


@login_required
@permission_required("ledger.view_plan", raise_exception=True)
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan with its milestones; add a milestone, mark one done (which records the work)."""
    plan = get_object_or_404(
        Plan.objects.select_related(
            "work_item__duty__version", "work_item__section", "carried_from__duty__version"
        ),
        pk=pk,
    )
    can_change = request.user.has_perm("ledger.change_plan")
    form = MilestoneForm(request.POST if request.POST.get("action") == "add" else None)
    done_form = MilestoneDoneForm(request.POST if request.POST.get("action") == "done" else None)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("无权修改年度工作计划")
        action = request.POST.get("action")
        try:
            if action == "add" and form.is_valid():
                services.milestone_add(
                    actor=request.user,
                    plan=plan,
                    title=form.cleaned_data["title"],
                    due_on=form.cleaned_data["due_on"],
                    responsible=form.cleaned_data["responsible"],
                )
                messages.success(request, "节点已添加")
                return redirect("ledger-plan", pk=pk)
            if action == "done" and done_form.is_valid():
                milestone = get_object_or_404(
                    plan.milestones.all(), pk=_digits(request.POST.get("milestone"))
                )
                services.milestone_complete(
                    actor=request.user,
                    milestone=milestone,
                    done_on=done_form.cleaned_data["done_on"],
                    summary=done_form.cleaned_data["summary"],
                )
                messages.success(request, "节点已完成，并记入履职台账")
                return redirect("ledger-plan", pk=pk)
        except ValidationError as exc:
            show_refusal(done_form if action == "done" else form, exc)
    milestones = list(plan.milestones.select_related("responsible", "record"))
    return render(
        request,
        "ledger/plan.html",
        {
            "plan": plan,
            "milestones": milestones,
            # Completing the last open milestone closes the plan: that button says so.
            "open_left": sum(1 for m in milestones if m.done_on is None),
            "form": form,
            "done_form": done_form,
            "can_change": can_change,
            "today": timezone.localdate(),
        },
    )


def _digits(text: str | None) -> int:
    if not text or not text.isascii() or not text.isdigit() or len(text) > 12:
        raise Http404("编号无效")
    return int(text)


@login_required
@permission_required("ledger.view_plan", raise_exception=True)
def due(request: HttpRequest) -> HttpResponse:
    """A section's items due: the milestones due within the reminder window (overdue first
    in red), the user's own, and the section's items silent so far this quarter."""
    today = timezone.localdate()
    sections = Section.objects.filter(department=services.bureau()).order_by("order", "pk")
    chosen = request.GET.get("section")
    if chosen:
        section = get_object_or_404(sections, pk=_digits(chosen))
    else:
        section = request.user.section if request.user.section_id else None
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    _, rows = selectors.ledger_status(quarter, section=section.name if section else None)
    return render(
        request,
        "ledger/due.html",
        {
            "today": today,
            "sections": sections,
            "section": section,
            "quarter": quarter,
            "milestones": selectors.section_due(section, today) if section else [],
            "mine": selectors.milestones_due(request.user, today),
            "silent": [r for r in rows if r.status == rules.SILENT] if section else [],
            "days": selectors.REMINDER_DAYS,
        },
    )


@login_required
@permission_required("ledger.view_expectation", raise_exception=True)
def summary_publish(request: HttpRequest) -> HttpResponse:
    """The head previews the year's public summary and publishes it, after confirming."""
    year = _year(request)
    can_publish = request.user.has_perm("ledger.publish_publicsummary")
    if request.method == "POST":
        if not can_publish:
            raise PermissionDenied("只有局领导可以发布履职情况公开摘要")
        try:
            services.public_summary_publish(
                actor=request.user, year=year, confirmed=request.POST.get("confirmed") == "1"
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(f"{reverse('ledger-summary')}?year={year}")
        messages.success(request, f"{year}年度履职情况已在门户网站公开")
        return redirect(f"{reverse('ledger-summary')}?year={year}")
    return render(
        request,
        "ledger/summary_publish.html",
        {
            "year": year,
            "preview": services.public_summary_text(year),
            "published": PublicSummary.objects.filter(year=year)
            .select_related("published_by")
            .first(),
            "can_publish": can_publish,
        },
    )


def public_summaries(request: HttpRequest) -> HttpResponse:
    """Public: the published annual summaries (政务公开)."""
    return render(
        request, "ledger/public_list.html", {"summaries": PublicSummary.objects.order_by("-year")}
    )


def public_summary(request: HttpRequest, year: int) -> HttpResponse:
    """Public: one year's summary, as the head published it."""
    summary = get_object_or_404(PublicSummary, year=year)
    return render(request, "ledger/public_summary.html", {"summary": summary})
