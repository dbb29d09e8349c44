"""Staff pages: the indicators dashboard, plans, tasks, reports, notices, regimes, conflicts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zeren.core import ratelimit
from zeren.core.models import SecurityEvent
from zeren.core.notifications import inbox
from zeren.core.scope import scoped_object_or_404, townships_for
from zeren.core.security import client_ip, log_event
from zeren.people.models import Person
from zeren.people.services import id_number_digest
from zeren.supervision import rules, selectors
from zeren.supervision.exports import status_xlsx
from zeren.supervision.forms import (
    AssignForm,
    ConflictForm,
    DispositionForm,
    DrawForm,
    ReceiptForm,
    RecordForm,
    ReportForm,
)
from zeren.supervision.models import (
    ConflictDeclaration,
    InspectionTask,
    Report,
    Result,
    SamplingPlan,
    SupervisionRegime,
)
from zeren.supervision.services import (
    conflict_declare,
    disposition_record,
    inspection_task_assign,
    inspection_task_draw_officers,
    inspection_task_record,
    report_close,
    report_submit,
    report_take,
    reporter_identity,
    sampling_plan_commit,
    sampling_plan_draw,
    sampling_plan_verify,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _messages(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _one(request: HttpRequest, model, pk: int, action: str = "view"):
    return scoped_object_or_404(
        request,
        model.objects.restrict(request.user, action),
        pk,
        message="不存在，或不在您的查看范围内",
        action=action,
    )


@login_required
@permission_required("supervision.view_samplingplan", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    period = request.GET.get("period") or rules.period_of(today)
    try:
        rows = selectors.status_rows(period, user=request.user, today=today)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("supervision-dashboard")
    fmt = request.GET.get("format")
    if fmt in ("json", "xlsx"):
        log_event(
            SecurityEvent.Kind.EXPORT,
            request=request,
            detail={"what": "监管达标情况", "period": period, "format": fmt, "rows": len(rows)},
        )
        if fmt == "json":
            return JsonResponse(
                [r.as_json() for r in rows], safe=False, json_dumps_params={"ensure_ascii": False}
            )
        response = HttpResponse(status_xlsx(period, rows), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="supervision-status-{period}.xlsx"'
        return response
    _, end = rules.parse_period(period)
    campaigns = [
        (r, selectors.rounds_this_year(r, end.year))
        for r in selectors.regimes_in_force(end)
        if r.frequency == SupervisionRegime.Frequency.YEAR and r.draws_permits
    ]
    draw_form = None
    if request.user.has_perm("supervision.draw_samplingplan"):
        draw_form = DrawForm(
            initial={"period": period},
            regimes=[r for r in selectors.regimes_in_force(end) if r.draws_permits],
            townships=townships_for(request.user),
        )
    return render(
        request,
        "supervision/dashboard.html",
        {
            "period": period,
            "rows": rows,
            "campaigns": campaigns,
            "overdue": selectors.overdue_tasks(request.user, today).count(),
            "alerts": [r for r in rows if r.alert],
            "draw_form": draw_form,
            "notices": inbox(request.user).defer("document")[:10],
        },
    )


@login_required
@require_POST
@permission_required("supervision.draw_samplingplan", raise_exception=True)
def plan_draw(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("period", "")
    end = rules.parse_period(raw)[1] if rules.PERIOD_RE.match(raw) else timezone.localdate()
    regimes = [r for r in selectors.regimes_in_force(end) if r.draws_permits]
    form = DrawForm(request.POST, regimes=regimes, townships=townships_for(request.user))
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("supervision-dashboard")
    data = form.cleaned_data
    regime = next(r for r in regimes if r.code == data["regime"])
    try:
        plan = sampling_plan_commit(
            actor=request.user,
            regime=regime,
            period=data["period"],
            division=data["township"],
            round=data["round"],
            seed=data["seed"] or None,
        )
        plan = sampling_plan_draw(actor=request.user, plan=plan)
    except ValidationError as exc:
        messages.error(request, _messages(exc))
        return redirect("supervision-dashboard")
    messages.success(request, f"已抽取：种子哈希 {plan.seed_hash}")
    return redirect("plan-detail", pk=plan.pk)


@login_required
@permission_required("supervision.view_samplingplan", raise_exception=True)
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = (
        SamplingPlan.objects.restrict(request.user, "view")
        .select_related("regime", "division")
        .order_by("-period", "regime__code", "division__code")[:300]
    )
    return render(request, "supervision/plan_list.html", {"plans": plans})


@login_required
@permission_required("supervision.view_samplingplan", raise_exception=True)
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _one(request, SamplingPlan, pk)
    tasks = plan.tasks.select_related("permit", "permit__holder").prefetch_related(
        "crew__officer__user"
    )[:500]
    verification = sampling_plan_verify(plan=plan) if request.GET.get("verify") else None
    return render(
        request,
        "supervision/plan_detail.html",
        {"plan": plan, "tasks": tasks, "verification": verification},
    )


@login_required
@permission_required("supervision.view_inspectiontask", raise_exception=True)
def task_list(request: HttpRequest) -> HttpResponse:
    qs = InspectionTask.objects.restrict(request.user, "view").select_related(
        "regime", "permit", "township"
    )
    result = request.GET.get("result")
    if result in Result.values:
        qs = qs.filter(result=result)
    if request.GET.get("overdue"):
        qs = qs.filter(result=Result.PENDING, due_date__lt=timezone.localdate())
    return render(
        request,
        "supervision/task_list.html",
        {"tasks": qs.order_by("due_date", "id")[:500], "results": Result.choices},
    )


@login_required
@permission_required("supervision.view_inspectiontask", raise_exception=True)
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_page(request, _one(request, InspectionTask, pk))


def _task_page(
    request: HttpRequest, task: InspectionTask, record_form: RecordForm | None = None
) -> HttpResponse:
    """The task page; a refused result form comes back bound, with what was typed (400)."""
    user = request.user
    return render(
        request,
        "supervision/task_detail.html",
        {
            "task": task,
            "crew": task.crew.select_related("officer__user", "certificate"),
            "dispositions": task.dispositions.all(),
            "record_form": record_form
            or (RecordForm() if user.has_perm("supervision.change_inspectiontask") else None),
            "assign_form": AssignForm()
            if user.has_perm("supervision.assign_inspectiontask")
            else None,
            "disposition_form": DispositionForm()
            if user.has_perm("supervision.add_disposition")
            else None,
        },
    )


@login_required
@require_POST
def task_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    task = _one(request, InspectionTask, pk)
    try:
        if action == "record":
            form = RecordForm(request.POST)
            if not form.is_valid():
                return _task_page(request, task, form)
            try:
                inspection_task_record(actor=request.user, task=task, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
                response = _task_page(request, task, form)
                response.status_code = 400
                return response
            messages.success(request, "已登记检查结果")
        elif action == "assign":
            form = AssignForm(request.POST)
            if not form.is_valid():
                raise ValidationError("请选择执法人员")
            inspection_task_assign(
                actor=request.user,
                task=task,
                officers=list(form.cleaned_data["officers"]),
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, "已抽派检查人员")
        elif action == "draw-officers":
            inspection_task_draw_officers(actor=request.user, task=task)
            messages.success(request, "已随机抽派检查人员")
        elif action == "dispose":
            form = DispositionForm(request.POST)
            if not form.is_valid():
                raise ValidationError("请选择处理方式")
            disposition_record(actor=request.user, task=task, **form.cleaned_data)
            messages.success(request, "已记录处理")
        else:
            raise Http404("未知操作")
    except ValidationError as exc:
        messages.error(request, _messages(exc))
    return redirect("task-detail", pk=task.pk)


# --- reports ----------------------------------------------------------------------------


@login_required
@permission_required("supervision.view_report", raise_exception=True)
def report_list(request: HttpRequest) -> HttpResponse:
    reports = Report.objects.restrict(request.user, "view").select_related("township", "handler")
    return render(request, "supervision/report_list.html", {"reports": reports[:300]})


@login_required
@permission_required("supervision.add_report", raise_exception=True)
def report_create(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None)
    form.fields["township"].queryset = townships_for(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            report = report_submit(
                actor=request.user, channel=Report.Channel.STAFF, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, _messages(exc))
        else:
            messages.success(
                request,
                f"已登记，受理编号 {report.reference}；查询码 {report.receipt_code}"
                "（只显示这一次，请告知举报人，凭此在公众网站查询办理情况）",
            )
            return redirect("report-detail", pk=report.pk)
    return render(request, "staff/form.html", {"form": form, "title": "登记举报投诉"})


@login_required
@permission_required("supervision.view_report", raise_exception=True)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _one(request, Report, pk)
    identity = None
    if report.handler_id == request.user.pk and request.GET.get("reveal"):
        identity = reporter_identity(actor=request.user, report=report, request=request)
    return render(
        request,
        "supervision/report_detail.html",
        {
            "report": report,
            "identity": identity,
            "is_handler": report.handler_id == request.user.pk,
            "can_take": report.handler_id is None
            and request.user.has_perm("supervision.handle_report"),
        },
    )


@login_required
@require_POST
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = _one(request, Report, pk)
    try:
        if action == "take":
            report_take(actor=request.user, report=report)
        elif action == "close":
            report_close(
                actor=request.user,
                report=report,
                outcome=request.POST.get("outcome", ""),
                reply=request.POST.get("reply", ""),
            )
        else:
            raise Http404("未知操作")
    except ValidationError as exc:
        messages.error(request, _messages(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("report-detail", pk=report.pk)


# --- notices, regimes, conflicts --------------------------------------------------------


@login_required
@permission_required("supervision.view_supervisionregime", raise_exception=True)
def regime_list(request: HttpRequest) -> HttpResponse:
    regimes = SupervisionRegime.objects.select_related("list_regime__version__department").order_by(
        "code", "-effective_from"
    )
    return render(request, "supervision/regime_list.html", {"regimes": regimes})


@login_required
@permission_required("supervision.view_conflictdeclaration", raise_exception=True)
def conflict_list(request: HttpRequest) -> HttpResponse:
    form = ConflictForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("supervision.add_conflictdeclaration"):
            raise PermissionDenied("无权登记回避申报")
        if form.is_valid():
            data = form.cleaned_data
            person = None
            if data["person_id_number"]:
                person = Person.objects.filter(
                    id_number_hash=id_number_digest(data["person_id_number"])
                ).first()
                if person is None:
                    form.add_error("person_id_number", "该身份证号尚未登记为相对人")
            if form.is_valid():
                try:
                    conflict_declare(
                        actor=request.user,
                        officer=data["officer"],
                        kind=data["kind"],
                        person=person,
                        village=data["village"],
                        note=data["note"],
                    )
                except ValidationError as exc:
                    form.add_error(None, _messages(exc))
                else:
                    messages.success(request, "已登记回避申报")
                    return redirect("conflict-list")
    conflicts = ConflictDeclaration.objects.select_related("officer__user", "person", "village")
    return render(request, "supervision/conflict_list.html", {"conflicts": conflicts, "form": form})


# --- public ------------------------------------------------------------------------------


def _rate_refused(scope: str) -> str:
    return ratelimit.refusal(scope) + "如情况紧急，请直接到县人口计生局当面反映。"


def public_report(request: HttpRequest) -> HttpResponse:
    """Anyone may report or complain; no login. A receipt code, shown once, lets them follow it.

    Each client IP may submit at most ``ZEREN_REPORTS_PER_HOUR`` reports a clock hour (429).
    """
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("website"):  # honeypot field that people do not see
            return render(request, "supervision/public_report_done.html", {"reference": "—"})
        if not ratelimit.take("report", client=client_ip(request)):
            log_event(SecurityEvent.Kind.DENIED, request=request, detail={"rate": "report"})
            form.add_error(None, _rate_refused("report"))
            return render(request, "supervision/public_report.html", {"form": form}, status=429)
        try:
            report = report_submit(actor=None, channel=Report.Channel.PUBLIC, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _messages(exc))
        else:
            response = render(
                request,
                "supervision/public_report_done.html",
                {"reference": report.reference, "receipt_code": report.receipt_code},
            )
            # The code is shown this once: keep it out of caches and the back button.
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "supervision/public_report.html", {"form": form})


def public_report_status(request: HttpRequest) -> HttpResponse:
    """Follow a report with its receipt code: status and answer, nothing about anyone.

    An unknown and a malformed code get the same answer; lookups are rate limited per client
    (``ZEREN_REPORT_LOOKUPS_PER_HOUR``), so codes cannot be tried in bulk.
    """
    form = ReceiptForm(request.POST or None)
    found = None
    status = 200
    if request.method == "POST" and form.is_valid():
        if not ratelimit.take("lookup", client=client_ip(request)):
            log_event(SecurityEvent.Kind.DENIED, request=request, detail={"rate": "lookup"})
            form.add_error(None, _rate_refused("lookup"))
            status = 429
        else:
            found = selectors.report_public_status(form.cleaned_data["code"])
            if found is None:
                form.add_error("code", "没有找到与该查询码对应的举报投诉，请核对后再试。")
                status = 404
    response = render(
        request,
        "supervision/public_report_status.html",
        {"form": form, "found": found},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response
