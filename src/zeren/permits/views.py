"""Staff pages of the licence registry: list with filters, detail with history, actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from zeren.core.models import SecurityEvent
from zeren.core.security import log_event
from zeren.permits.forms import AmendForm, ConcludeForm, ImportForm, UseForm
from zeren.permits.imports import ImportProblems, permits_import, template_xlsx
from zeren.permits.models import Permit
from zeren.permits.rules import Outcome
from zeren.permits.selectors import permits_for, townships_for
from zeren.permits.services import permit_amend, permit_cancel, permit_revoke, permit_use
from zeren.permits.tables import PermitFilter, PermitTable


def _permit_or_404(request: HttpRequest, pk: int) -> Permit:
    permit = permits_for(request.user).filter(pk=pk).first()
    if permit is None:
        if Permit.objects.filter(pk=pk).exists():
            log_event(SecurityEvent.Kind.DENIED, request=request, detail={"permit": pk})
        raise Http404("许可不存在，或不在您的查看范围内")
    return permit


@login_required
@permission_required("permits.view_permit", raise_exception=True)
def permit_list(request: HttpRequest) -> HttpResponse:
    qs = permits_for(request.user)
    filterset = PermitFilter(
        request.GET or None, queryset=qs, townships=townships_for(request.user)
    )
    table = PermitTable(filterset.qs if filterset.is_bound and filterset.is_valid() else qs)
    RequestConfig(request, paginate={"per_page": 50, "paginator_class": LazyPaginator}).configure(
        table
    )
    template = "permits/_table.html" if request.htmx else "permits/list.html"
    return render(request, template, {"table": table, "filter": filterset})


@login_required
@permission_required("permits.view_permit", raise_exception=True)
def permit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    permit = _permit_or_404(request, pk)
    user = request.user
    return render(
        request,
        "permits/detail.html",
        {
            "permit": permit,
            "events": permit.events.all(),
            "revoke_form": ConcludeForm(outcome=Outcome.REVOKE)
            if user.has_perm("permits.revoke_permit")
            else None,
            "cancel_form": ConcludeForm(outcome=Outcome.CANCEL)
            if user.has_perm("permits.cancel_permit")
            else None,
            "use_form": UseForm() if user.has_perm("permits.change_permit") else None,
            "amend_form": AmendForm() if user.has_perm("permits.change_permit") else None,
        },
    )


@login_required
@require_POST
def permit_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    permit = _permit_or_404(request, pk)
    try:
        if action in ("revoke", "cancel"):
            form = ConcludeForm(request.POST, outcome=action)
            if not form.is_valid():
                raise ValidationError("；".join(e for errs in form.errors.values() for e in errs))
            service = permit_revoke if action == "revoke" else permit_cancel
            service(actor=request.user, permit=permit, **form.cleaned_data)
            messages.success(request, "已撤销" if action == "revoke" else "已注销")
        elif action == "use":
            form = UseForm(request.POST)
            if not form.is_valid():
                raise ValidationError("请填写使用日期")
            permit_use(actor=request.user, permit=permit, **form.cleaned_data)
            messages.success(request, "已登记使用")
        elif action == "amend":
            form = AmendForm(request.POST)
            if not form.is_valid():
                raise ValidationError("；".join(e for errs in form.errors.values() for e in errs))
            data = form.cleaned_data
            changes = {k: data[k] for k in ("valid_to", "conditions") if data[k]}
            permit_amend(
                actor=request.user,
                permit=permit,
                changes=changes,
                reason=data["reason"],
                documents=data["documents"],
            )
            messages.success(request, "已变更")
        else:
            raise Http404("未知操作")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("permit-detail", pk=permit.pk)


@login_required
@permission_required("permits.import_permit", raise_exception=True)
def permit_import_view(request: HttpRequest) -> HttpResponse:
    if request.GET.get("template"):
        response = HttpResponse(
            template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="permits-template.xlsx"'
        return response
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = permits_import(actor=request.user, content=form.cleaned_data["file"].read())
        except ImportProblems as exc:
            problems = exc.problems
        else:
            messages.success(request, f"已导入 {count} 件许可")
            return redirect("permit-list")
    status = 400 if problems else 200
    return render(
        request, "permits/import.html", {"form": form, "problems": problems}, status=status
    )
