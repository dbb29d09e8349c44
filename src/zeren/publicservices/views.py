"""Public pages (guides, online application, progress lookup, rating) and the staff queue."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zeren.core import ratelimit
from zeren.core.forms import show_refusal
from zeren.core.models import SecurityEvent
from zeren.core.security import client_ip, log_event
from zeren.core.spreadsheets import ImportFailed
from zeren.publicservices import documents, selectors
from zeren.publicservices.forms import (
    ApplyForm,
    CounterForm,
    FinishForm,
    FollowUpForm,
    LookupForm,
    RatingForm,
)
from zeren.publicservices.models import Application, ReviewPerson
from zeren.publicservices.services import (
    agency_review_answer,
    agency_review_submit,
    application_complete,
    application_refuse,
    application_submit,
    follow_up_close,
    rating_submit,
    review_person_check,
)

SESSION_KEY = "publicservices_looked_up"


# --- public ------------------------------------------------------------------------------


def guide_list(request: HttpRequest) -> HttpResponse:
    return render(request, "publicservices/guide_list.html", {"guides": selectors.guides()})


def guide_detail(request: HttpRequest, number: int) -> HttpResponse:
    """One service's guide; ``?print=1`` gives the bare printable page."""
    guide = selectors.guide_for(number)
    if guide is None:
        raise Http404("没有这项公共服务")
    template = "guide_print.html" if request.GET.get("print") else "guide_detail.html"
    return render(request, f"publicservices/{template}", {"g": guide})


def apply(request: HttpRequest, number: int) -> HttpResponse:
    """Apply online; the receipt number and a lookup code shown once are the answer.

    Each client address may submit ``ZEREN_SERVICE_APPLICATIONS_PER_HOUR`` a clock hour.
    """
    guide = selectors.guide_for(number)
    if guide is None or guide.guide is None or not guide.guide.takes_online_applications:
        raise Http404("该事项不受理网上申请")
    form = ApplyForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.pop("website"):
            return render(request, "publicservices/apply_done.html", {"reference": "—"})
        if not ratelimit.take("apply", client=client_ip(request)):
            log_event(SecurityEvent.Kind.DENIED, request=request, detail={"rate": "apply"})
            form.add_error(None, ratelimit.refusal("apply"))
            status = 429
        else:
            try:
                application = application_submit(
                    actor=None, service_number=number, **form.cleaned_data
                )
            except ValidationError as exc:
                show_refusal(form, exc)
            else:
                response = render(
                    request,
                    "publicservices/apply_done.html",
                    {"application": application, "receipt_code": application.receipt_code},
                )
                response["Cache-Control"] = "no-store"
                return response
    return render(request, "publicservices/apply.html", {"g": guide, "form": form}, status=status)


def _looked_up(request: HttpRequest, reference: str) -> Application:
    """An application this browser has looked up with its code (kept in the session)."""
    if reference not in request.session.get(SESSION_KEY, []):
        raise Http404("请先用受理编号和查询码查询")
    return get_object_or_404(Application.objects.select_related("section"), reference=reference)


def lookup(request: HttpRequest) -> HttpResponse:
    """Follow an application by receipt number and lookup code (both must match).

    Rate limited per client (``ZEREN_REPORT_LOOKUPS_PER_HOUR``) so codes cannot be tried in bulk;
    a found application is remembered in the session for the letter and the rating.
    """
    form = LookupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not ratelimit.take("lookup", client=client_ip(request)):
            log_event(SecurityEvent.Kind.DENIED, request=request, detail={"rate": "lookup"})
            form.add_error(None, ratelimit.refusal("lookup"))
            status = 429
        else:
            found = selectors.application_by_receipt(
                form.cleaned_data["reference"], form.cleaned_data["code"]
            )
            if found is None:
                form.add_error(None, "受理编号或查询码不对，请核对后再试。")
                status = 404
            else:
                seen = request.session.get(SESSION_KEY, [])
                request.session[SESSION_KEY] = [*seen[-9:], found.reference]
                return redirect("publicservices-progress", reference=found.reference)
    response = render(request, "publicservices/lookup.html", {"form": form}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def progress(request: HttpRequest, reference: str) -> HttpResponse:
    application = _looked_up(request, reference)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rating_submit(application=application, **form.cleaned_data)
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, "感谢您的评价。")
            return redirect("publicservices-progress", reference=reference)
    response = render(
        request,
        "publicservices/progress.html",
        {
            "a": application,
            "events": application.events.all(),
            "rating": getattr(application, "rating", None),
            "form": form,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


def _letter_response(application: Application, fmt: str) -> HttpResponse:
    if application.is_open:
        raise Http404("办件尚未办结，没有结果告知书")
    if fmt == "pdf":
        body, kind = documents.letter_pdf(application), "application/pdf"
    elif fmt == "docx":
        body = documents.letter_docx(application)
        kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        raise Http404("只提供 pdf 和 docx 格式")
    response = HttpResponse(body, content_type=kind)
    name = f"办理结果告知书-{application.reference}.{fmt}"
    response["Content-Disposition"] = (
        f'attachment; filename="letter-{application.reference}.{fmt}"; '
        f"filename*=UTF-8''{quote(name)}"
    )
    response["Cache-Control"] = "no-store"
    return response


def public_letter(request: HttpRequest, reference: str, fmt: str) -> HttpResponse:
    """The applicant's own result letter (after the lookup); logged like a staff download."""
    application = _looked_up(request, reference)
    log_event(
        SecurityEvent.Kind.EXPORT,
        request=request,
        username="申请人",
        detail={
            "what": "办理结果告知书（申请人查询）",
            "reference": application.reference,
            "format": fmt,
            "rows": 1,
        },
    )
    return _letter_response(application, fmt)


# --- staff -------------------------------------------------------------------------------


def _application_or_404(request: HttpRequest, pk: int) -> Application:
    application = selectors.applications_for(request.user).filter(pk=pk).first()
    if application is None:
        if Application.objects.filter(pk=pk).exists():
            log_event(
                SecurityEvent.Kind.DENIED,
                request=request,
                detail={"object": "publicservices.application", "pk": pk},
            )
        raise Http404("办件不存在，或不在您的查看范围内")
    return application


@login_required
@permission_required("publicservices.view_application", raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    """The section's queue: open applications first, by due day."""
    qs = selectors.applications_for(request.user)
    status = request.GET.get("status", "received")
    if status in Application.Status.values:
        qs = qs.filter(status=status)
    qs = qs.order_by("due_on", "id") if status == "received" else qs
    return render(
        request,
        "publicservices/queue.html",
        {"applications": qs[:500], "status": status, "statuses": Application.Status.choices},
    )


@login_required
@permission_required("publicservices.add_application", raise_exception=True)
def counter(request: HttpRequest) -> HttpResponse:
    choices = [
        (g.number, f"{g.number}. {g.service.name}")
        for g in selectors.guides()
        if g.guide and g.guide.takes_online_applications
    ]
    form = CounterForm(request.POST or None, services=choices)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
        try:
            application = application_submit(
                actor=request.user, channel=Application.Channel.COUNTER, **data
            )
        except (ValidationError, PermissionDenied) as exc:
            show_refusal(form, exc)
        else:
            response = render(
                request,
                "publicservices/apply_done.html",
                {"application": application, "receipt_code": application.receipt_code},
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "publicservices/counter.html", {"form": form})


@login_required
@permission_required("publicservices.view_application", raise_exception=True)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    form = FinishForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        if form.is_valid() and action in ("complete", "refuse"):
            service = application_complete if action == "complete" else application_refuse
            key = "result" if action == "complete" else "reason"
            try:
                service(
                    actor=request.user,
                    application=application,
                    **{key: form.cleaned_data["result"]},
                )
            except (ValidationError, PermissionDenied) as exc:
                show_refusal(form, exc)
            else:
                messages.success(request, "已办结" if action == "complete" else "已决定不予办理")
                return redirect("publicservices-detail", pk=pk)
    return render(
        request,
        "publicservices/detail.html",
        {
            "a": application,
            "events": application.events.all(),
            "form": form,
            "persons": application.persons.all(),
        },
    )


@login_required
@permission_required("publicservices.view_application", raise_exception=True)
def staff_letter(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    application = _application_or_404(request, pk)
    log_event(
        SecurityEvent.Kind.EXPORT,
        request=request,
        detail={
            "what": "办理结果告知书",
            "reference": application.reference,
            "format": fmt,
            "rows": 1,
        },
    )
    return _letter_response(application, fmt)


@login_required
@permission_required("publicservices.view_followuptask", raise_exception=True)
def follow_ups(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "publicservices/follow_ups.html",
        {
            "tasks": selectors.follow_ups_for(request.user)[:500],
            "stats": selectors.rating_statistics(),
            "form": FollowUpForm(),
        },
    )


@login_required
@require_POST
@permission_required("publicservices.change_followuptask", raise_exception=True)
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(selectors.follow_ups_for(request.user), pk=pk)
    form = FollowUpForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请写明核实、整改和反馈情况")
        follow_up_close(actor=request.user, task=task, outcome=form.cleaned_data["outcome"])
    except (ValidationError, PermissionDenied) as exc:
        text = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        messages.error(request, "；".join(text))
    else:
        messages.success(request, "整改任务已办结")
    return redirect("publicservices-follow-ups")


# --- agency reviews (计生审查) ------------------------------------------------------------


class ReviewUploadForm(forms.Form):
    file = forms.FileField(
        label="人员名单（Excel）",
        help_text="第一行为表头，须有“姓名”“身份证号”“审查事由”三列；有一行不对则整份不导入",
    )
    note = forms.CharField(label="说明", max_length=200, required=False)


@login_required
@permission_required("publicservices.add_reviewperson", raise_exception=True)
def review_upload(request: HttpRequest) -> HttpResponse:
    """A county agency submits its staff list; the answer names every bad row."""
    form = ReviewUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            application = agency_review_submit(
                actor=request.user,
                content=form.cleaned_data["file"].read(),
                note=form.cleaned_data["note"],
            )
        except ImportFailed as exc:
            errors = [str(e) for e in exc.errors]
        except (ValidationError, PermissionDenied) as exc:
            show_refusal(form, exc)
        else:
            response = render(
                request,
                "publicservices/apply_done.html",
                {"application": application, "receipt_code": application.receipt_code},
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "publicservices/review_upload.html", {"form": form, "errors": errors})


@login_required
@require_POST
@permission_required("publicservices.handle_application", raise_exception=True)
def review_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check every unchecked person of the list (each check is logged), or answer the request."""
    application = _application_or_404(request, pk)
    try:
        if request.POST.get("action") == "answer":
            agency_review_answer(actor=request.user, application=application)
            messages.success(request, "已出具审查结果")
        else:
            pending = application.persons.filter(finding=ReviewPerson.Finding.PENDING)
            for person in pending:
                review_person_check(actor=request.user, person=person, request=request)
            messages.success(request, "已逐人核查")
    except (ValidationError, PermissionDenied) as exc:
        text = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        messages.error(request, "；".join(text))
    return redirect("publicservices-detail", pk=pk)


@login_required
@permission_required("publicservices.view_application", raise_exception=True)
def review_letter(request: HttpRequest, pk: int, row: int, fmt: str) -> HttpResponse:
    """One person's review result letter, once the request is answered."""
    application = _application_or_404(request, pk)
    person = get_object_or_404(application.persons, row=row)
    if application.is_open:
        raise Http404("审查尚未办结")
    log_event(
        SecurityEvent.Kind.EXPORT,
        request=request,
        detail={
            "what": "计生审查结果告知书",
            "reference": application.reference,
            "row": row,
            "rows": 1,
        },
    )
    if fmt == "pdf":
        body, kind = documents.review_letter_pdf(person), "application/pdf"
    elif fmt == "docx":
        body = documents.review_letter_docx(person)
        kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        raise Http404("只提供 pdf 和 docx 格式")
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = (
        f'attachment; filename="review-{application.reference}-{row}.{fmt}"'
    )
    return response
