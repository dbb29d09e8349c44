"""Staff pages of the licence registry: list with filters, detail with history, actions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from zeren.core import search_tokens
from zeren.core.forms import show_refusal
from zeren.core.models import SecurityEvent
from zeren.core.scope import scoped_object_or_404, townships_for
from zeren.core.security import log_event
from zeren.people.models import Person
from zeren.people.services import person_find_by_id_number
from zeren.permits.forms import (
    AmendForm,
    ConcludeForm,
    GrantForm,
    ImportForm,
    UseForm,
    approvers_for,
)
from zeren.permits.imports import ImportProblems, permits_import, template_xlsx
from zeren.permits.models import Permit, PermitKind
from zeren.permits.rules import Outcome
from zeren.permits.selectors import permits_for
from zeren.permits.services import (
    permit_amend,
    permit_cancel,
    permit_grant,
    permit_revoke,
    permit_use,
    permit_withdraw,
)
from zeren.permits.tables import PermitFilter, PermitTable


def _permit_or_404(request: HttpRequest, pk: int) -> Permit:
    return scoped_object_or_404(
        request, permits_for(request.user), pk, message="许可不存在，或不在您的查看范围内"
    )


@login_required
@permission_required("permits.view_permit", raise_exception=True)
def permit_list(request: HttpRequest) -> HttpResponse:
    qs = permits_for(request.user)
    # The holder's ID number is POSTed and kept behind ?q= (never in a URL).
    criteria, response = search_tokens.list_criteria(
        request,
        "permits.permit",
        list(PermitFilter.base_filters),
        private=("holder_id_number",),
        what="许可证件",
    )
    if response is not None:
        return response
    filterset = PermitFilter(criteria, queryset=qs, townships=townships_for(request.user))
    table = PermitTable(filterset.qs if filterset.is_bound and filterset.is_valid() else qs)
    RequestConfig(request, paginate={"per_page": 50, "paginator_class": LazyPaginator}).configure(
        table
    )
    template = "permits/_table.html" if request.htmx else "permits/list.html"
    return render(request, template, {"table": table, "filter": filterset})


def _find_person(request: HttpRequest, form: forms.Form, field: str) -> Person | None:
    """The person with exactly this ID number, within the user's scope; else a field error."""
    raw = (form.cleaned_data.get(field) or "").strip().upper()
    if not raw:
        return None
    found = person_find_by_id_number(actor=request.user, id_number=raw)
    if found is None:
        form.add_error(field, "该身份证号尚未登记为相对人，或不在您的管辖范围内；请先登记相对人")
    return found


def _detail(
    request: HttpRequest, permit: Permit, bound: dict[str, forms.Form] | None = None, status=200
) -> HttpResponse:
    user = request.user
    bound = bound or {}
    forms_ = {
        "revoke_form": (
            bound.get("revoke") or ConcludeForm(outcome=Outcome.REVOKE, auto_id="id_revoke_%s")
            if user.has_perm("permits.revoke_permit")
            else None
        ),
        "withdraw_form": (
            bound.get("withdraw")
            or ConcludeForm(outcome=Outcome.WITHDRAW, auto_id="id_withdraw_%s")
            if user.has_perm("permits.revoke_permit")
            else None
        ),
        "cancel_form": (
            bound.get("cancel") or ConcludeForm(outcome=Outcome.CANCEL, auto_id="id_cancel_%s")
            if user.has_perm("permits.cancel_permit")
            else None
        ),
        "use_form": bound.get("use") or UseForm(auto_id="id_use_%s")
        if user.has_perm("permits.change_permit")
        else None,
        "amend_form": (
            bound.get("amend") or AmendForm(kind=permit.kind, auto_id="id_amend_%s")
            if user.has_perm("permits.change_permit")
            else None
        ),
    }
    return render(
        request,
        "permits/detail.html",
        {
            "permit": permit,
            "events": permit.events.all(),
            "failed": next(iter(bound), ""),
            **forms_,
        },
        status=status,
    )


@login_required
@permission_required("permits.view_permit", raise_exception=True)
def permit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    permit = _permit_or_404(request, pk)
    log_event(SecurityEvent.Kind.VIEW, request=request, obj=permit, detail={"what": "许可证件详情"})
    return _detail(request, permit)


@login_required
@require_POST
def permit_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Revoke, cancel, record use or amend; a refusal re-renders the form with its reason."""
    permit = _permit_or_404(request, pk)
    # Each form on the page has its own ids (the labels must point at their own fields).
    auto_id = f"id_{action}_%s"
    if action in ("revoke", "withdraw", "cancel"):
        form: forms.Form = ConcludeForm(request.POST, outcome=action, auto_id=auto_id)
    elif action == "use":
        form = UseForm(request.POST, auto_id=auto_id)
    elif action == "amend":
        form = AmendForm(request.POST, kind=permit.kind, auto_id=auto_id)
    else:
        raise Http404("未知操作")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action in ("revoke", "withdraw", "cancel"):
                service = {
                    "revoke": permit_revoke,
                    "withdraw": permit_withdraw,
                    "cancel": permit_cancel,
                }[action]
                service(actor=request.user, permit=permit, **data)
                done = {"revoke": "已撤销", "withdraw": "已撤回", "cancel": "已注销"}[action]
            elif action == "use":
                permit_use(actor=request.user, permit=permit, **data)
                done = "已登记使用"
            else:
                changes = {
                    k: data[k] for k in ("valid_to", "conditions", "hospital") if data.get(k)
                }
                spouse = _find_person(request, form, "spouse_id_number")
                if spouse is not None:
                    changes["spouse"] = spouse
                if not form.errors:
                    permit_amend(
                        actor=request.user,
                        permit=permit,
                        changes=changes,
                        reason=data["reason"],
                        on=data["on"],
                        documents=data["documents"],
                    )
                done = "已变更"
        except (ValidationError, PermissionDenied) as exc:
            show_refusal(form, exc)
        if not form.errors:
            messages.success(request, done)
            return redirect("permit-detail", pk=permit.pk)
    # Nothing was written: show the page again with the reason beside the form.
    permit.refresh_from_db()
    return _detail(request, permit, {action: form}, status=400)


@login_required
@permission_required("permits.add_permit", raise_exception=True)
def permit_grant_view(request: HttpRequest, kind: str) -> HttpResponse:
    """发证: record an approved licence of one kind through ``permit_grant``."""
    if kind not in PermitKind.values:
        raise Http404("未知的许可类别")
    form = GrantForm(
        request.POST or None,
        kind=kind,
        townships=townships_for(request.user),
        approvers=approvers_for(request.user),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            holder = _find_person(request, form, "holder_id_number")
            spouse = _find_person(request, form, "spouse_id_number")
            if not form.errors:
                data = form.cleaned_data
                try:
                    permit = permit_grant(
                        actor=request.user,
                        kind=kind,
                        number=data["number"],
                        holder=holder,
                        spouse=spouse,
                        township=data["township"],
                        approval_date=data["approval_date"],
                        approved_by=data["approved_by"],
                        valid_from=data["valid_from"],
                        valid_to=data["valid_to"],
                        conditions=data["conditions"],
                        hospital=data.get("hospital", ""),
                        documents=data["documents"],
                    )
                except (ValidationError, PermissionDenied) as exc:
                    show_refusal(form, exc)
                else:
                    messages.success(request, f"已登记{permit}")
                    return redirect("permit-detail", pk=permit.pk)
    return render(
        request,
        "permits/grant.html",
        {"form": form, "kind_label": PermitKind(kind).label, "kind": kind},
        status=status,
    )


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
