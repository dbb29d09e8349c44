"""Staff pages: the deadline dashboard, filing a case, and working a case step by step.

Every write goes through the guarded services in ``services.py``: a page only parses the
form, calls the service and shows its refusal next to the form. The forms are in
``forms.py``; the standard document templates in ``doc_templates/``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zeren.cases import documents, rules, selectors, services
from zeren.cases.forms import (
    AddOfficerForm,
    ApproveForm,
    ClockForm,
    CloseForm,
    DateOnForm,
    DecideForm,
    ExtendForm,
    FileCaseForm,
    HearingRecordForm,
    HearingRequestForm,
    HearingScheduleForm,
    InstalmentForm,
    NoticeForm,
    OnSpotForm,
    PaymentForm,
    RecordForm,
    RecusalDecisionForm,
    RecusalForm,
    ReviewForm,
    ServeForm,
    StatementForm,
    StepForm,
    split_names,
)
from zeren.cases.models import (
    Case,
    CaseKind,
    Payment,
    Recusal,
    Step,
)
from zeren.core import charts
from zeren.core.documents import PDF_TYPE, attachment
from zeren.core.models import Notification, SecurityEvent
from zeren.core.notifications import inbox
from zeren.core.scope import scoped_object_or_404
from zeren.core.security import log_event
from zeren.people.services import person_find_by_id_number

APPROVE = "cases.approve_case"
CHANGE = "cases.change_case"
REVIEW = "cases.review_case"


def _case_or_404(request: HttpRequest, pk: int) -> Case:
    return scoped_object_or_404(
        request,
        Case.objects.restrict(request.user, "view").select_related(
            "violation", "township", "rule_set", "person", "handler"
        ),
        pk,
        message="案件不存在，或不在您的查看范围内",
    )


# -- actions -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Action:
    """One thing a user can do on a case page: its form, permission and service call."""

    key: str
    title: str
    form: type[StepForm]
    perm: str
    steps: tuple[str, ...]
    run: Callable[[Any, Case, dict[str, Any]], Any]
    when: Callable[[Case], bool] = lambda case: True
    button: str = "提交"
    calculator: bool = False
    confirm: str = ""  # an irreversible step names its consequence before it is taken


def _run_file_review(user: Any, case: Case, d: dict[str, Any]) -> Any:
    scores = {key: d[f"score_{key}"] for key, _, _ in services.CHECKLIST}
    return services.file_review_record(
        actor=user,
        case=case,
        period=d["period"],
        reviewed_on=d["reviewed_on"],
        scores=scores,
        remarks=d["remarks"],
    )


BEFORE_DECISION = (Step.FILED, Step.NOTIFIED, Step.HEARING, Step.APPROVED)

ACTIONS: dict[str, Action] = {
    a.key: a
    for a in [
        Action(
            "record",
            "调查笔录",
            RecordForm,
            CHANGE,
            (Step.FILED,),
            lambda u, c, d: services.case_record_investigation(
                actor=u,
                case=c,
                signatories=split_names(d.pop("signatories")),
                recorded_by=list(d.pop("recorded_by")),
                **d,
            ),
            button="记录笔录",
        ),
        Action(
            "recusal",
            "回避申请",
            RecusalForm,
            CHANGE,
            (Step.FILED, Step.NOTIFIED, Step.HEARING),
            lambda u, c, d: services.case_declare_recusal(actor=u, case=c, **d),
            button="记录回避申请",
        ),
        Action(
            "recusal-decision",
            "回避决定",
            RecusalDecisionForm,
            APPROVE,
            (Step.FILED, Step.NOTIFIED, Step.HEARING),
            lambda u, c, d: services.case_decide_recusal(
                actor=u, recusal=d["recusal"], granted=d["granted"], on=d["on"]
            ),
            when=lambda c: c.recusals.filter(decision=Recusal.Decision.PENDING).exists(),
            button="作出回避决定",
        ),
        Action(
            "officer",
            "增派执法人员",
            AddOfficerForm,
            CHANGE,
            (Step.FILED,),
            lambda u, c, d: services.case_add_officer(actor=u, case=c, **d),
            button="增派",
        ),
        Action(
            "notice",
            "调查终结，送达告知书",
            NoticeForm,
            CHANGE,
            (Step.FILED,),
            lambda u, c, d: services.case_serve_notice(actor=u, case=c, **d),
            button="送达告知书",
            calculator=True,
        ),
        Action(
            "statement",
            "陈述申辩",
            StatementForm,
            CHANGE,
            (Step.NOTIFIED, Step.HEARING),
            lambda u, c, d: services.case_record_statement(actor=u, case=c, **d),
            button="记录陈述申辩",
        ),
        Action(
            "hearing-request",
            "听证申请",
            HearingRequestForm,
            CHANGE,
            (Step.NOTIFIED,),
            lambda u, c, d: services.case_request_hearing(actor=u, case=c, **d),
            when=lambda c: not c.hearing_waived,
            button="登记听证申请",
        ),
        Action(
            "hearing-schedule",
            "听证通知",
            HearingScheduleForm,
            CHANGE,
            (Step.HEARING,),
            lambda u, c, d: services.case_schedule_hearing(actor=u, case=c, **d),
            when=lambda c: c.hearing_held_on is None,
            button="送达听证通知书",
        ),
        Action(
            "hearing-record",
            "听证笔录",
            HearingRecordForm,
            CHANGE,
            (Step.HEARING,),
            lambda u, c, d: services.case_record_hearing(
                actor=u, case=c, signatories=split_names(d.pop("signatories")), **d
            ),
            when=lambda c: c.hearing_on is not None and c.hearing_held_on is None,
            button="记录听证",
        ),
        Action(
            "approve",
            "负责人审批",
            ApproveForm,
            APPROVE,
            (Step.NOTIFIED, Step.HEARING),
            lambda u, c, d: services.case_approve(actor=u, case=c, **d),
            when=lambda c: c.step == Step.NOTIFIED or c.hearing_held_on is not None,
            button="审批同意",
            confirm="审批同意后即可作出处罚决定，审批意见不能撤回。确定同意吗？",
            calculator=True,
        ),
        Action(
            "extend",
            "延长作出决定的期限",
            ExtendForm,
            APPROVE,
            BEFORE_DECISION,
            lambda u, c, d: services.case_extend_decision(actor=u, case=c, **d),
            when=lambda c: selectors.rulebook(c.rule_set).has("decision_period"),
            button="批准延长",
        ),
        Action(
            "decide",
            "作出决定书",
            DecideForm,
            CHANGE,
            (Step.APPROVED,),
            lambda u, c, d: services.case_decide(actor=u, case=c, **d),
            button="作出决定",
            confirm="作出决定后文书编号和内容即固定，只能依法撤销或更正。确定作出决定吗？",
        ),
        Action(
            "serve",
            "送达决定书",
            ServeForm,
            CHANGE,
            (Step.DECIDED,),
            lambda u, c, d: services.case_serve_decision(actor=u, case=c, **d),
            button="登记送达回证",
        ),
        Action(
            "payment",
            "登记缴款",
            PaymentForm,
            CHANGE,
            (Step.SERVED,),
            lambda u, c, d: services.case_record_payment(actor=u, case=c, **d),
            when=lambda c: c.paid_off_on is None,
            button="登记",
        ),
        Action(
            "instalments",
            "批准分期缴纳",
            InstalmentForm,
            APPROVE,
            (Step.SERVED,),
            lambda u, c, d: services.case_set_instalments(actor=u, case=c, **d),
            when=lambda c: c.paid_off_on is None,
            button="批准分期",
        ),
        Action(
            "summary-report",
            "当场处罚决定备案",
            DateOnForm,
            CHANGE,
            (Step.SERVED, Step.CLOSED, Step.ARCHIVED),
            lambda u, c, d: services.case_report_summary(actor=u, case=c, reported_on=d["on"]),
            when=lambda c: c.procedure == Case.Procedure.SUMMARY and c.summary_reported_on is None,
            button="登记备案",
        ),
        Action(
            "reminder",
            "送达催告书",
            DateOnForm,
            CHANGE,
            (Step.SERVED,),
            lambda u, c, d: services.case_serve_reminder(actor=u, case=c, served_on=d["on"]),
            when=lambda c: c.paid_off_on is None and c.reminder_served_on is None,
            button="送达催告书",
        ),
        Action(
            "court",
            "申请人民法院强制执行",
            DateOnForm,
            CHANGE,
            (Step.SERVED,),
            lambda u, c, d: services.case_apply_court(actor=u, case=c, applied_on=d["on"]),
            when=lambda c: c.paid_off_on is None and c.court_applied_on is None,
            button="提交申请",
        ),
        Action(
            "close",
            "结案",
            CloseForm,
            CHANGE,
            (Step.SERVED,),
            lambda u, c, d: services.case_close(actor=u, case=c, **d),
            when=lambda c: c.paid_off_on is not None or c.court_applied_on is not None,
            button="结案",
            confirm="结案后不能再办理本案的任何环节。确定结案吗？",
        ),
        Action(
            "archive",
            "立卷归档",
            DateOnForm,
            CHANGE,
            (Step.CLOSED,),
            lambda u, c, d: services.case_archive(actor=u, case=c, archived_on=d["on"]),
            button="归档",
            confirm="归档后案卷封存，不能再修改。确定归档吗？",
        ),
        Action(
            "review",
            "案卷评查",
            ReviewForm,
            REVIEW,
            (Step.CLOSED, Step.ARCHIVED),
            _run_file_review,
            button="保存评查结果",
        ),
    ]
}


def _initial(action: Action, case: Case, today: dt.date) -> dict[str, Any]:
    """Sensible defaults: today's date, the party as recipient, the period to review."""
    initial: dict[str, Any] = {}
    for name, field in action.form.base_fields.items():
        if isinstance(field, forms.DateField) and field.required:
            initial[name] = today
    if action.key == "serve":
        initial["recipient"] = case.party_name
        if case.party_kind == Case.PartyKind.ORGANISATION:
            initial["recipient"] = case.legal_representative
    if action.key == "payment" and case.amount is not None:
        initial["amount"] = case.amount - case.principal_paid
        initial["kind"] = Payment.Kind.PRINCIPAL
    if action.key == "review":
        initial["period"] = selectors.half_year(today)
    if action.key == "approve" and case.amount is not None:
        initial["amount"] = case.amount
    return initial


def _auto_id(action: Action) -> str:
    # Several forms share field names ("on"); keep the label ids apart.
    return f"{action.key}-%s"


def _offered(user: Any, case: Case) -> list[Action]:
    return [
        a
        for a in ACTIONS.values()
        if case.step in a.steps and user.has_perm(a.perm) and a.when(case)
    ]


def _calculator(case: Case, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """The discretion calculator: every grade's range, and the assessment of the given facts."""
    spec = selectors.violation_spec(case.violation)
    data = data or {}
    gains = data.get("gains", case.gains)
    base_income = data.get("base_income", case.base_income)
    grades = []
    for grade in rules.GRADE_ORDER:
        if grade not in spec.grades:
            continue
        factors = list(spec.grades[grade][2])
        try:
            result = rules.assess(
                spec, circumstances=factors[:1], gains=gains, base_income=base_income
            )
        except ValidationError as exc:
            return {"error": exc.messages[0], "grades": []}
        if result.grade != grade:
            continue
        grades.append(
            {
                "label": rules.GRADE_LABELS[grade],
                "min": result.grade_min,
                "max": result.grade_max,
                "factors": factors,
            }
        )
    out: dict[str, Any] = {"grades": grades, "legal_basis": spec.legal_basis}
    if grades:
        first = rules.legal_range(spec, gains=gains, base_income=base_income)
        out["legal"] = first
    circumstances = data.get("circumstances", case.circumstances or [])
    amount = data.get("amount", case.amount)
    reason = data.get("amount_reason", case.amount_reason)
    book = selectors.rulebook(case.rule_set)
    try:
        out["assessment"] = rules.assess(
            spec,
            circumstances=circumstances,
            gains=gains,
            base_income=base_income,
            amount=amount,
            reason=reason or "",
            large_amount=services._large_amount(case, book),
        )
    except ValidationError as exc:
        out["assessment_error"] = exc.messages[0]
    return out


def _panel_context(
    request: HttpRequest,
    case: Case,
    *,
    bound: tuple[Action, StepForm] | None = None,
    done: str = "",
) -> dict[str, Any]:
    today = timezone.localdate()
    offered = _offered(request.user, case)
    if bound is not None and bound[0] not in offered:
        # A refused action not offered at this step is still shown, with its reason.
        offered = [bound[0], *offered]
    panels = []
    for action in offered:
        if bound is not None and bound[0].key == action.key:
            form = bound[1]
        else:
            form = action.form(
                case=case, initial=_initial(action, case, today), auto_id=_auto_id(action)
            )
        panels.append({"action": action, "form": form})
    deadlines = [(d, d.status(today)) for d in selectors.case_deadlines(case)]
    book = selectors.rulebook(case.rule_set)
    approval_notes = []
    if case.complex:
        approval_notes.append("本案登记为情节复杂或重大：须负责人集体讨论并附纪要")
    if case.hearing_held_on:
        approval_notes.append("本案经过听证")
    if book.has("legal_review"):
        approval_notes.append(f"{book.name}：{book.get('legal_review').citation}")
    return {
        "case": case,
        "today": today,
        "deadlines": deadlines,
        "panels": panels,
        "calculator": _calculator(case) if any(a.calculator for a in offered) else None,
        "done": done,
        "approval_notes": approval_notes,
        "events": case.events.prefetch_related("documents"),
        "documents": case.documents.order_by("sequence"),
        "voidable": [str(f) for f in services.VOIDABLE],
        "payments": case.payments.all(),
        "instalments": case.instalments.all(),
        "late_fee": services.case_late_fee(case, today) if case.step == Step.SERVED else None,
        "recusals": case.recusals.select_related("officer__user"),
        "officers": case.officers.select_related("user"),
    }


# -- pages ---------------------------------------------------------------------------------
@login_required
@permission_required("cases.view_case", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    today = dt.date.today()
    visible = Case.objects.restrict(request.user, "view")
    board = selectors.deadline_board(visible, today=today)
    mine = selectors.my_cases(request.user).exclude(step="archived").select_related("township")
    counts = dict(visible.values_list("step").annotate(n=Count("id")).order_by())
    steps = [(label, counts.get(code, 0)) for code, label in Step.choices]
    by_step = charts.bar(
        "step-chart",
        "各环节案件数",
        [label for label, _ in steps],
        [n for _, n in steps],
        headers=["环节", "案件数"],
        table=[[label, n] for label, n in steps],
        unit="件",
        minimum=0,
    )
    return render(
        request,
        "cases/dashboard.html",
        {
            "today": today,
            "board": board,
            "this_week": board["this_week"][:100],
            "overdue": board["overdue"][:100],
            "my_cases": mine[:50],
            "by_step": by_step,
            "notifications": inbox(request.user).filter(
                kind=Notification.Kind.DEADLINE, recipient=request.user, read_at__isnull=True
            )[:20],
        },
    )


def _party_fields(cleaned: dict[str, Any]) -> dict[str, Any]:
    """The filing form's data as service arguments: the ID number only found the person, and a
    person party carries no organisation fields."""
    d = dict(cleaned)
    party_kind = d.pop("party_kind")
    d.pop("id_number")
    if party_kind == Case.PartyKind.PERSON:
        d.update(organisation_name="", organisation_code="", legal_representative="")
    return d


@login_required
@permission_required("cases.add_case", raise_exception=True)
def case_new(request: HttpRequest) -> HttpResponse:
    """立案: file a case through ``services.case_file``; a refusal is shown on the form."""
    if request.method == "POST":
        form = FileCaseForm(request.POST, user=request.user)
        if form.is_valid():
            d = _party_fields(form.cleaned_data)
            try:
                case = services.case_file(actor=request.user, person=form.person, **d)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已立案：{case.number}")
                return redirect("case-detail", case.pk)
    else:
        form = FileCaseForm(
            user=request.user,
            initial={
                "filed_on": timezone.localdate(),
                "party_kind": Case.PartyKind.PERSON,
                "kind": CaseKind.PENALTY,
            },
        )
    return render(request, "cases/new.html", {"form": form})


@login_required
@permission_required("cases.add_case", raise_exception=True)
def case_on_spot(request: HttpRequest) -> HttpResponse:
    """简易程序: decide a small fine on the spot through ``services.case_decide_on_spot``."""
    if request.method == "POST":
        form = OnSpotForm(request.POST, user=request.user)
        if form.is_valid():
            d = _party_fields(form.cleaned_data)
            try:
                case = services.case_decide_on_spot(actor=request.user, person=form.person, **d)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, f"已当场作出处罚决定：{case.decision_number}（案号 {case.number}）"
                )
                return redirect("case-detail", case.pk)
    else:
        form = OnSpotForm(
            user=request.user,
            initial={"decided_on": timezone.localdate(), "party_kind": Case.PartyKind.PERSON},
        )
    return render(request, "cases/on_spot.html", {"form": form})


@login_required
@permission_required("cases.add_case", raise_exception=True)
@require_POST
def person_lookup(request: HttpRequest) -> HttpResponse:
    """The registered person with exactly this ID number (htmx helper of the filing page)."""
    raw = (request.POST.get("id_number") or "").strip().upper()
    person = person_find_by_id_number(actor=request.user, id_number=raw) if raw else None
    return render(request, "cases/_person.html", {"person": person, "asked": bool(raw)})


@login_required
@permission_required("cases.view_case", raise_exception=True)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    return render(request, "cases/detail.html", _panel_context(request, case))


@login_required
@require_POST
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Do one step on a case: the form is parsed, the service decides, its refusal is shown."""
    case = _case_or_404(request, pk)
    step = ACTIONS.get(action)
    if step is None:
        raise Http404("没有该操作")
    if not request.user.has_perm(step.perm):
        raise PermissionDenied(f"无权办理：{step.title}")
    form = step.form(request.POST, case=case, auto_id=_auto_id(step))
    done = ""
    if form.is_valid():
        try:
            step.run(request.user, case, dict(form.cleaned_data))
        except ValidationError as exc:
            form.add_error(None, exc)
            case = _case_or_404(request, pk)
        else:
            done = f"已完成：{step.title}"
            if not request.htmx:
                messages.success(request, done)
                return redirect(reverse("case-detail", args=[case.pk]) + "#step-panel")
            case = _case_or_404(request, pk)
    bound = None if done else (step, form)
    context = _panel_context(request, case, bound=bound, done=done)
    template = "cases/_panel.html" if request.htmx else "cases/detail.html"
    return render(request, template, context)


@login_required
@permission_required("cases.view_violation", raise_exception=True)
@require_POST
def calculator(request: HttpRequest, pk: int) -> HttpResponse:
    """Recompute the discretion range for the circumstances on the form (htmx)."""
    case = _case_or_404(request, pk)
    data: dict[str, Any] = {
        "circumstances": request.POST.getlist("circumstances"),
        "amount_reason": request.POST.get("amount_reason", ""),
    }
    for name in ("gains", "base_income", "amount"):
        raw = (request.POST.get(name) or "").strip()
        try:
            data[name] = Decimal(raw) if raw else None
        except ArithmeticError:
            data[name] = None
    if data["amount"] is None:
        data["amount"] = case.amount
    return render(
        request, "cases/_calculator.html", {"case": case, "calculator": _calculator(case, data)}
    )


@login_required
@permission_required("cases.view_casedocument", raise_exception=True)
def case_document(request: HttpRequest, pk: int, sequence: int, fmt: str) -> HttpResponse:
    case = _case_or_404(request, pk)
    doc = case.documents.filter(sequence=sequence).first()
    if doc is None:
        raise Http404("没有该文书")
    if fmt not in documents.FORMATS:
        raise Http404("没有该格式")
    try:
        body = documents.document_file(doc, fmt, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("case-detail", pk=case.pk)
    log_event(
        SecurityEvent.Kind.EXPORT,
        request=request,
        obj=doc,
        detail={"what": "案件文书", "format": fmt, "rows": 1},
    )
    return attachment(body, documents.document_filename(doc, fmt), documents.FORMATS[fmt])


@login_required
@require_POST
def case_document_void(request: HttpRequest, pk: int, sequence: int) -> HttpResponse:
    """Void a wrong record with the reason typed beside it (confirmed in the browser first)."""
    case = _case_or_404(request, pk)
    doc = case.documents.filter(sequence=sequence).first()
    if doc is None:
        raise Http404("没有该文书")
    try:
        if not request.POST.get("confirm"):
            raise ValidationError("请勾选“确认作废”：作废后不能恢复")
        services.case_document_void(
            actor=request.user, document=doc, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        for problem in exc.messages:
            messages.error(request, problem)
    else:
        messages.success(request, f"已作废：{doc.number}{doc.get_form_display()}")
    return redirect(reverse("case-detail", args=[case.pk]))


@login_required
@permission_required("cases.view_casedocument", raise_exception=True)
def case_file_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    try:
        body = documents.case_file_pdf(case, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("case-detail", pk=case.pk)
    log_event(
        SecurityEvent.Kind.EXPORT,
        request=request,
        obj=case,
        detail={"what": "案卷", "rows": case.documents.count()},
    )
    return attachment(body, documents.case_file_filename(case), PDF_TYPE)


@login_required
@permission_required("cases.view_case", raise_exception=True)
def reviews(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period") or selectors.half_year(dt.date.today())
    results = selectors.review_results(period, Case.objects.restrict(request.user, "view"))
    return render(request, "cases/reviews.html", {"period": period, "results": results})


@login_required
@permission_required("cases.view_case", raise_exception=True)
def clock(request: HttpRequest) -> HttpResponse:
    """期限计算器: what-if deadlines for typed-in dates (``selectors.clock_document``)."""
    form = ClockForm(request.GET or None)
    doc = None
    if request.GET and form.is_valid():
        data = dict(form.cleaned_data)
        today = data.pop("today") or timezone.localdate()
        data["service"] = data.get("service") or "direct"
        try:
            doc = selectors.clock_document(selectors.clock_facts(**data), today)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "cases/clock.html", {"form": form, "doc": doc})
