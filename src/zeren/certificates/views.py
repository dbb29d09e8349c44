"""Staff pages of the certificate register, and the public verification page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from zeren.certificates import documents, rules
from zeren.certificates.forms import (
    ApplicationForm,
    IssueForm,
    ReissueForm,
    RevokeForm,
    VerifyForm,
)
from zeren.certificates.models import Certificate, CertificateType
from zeren.certificates.rules import Status
from zeren.certificates.selectors import certificates_for
from zeren.certificates.services import (
    certificate_issue,
    certificate_register,
    certificate_reissue,
    certificate_revoke,
    certificate_verify,
    find_holder,
)
from zeren.certificates.tables import CertificateFilter, CertificateTable
from zeren.core import ratelimit, search_tokens
from zeren.core.documents import DOCX_TYPE, PDF_TYPE, attachment
from zeren.core.forms import show_refusal
from zeren.core.history import people, person_of
from zeren.core.models import SecurityEvent
from zeren.core.scope import scoped_object_or_404, townships_for
from zeren.core.security import client_ip, log_event


def _certificate_or_404(request: HttpRequest, pk: int) -> Certificate:
    return scoped_object_or_404(
        request, certificates_for(request.user), pk, message="证件不存在，或不在您的查看范围内"
    )


@login_required
@permission_required("certificates.view_certificate", raise_exception=True)
def certificate_list(request: HttpRequest) -> HttpResponse:
    qs = certificates_for(request.user)
    # The holder's ID number is POSTed and kept behind ?q= (never in a URL).
    criteria, response = search_tokens.list_criteria(
        request,
        "certificates.certificate",
        list(CertificateFilter.base_filters),
        private=("holder_id_number",),
        what="证件",
    )
    if response is not None:
        return response
    filterset = CertificateFilter(criteria, queryset=qs, townships=townships_for(request.user))
    table = CertificateTable(filterset.qs if filterset.is_bound and filterset.is_valid() else qs)
    RequestConfig(request, paginate={"per_page": 50, "paginator_class": LazyPaginator}).configure(
        table
    )
    template = "certificates/_table.html" if request.htmx else "certificates/list.html"
    return render(
        request,
        template,
        {"table": table, "filter": filterset, "types": CertificateType.objects.all()},
    )


@login_required
@permission_required("certificates.add_certificate", raise_exception=True)
def certificate_apply(request: HttpRequest, code: str) -> HttpResponse:
    """受理: register an application of one type."""
    ctype = get_object_or_404(CertificateType, code=code)
    form = ApplicationForm(
        request.POST or None, ctype=ctype, initial={"applied_on": timezone.localdate()}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                holder = find_holder(
                    actor=request.user, field="holder_id_number", id_number=data["holder_id_number"]
                )
                spouse = None
                if data.get("spouse_id_number"):
                    spouse = find_holder(
                        actor=request.user,
                        field="spouse_id_number",
                        id_number=data["spouse_id_number"],
                    )
                cert = certificate_register(
                    actor=request.user,
                    type=ctype,
                    holder=holder,
                    spouse=spouse,
                    facts=form.facts(),
                    applied_on=data["applied_on"],
                )
            except (ValidationError, PermissionDenied) as exc:
                show_refusal(form, exc)
            else:
                messages.success(request, f"已受理《{ctype.name}》申请")
                return redirect("certificates-detail", pk=cert.pk)
    return render(request, "certificates/apply.html", {"form": form, "ctype": ctype}, status=status)


def _detail(
    request: HttpRequest, cert: Certificate, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    user, bound, today = request.user, bound or {}, timezone.localdate()
    current = cert.status_on(today)
    can = {
        "issue": cert.status == Status.APPLIED and user.has_perm("certificates.issue_certificate"),
        "reissue": current == Status.VALID and user.has_perm("certificates.reissue_certificate"),
        "revoke": cert.status in (Status.VALID, Status.EXPIRED)
        and user.has_perm("certificates.revoke_certificate"),
    }
    classes = {"issue": IssueForm, "reissue": ReissueForm, "revoke": RevokeForm}
    action_forms = {
        name: bound.get(name) or classes[name](initial={"on": today}, auto_id=f"id_{name}_%s")
        for name, allowed in can.items()
        if allowed
    }
    events = list(cert.events.all())
    names = people(e.actor_id for e in events)
    for event in events:  # the handler's full name; the login only as a tooltip
        event.person = person_of(event.actor_id, event.actor_name, names)
    return render(
        request,
        "certificates/detail.html",
        {
            "cert": cert,
            "current": current,
            "events": events,
            "action_forms": action_forms,
            "failed": next(iter(bound), ""),
            "downloadable": cert.number and user.has_perm("certificates.export_certificate"),
        },
        status=status,
    )


@login_required
@permission_required("certificates.view_certificate", raise_exception=True)
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cert = _certificate_or_404(request, pk)
    log_event(SecurityEvent.Kind.VIEW, request=request, obj=cert, detail={"what": "证件详情"})
    return _detail(request, cert)


@login_required
@require_POST
def certificate_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Issue, reissue or revoke; a refusal re-renders the page with the reason."""
    cert = _certificate_or_404(request, pk)
    classes = {"issue": IssueForm, "reissue": ReissueForm, "revoke": RevokeForm}
    if action not in classes:
        raise Http404("未知操作")
    form = classes[action](request.POST, auto_id=f"id_{action}_%s")
    target = cert
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "issue":
                target = certificate_issue(actor=request.user, certificate=cert, on=data["on"])
                done = f"已发证，证号 {target.number}"
            elif action == "reissue":
                target = certificate_reissue(actor=request.user, certificate=cert, **data)
                done = f"已补发，新证号 {target.number}，原证号 {cert.number} 作废"
            else:
                target = certificate_revoke(actor=request.user, certificate=cert, **data)
                done = "已撤销"
        except (ValidationError, PermissionDenied) as exc:
            show_refusal(form, exc)
        if not form.errors:
            messages.success(request, done)
            return redirect("certificates-detail", pk=target.pk)
    cert.refresh_from_db()
    return _detail(request, cert, {action: form}, status=400)


@login_required
@permission_required("certificates.export_certificate", raise_exception=True)
def certificate_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The certificate document as PDF or .docx (logged as an export)."""
    cert = _certificate_or_404(request, pk)
    if not cert.number or fmt not in ("pdf", "docx"):
        raise Http404("该证件尚未发证")
    if fmt == "pdf":
        content = documents.certificate_pdf(cert, actor=request.user, request=request)
    else:
        content = documents.certificate_docx(cert, actor=request.user, request=request)
    log_event(
        SecurityEvent.Kind.EXPORT,
        request=request,
        obj=cert,
        detail={"what": "证件", "format": fmt, "rows": 1},
    )
    mime = PDF_TYPE if fmt == "pdf" else DOCX_TYPE
    return attachment(content, documents.certificate_filename(cert, fmt), mime)


def public_verify(request: HttpRequest) -> HttpResponse:
    """证件核验: number and holder's name in, status out; nothing else about anyone.

    A wrong name and an unknown number give the same answer; lookups are rate limited per
    client address (``ZEREN_CERT_VERIFY_PER_HOUR``).
    """
    form = VerifyForm(request.POST or None)
    answer, status = None, 200
    if request.method == "POST" and form.is_valid():
        if not ratelimit.take("verify", client=client_ip(request)):
            log_event(SecurityEvent.Kind.DENIED, request=request, detail={"rate": "verify"})
            form.add_error(None, ratelimit.refusal("verify"))
            status = 429
        else:
            code = certificate_verify(
                number=form.cleaned_data["number"], name=form.cleaned_data["name"]
            )
            answer = {"code": code, "label": rules.PUBLIC_ANSWERS[code]}
    response = render(
        request, "certificates/verify.html", {"form": form, "answer": answer}, status=status
    )
    response["Cache-Control"] = "no-store"
    return response
