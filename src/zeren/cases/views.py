"""Staff pages: the deadline dashboard, a case with its deadlines, story and documents."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from zeren.cases import documents, selectors
from zeren.cases.models import Case, Notification
from zeren.core.models import SecurityEvent
from zeren.core.security import log_event


def _case_or_404(request: HttpRequest, pk: int) -> Case:
    case = (
        Case.objects.restrict(request.user, "view")
        .select_related("violation", "township", "rule_set", "person", "handler")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        if Case.objects.filter(pk=pk).exists():
            log_event(SecurityEvent.Kind.DENIED, request=request, detail={"case": pk})
        raise Http404("案件不存在，或不在您的查看范围内")
    return case


@login_required
@permission_required("cases.view_case", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    today = dt.date.today()
    visible = Case.objects.restrict(request.user, "view")
    board = selectors.deadline_board(visible, today=today)
    mine = selectors.my_cases(request.user).exclude(step="archived").select_related("township")
    return render(
        request,
        "cases/dashboard.html",
        {
            "today": today,
            "board": board,
            "this_week": board["this_week"][:100],
            "overdue": board["overdue"][:100],
            "my_cases": mine[:50],
            "notifications": Notification.objects.filter(user=request.user, read_at__isnull=True)[
                :20
            ],
        },
    )


@login_required
@permission_required("cases.view_case", raise_exception=True)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    today = dt.date.today()
    deadlines = [(d, d.status(today)) for d in selectors.case_deadlines(case)]
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "deadlines": deadlines,
            "events": case.events.prefetch_related("documents"),
            "documents": case.documents.order_by("sequence"),
            "payments": case.payments.all(),
        },
    )


@login_required
@permission_required("cases.view_casedocument", raise_exception=True)
def case_document(request: HttpRequest, pk: int, sequence: int, fmt: str) -> HttpResponse:
    case = _case_or_404(request, pk)
    doc = case.documents.filter(sequence=sequence).first()
    if doc is None:
        raise Http404("没有该文书")
    log_event(SecurityEvent.Kind.EXPORT, request=request, obj=doc, detail={"format": fmt})
    if fmt == "pdf":
        response = HttpResponse(documents.document_pdf(doc), content_type="application/pdf")
    else:
        response = HttpResponse(
            documents.document_docx(doc),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    response["Content-Disposition"] = f'attachment; filename="case-{case.pk}-{sequence}.{fmt}"'
    return response


@login_required
@permission_required("cases.view_casedocument", raise_exception=True)
def case_file_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    log_event(SecurityEvent.Kind.EXPORT, request=request, obj=case, detail={"what": "案卷"})
    response = HttpResponse(documents.case_file_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="case-{case.pk}.pdf"'
    return response


@login_required
@permission_required("cases.view_case", raise_exception=True)
def reviews(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period") or selectors.half_year(dt.date.today())
    results = selectors.review_results(period, Case.objects.restrict(request.user, "view"))
    return render(request, "cases/reviews.html", {"period": period, "results": results})
