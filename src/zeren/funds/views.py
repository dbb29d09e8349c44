"""Staff pages of the funds app: thin, scoped through ``restrict``, personal data masked."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tables2.paginators import LazyPaginator

from zeren.core import exports
from zeren.core.dates import parse_date, parse_date_or_today
from zeren.core.models import SecurityEvent
from zeren.core.scope import scoped_object_or_404, townships_for
from zeren.core.security import log_event
from zeren.funds import documents, selectors, services
from zeren.funds.imports import ImportFailed, beneficiary_import, template_sheet
from zeren.funds.models import (
    Beneficiary,
    Campaign,
    CampaignKind,
    EndReason,
    Kind,
    PaymentBatch,
    PaymentLine,
    Program,
    RecoveryEntry,
    Verification,
)
from zeren.org.models import Division
from zeren.people.services import id_number_digest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE = 50


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    return int(raw) if raw.isdecimal() and 2004 <= int(raw) <= 2100 else timezone.localdate().year


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def _fail(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text)


# ---------------------------------------------------------------------------------------------
# dashboard


@login_required
@permission_required("funds.view_beneficiary", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    user, year = request.user, _year(request)
    ctx = {
        "year": year,
        "progress": selectors.campaign_progress(year=year, user=user),
        "payments": selectors.payment_confirmation(year=year, user=user),
        "recoveries": selectors.recoveries_outstanding(user=user),
        "deductions": selectors.deductions(year=year, user=user),
        "alerts": selectors.alerts(year=year, user=user),
    }
    return render(request, "funds/dashboard.html", ctx)


@login_required
@permission_required("funds.view_beneficiary", raise_exception=True)
def indicators_export(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    content = documents.indicators_xlsx(year=year, user=request.user)
    log_event(
        SecurityEvent.Kind.EXPORT,
        request=request,
        detail={"what": "扶助资金指标", "year": year, "rows": exports.xlsx_data_rows(content)},
    )
    return _download(content, f"扶助资金指标-{year}.xlsx", XLSX)


# ---------------------------------------------------------------------------------------------
# beneficiaries


@login_required
@permission_required("funds.view_beneficiary", raise_exception=True)
def beneficiary_list(request: HttpRequest) -> HttpResponse:
    """Beneficiaries in scope; criteria are POSTed and kept behind an opaque ``?q=`` token
    (no name or identity number in any URL or log), and each search is logged."""
    from zeren.core import search_tokens

    fields = ["township", "kind", "status", "name", "id_number"]
    if request.method == "POST":
        token = search_tokens.stash(request, "funds.beneficiary", request.POST, fields)
        log_event(
            SecurityEvent.Kind.SEARCH,
            request=request,
            detail={"what": "扶助对象", "criteria": [k for k in fields if request.POST.get(k)]},
        )
        return redirect(f"{request.path}?q={token}")
    qs = (
        Beneficiary.objects.restrict(request.user, "view")
        .select_related("person", "township", "village")
        .order_by("-id")
    )
    f = search_tokens.criteria_for(request, "funds.beneficiary") or QueryDict()
    if f.get("township", "").isdecimal():
        qs = qs.filter(township_id=int(f["township"]))
    if f.get("kind") in Kind.values:
        qs = qs.filter(kind=f["kind"])
    if f.get("status") in Beneficiary.Status.values:
        qs = qs.filter(status=f["status"])
    from zeren.core import crypto

    if f.get("name"):  # names are stored encrypted: exact match through the keyed hash
        qs = qs.filter(person__name_hash=crypto.blind_index(f["name"]))
    if f.get("id_number"):
        qs = qs.filter(person__id_number_hash=id_number_digest(f["id_number"]))
    page = LazyPaginator(qs, PAGE).get_page(request.GET.get("page") or 1)
    return render(
        request,
        "funds/beneficiary_list.html",
        {
            "page": page,
            "townships": list(townships_for(request.user)),
            "kinds": Kind.choices,
            "statuses": Beneficiary.Status.choices,
            "f": f,
        },
    )


def _beneficiary(request: HttpRequest, pk: int, action: str = "view") -> Beneficiary:
    return scoped_object_or_404(
        request,
        Beneficiary.objects.restrict(request.user, action).select_related(
            "person", "township", "village"
        ),
        pk,
        message="扶助对象不存在，或不在您的查看范围内",
        action=action,
    )


@login_required
@permission_required("funds.view_beneficiary", raise_exception=True)
def beneficiary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    b = _beneficiary(request, pk)
    log_event(SecurityEvent.Kind.VIEW, request=request, obj=b, detail={"what": "扶助对象详情"})
    lines = (
        PaymentLine.objects.restrict(request.user, "view")
        .filter(beneficiary=b)
        .select_related("batch")
        .order_by("-period_start", "id")[:60]
    )
    recoveries = RecoveryEntry.objects.filter(beneficiary=b).order_by("-id")
    checks = Verification.objects.filter(beneficiary=b).select_related("campaign").order_by("-id")
    return render(
        request,
        "funds/beneficiary_detail.html",
        {
            "b": b,
            "lines": lines,
            "recoveries": recoveries,
            "outstanding": services.recovery_outstanding(b),
            "checks": checks,
            "reasons": EndReason.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def beneficiary_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    b = _beneficiary(request, pk)
    if not request.user.has_perm("funds.reveal_beneficiary"):
        log_event(SecurityEvent.Kind.DENIED, request=request, obj=b, detail={"action": "reveal"})
        raise PermissionDenied("无权查看完整银行账号")
    log_event(
        SecurityEvent.Kind.REVEAL, request=request, obj=b, detail={"fields": ["bank_account"]}
    )
    return HttpResponse(f'<span class="font-monospace">{b.bank_account}</span>')


@login_required
@require_POST
def beneficiary_terminate_view(request: HttpRequest, pk: int) -> HttpResponse:
    b = _beneficiary(request, pk, "terminate")
    try:
        result = services.beneficiary_terminate(
            actor=request.user,
            beneficiary=b,
            reason=request.POST.get("reason", ""),
            event_date=parse_date_or_today(
                request.POST.get("event_date"), what="死亡/不符合条件之日"
            ),
            note=request.POST.get("note", ""),
        )
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(
            request,
            f"已终止，享受至{result.entitled_until}；应追回 {result.recoverable} 元",
        )
    return redirect("funds-beneficiary-detail", pk=pk)


@login_required
@require_POST
def beneficiary_reinstate_view(request: HttpRequest, pk: int) -> HttpResponse:
    b = _beneficiary(request, pk, "terminate")
    try:
        services.beneficiary_reinstate(
            actor=request.user, beneficiary=b, note=request.POST.get("note", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, "已恢复扶助，自下一发放批次起继续发放")
    return redirect("funds-beneficiary-detail", pk=pk)


@login_required
@require_POST
def beneficiary_repay_view(request: HttpRequest, pk: int) -> HttpResponse:
    b = _beneficiary(request, pk)
    try:
        amount = Decimal(request.POST.get("amount", ""))
    except InvalidOperation:
        messages.error(request, "追回金额应为数字")
        return redirect("funds-beneficiary-detail", pk=pk)
    try:
        services.recovery_repay(
            actor=request.user,
            beneficiary=b,
            amount=amount,
            date=parse_date_or_today(request.POST.get("date"), what="追回日期"),
            note=request.POST.get("note", ""),
        )
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"已登记追回 {amount} 元")
    return redirect("funds-beneficiary-detail", pk=pk)


@login_required
@require_POST
def beneficiary_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    b = _beneficiary(request, pk)
    try:
        campaign = services.campaign_open_adhoc(
            actor=request.user, beneficiary=b, report=request.POST.get("report", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
        return redirect("funds-beneficiary-detail", pk=pk)
    messages.success(request, f"已发起举报核查，期限 {campaign.deadline}")
    return redirect("funds-campaign-detail", pk=campaign.pk)


# ---------------------------------------------------------------------------------------------
# import


def _error_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "funds-import-errors"
    path.mkdir(parents=True, exist_ok=True)
    return path


@login_required
@permission_required("funds.import_beneficiary", raise_exception=True)
def import_view(request: HttpRequest) -> HttpResponse:
    ctx: dict = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择文件")
        else:
            try:
                result = beneficiary_import(actor=request.user, content=upload.read())
            except ImportFailed as exc:
                token = uuid.uuid4().hex
                if exc.error_sheet:
                    (_error_dir() / f"{token}.xlsx").write_bytes(exc.error_sheet)
                    request.session["funds_import_errors"] = token
                ctx = {"errors": exc.errors[:500], "error_count": len(exc.errors), "token": token}
            except PermissionDenied as exc:
                _fail(request, exc)
            else:
                messages.success(
                    request,
                    f"已导入扶助对象 {result.beneficiaries} 人（新登记相对人 {result.persons_created} 人）",
                )
                return redirect("funds-beneficiary-list")
    return render(request, "funds/import.html", ctx)


@login_required
@permission_required("funds.import_beneficiary", raise_exception=True)
def import_errors(request: HttpRequest, token: str) -> HttpResponse:
    if request.session.get("funds_import_errors") != token or not token.isalnum():
        raise Http404("没有该错误报告")
    path = _error_dir() / f"{token}.xlsx"
    if not path.is_file():
        raise Http404("错误报告已过期")
    log_event(
        SecurityEvent.Kind.EXPORT,
        request=request,
        detail={"what": "导入错误报告", "rows": exports.xlsx_data_rows(path.read_bytes())},
    )
    return FileResponse(path.open("rb"), as_attachment=True, filename="导入错误.xlsx")


@login_required
@permission_required("funds.import_beneficiary", raise_exception=True)
def import_template(request: HttpRequest) -> HttpResponse:
    return _download(template_sheet(), "扶助对象导入模板.xlsx", XLSX)


# ---------------------------------------------------------------------------------------------
# payment batches


@login_required
@permission_required("funds.view_paymentbatch", raise_exception=True)
def batch_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not request.user.has_perm("funds.add_paymentbatch"):
            raise PermissionDenied("无权生成发放批次")
        try:
            batch = services.payment_batch_create(
                actor=request.user,
                program=request.POST.get("program", ""),
                period_of=parse_date_or_today(request.POST.get("period_of"), what="发放期间"),
            )
        except (ValidationError, PermissionDenied, KeyError) as exc:
            if isinstance(exc, KeyError):
                messages.error(request, "资金类别不正确")
            else:
                _fail(request, exc)
        else:
            messages.success(request, f"已生成{batch}：{batch.line_count} 人，{batch.total} 元")
            return redirect("funds-batch-detail", pk=batch.pk)
    batches = PaymentBatch.objects.all()[:100]
    return render(
        request,
        "funds/batch_list.html",
        {"batches": batches, "programs": Program.choices, "today": timezone.localdate()},
    )


@login_required
@permission_required("funds.view_paymentbatch", raise_exception=True)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(PaymentBatch, pk=pk)
    if request.method == "POST":
        ids = [int(x) for x in request.POST.getlist("line") if x.isdecimal()]
        try:
            done = services.payment_lines_confirm(actor=request.user, lines=ids)
        except PermissionDenied as exc:
            _fail(request, exc)
        else:
            messages.success(request, f"已确认到位 {done} 笔")
        return redirect(request.get_full_path())
    lines = (
        PaymentLine.objects.restrict(request.user, "view")
        .filter(batch=batch)
        .select_related("beneficiary__person", "beneficiary__township", "reverses")
        .order_by("id")
    )
    if request.GET.get("pending"):
        lines = lines.filter(confirmed_at__isnull=True)
    page = LazyPaginator(lines, PAGE).get_page(request.GET.get("page") or 1)
    return render(request, "funds/batch_detail.html", {"batch": batch, "page": page})


@login_required
@require_POST
@permission_required("funds.issue_paymentbatch", raise_exception=True)
def batch_issue(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(PaymentBatch, pk=pk)
    try:
        services.payment_batch_issue(
            actor=request.user,
            batch=batch,
            issued_on=parse_date_or_today(request.POST.get("issued_on"), what="发放日期"),
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "已确认发放")
    return redirect("funds-batch-detail", pk=pk)


@login_required
@permission_required("funds.export_paymentbatch", raise_exception=True)
def batch_bank_file(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(PaymentBatch, pk=pk)
    content = documents.bank_file(batch, request.user)
    log_event(
        SecurityEvent.Kind.EXPORT,
        request=request,
        obj=batch,
        detail={
            "what": "银行代发文件",
            "rows": documents.bank_file_lines(batch, request.user).count(),
        },
    )
    return _download(content, f"代发-{batch}.xlsx", XLSX)


@login_required
@require_POST
@permission_required("funds.reverse_paymentline", raise_exception=True)
def line_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(PaymentLine.objects.restrict(request.user, "view"), pk=pk)
    raw = request.POST.get("corrected_amount", "").strip()
    try:
        corrected = Decimal(raw) if raw else None
        services.payment_line_reverse(
            actor=request.user,
            line=line,
            note=request.POST.get("note", ""),
            corrected_amount=corrected,
        )
    except InvalidOperation:
        messages.error(request, "更正金额应为数字")
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, "已冲正")
    return redirect("funds-beneficiary-detail", pk=line.beneficiary_id)


# ---------------------------------------------------------------------------------------------
# campaigns


@login_required
@permission_required("funds.view_campaign", raise_exception=True)
def campaign_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not request.user.has_perm("funds.add_campaign"):
            raise PermissionDenied("无权发起核查")
        try:
            campaign, added = services.campaign_open(
                actor=request.user,
                year=_year(request),
                kind=request.POST.get("kind", ""),
                starts_on=parse_date(request.POST.get("starts_on"), what="开始日期"),
                deadline=parse_date(request.POST.get("deadline"), what="完成期限"),
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, f"{campaign.title}：新增核查对象 {added} 人")
            return redirect("funds-campaign-detail", pk=campaign.pk)
    return render(
        request,
        "funds/campaign_list.html",
        {
            "campaigns": Campaign.objects.all()[:100],
            "kinds": CampaignKind.objects.exclude(code="adhoc"),
            "year": _year(request),
        },
    )


@login_required
@permission_required("funds.view_campaign", raise_exception=True)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    rows = [
        r
        for r in selectors.campaign_progress(year=campaign.year, user=request.user)
        if r["campaign"] == campaign.pk
    ]
    mode = CampaignKind.objects.filter(code=campaign.kind).first()
    return render(
        request, "funds/campaign_detail.html", {"campaign": campaign, "rows": rows, "mode": mode}
    )


@login_required
@require_POST
@permission_required("funds.change_campaign", raise_exception=True)
def campaign_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        services.campaign_close(actor=request.user, campaign=campaign)
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"“{campaign.title}”已结束，不能再登记核查结果")
    return redirect("funds-campaign-detail", pk=pk)


def _pending(request: HttpRequest, campaign: Campaign):
    return (
        Verification.objects.restrict(request.user, "change")
        .filter(campaign=campaign, outcome="")
        .select_related("beneficiary__person", "beneficiary__village")
        .order_by("beneficiary__village__code", "id")
    )


@login_required
@permission_required("funds.change_verification", raise_exception=True)
def campaign_record(request: HttpRequest, pk: int) -> HttpResponse:
    """One page of pending checks as a multi-row form: choose outcomes, save all at once.

    All or nothing: when any row is wrong nothing is saved, the page comes back with every
    value as typed, each error beside its row, and all errors listed by row and name.
    """
    campaign = get_object_or_404(Campaign, pk=pk)
    page_number = request.POST.get("page") or request.GET.get("page") or 1
    page = LazyPaginator(_pending(request, campaign), PAGE).get_page(page_number)
    typed: dict[int, dict[str, str]] = {}
    errors: dict[int, list[str]] = {}
    summary: list[str] = []
    if request.method == "POST":
        ids = [int(raw) for raw in request.POST.getlist("ids") if raw.isdecimal()]
        typed = {
            vid: {
                name: request.POST.get(f"{name}_{vid}", "").strip()
                for name in ("outcome", "method", "date", "note")
            }
            for vid in ids
        }
        # Names are encrypted bound to their row: read them through the model, never values().
        people = {
            v.pk: v.beneficiary.person.name
            for v in Verification.objects.restrict(request.user, "change")
            .filter(pk__in=ids)
            .select_related("beneficiary__person")
        }
        where = {
            vid: f"第{n}行 {people.get(vid, f'核查编号{vid}')}" for n, vid in enumerate(ids, 1)
        }
        rows = []
        for vid, values in typed.items():
            if not values["outcome"]:
                if any(values.values()):
                    errors.setdefault(vid, []).append("已填写内容但未选择核查结果")
                continue
            try:
                event_date = parse_date(values["date"], what="死亡/变化日期")
            except ValidationError as exc:
                event_date = None
                errors.setdefault(vid, []).extend(exc.messages)
            rows.append(
                services.OutcomeRow(
                    verification_id=vid,
                    outcome=values["outcome"],
                    method=values["method"],
                    event_date=event_date,
                    note=values["note"],
                    where=where[vid],
                )
            )
        if rows:
            _found, problems = services.verification_check(actor=request.user, rows=rows)
            for vid, found in problems.items():
                errors.setdefault(vid, []).extend(found)
        if not rows and not errors:
            messages.warning(request, "没有填写任何核查结果")
            return redirect("funds-campaign-record", pk=pk)
        if not errors:
            try:
                counts = services.verification_record(actor=request.user, rows=rows)
            except services.OutcomeErrors as exc:
                errors = exc.by_id
            else:
                messages.success(request, f"已记录核查结果 {sum(counts.values())} 条")
                return redirect("funds-campaign-record", pk=pk)
        summary = [f"{where[vid]}：{p}" for vid in ids for p in errors.get(vid, [])]
    entries = [{"v": v, "typed": typed.get(v.pk, {}), "errors": errors.get(v.pk, [])} for v in page]
    return render(
        request,
        "funds/campaign_record.html",
        {
            "campaign": campaign,
            "page": page,
            "entries": entries,
            "summary": summary,
            "outcomes": Verification.Outcome.choices,
            "methods": Verification.Method.choices,
        },
        status=400 if summary else 200,
    )


@login_required
@permission_required("funds.change_verification", raise_exception=True)
def campaign_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    pending = _pending(request, campaign)
    content = documents.outcome_sheet(campaign=campaign, verifications=pending)
    log_event(
        SecurityEvent.Kind.EXPORT,
        request=request,
        obj=campaign,
        detail={"what": "核查结果表", "rows": pending.count()},
    )
    return _download(content, f"核查结果-{campaign.title}.xlsx", XLSX)


@login_required
@require_POST
@permission_required("funds.change_verification", raise_exception=True)
def campaign_upload(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择文件")
        return redirect("funds-campaign-record", pk=pk)
    try:
        rows, errors = documents.parse_outcome_sheet(upload.read())
    except ImportFailed as exc:
        rows, errors = [], exc.errors
    problems = [str(e) for e in errors]
    if not problems and not rows:
        problems = ["表格中没有填写核查结果"]
    if not problems:
        wrong = set(
            Verification.objects.filter(pk__in=[r.verification_id for r in rows])
            .exclude(campaign=campaign)
            .values_list("pk", flat=True)
        )
        problems = [
            f"{r.where}：核查编号不属于本次核查" for r in rows if r.verification_id in wrong
        ]
    if not problems:
        try:
            counts = services.verification_record(actor=request.user, rows=rows)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, f"已从表格记录核查结果 {sum(counts.values())} 条")
    for p in problems[:200]:
        messages.error(request, p)
    if problems:
        messages.error(request, f"共{len(problems)}处错误，未记录任何结果")
    return redirect("funds-campaign-record", pk=pk)


# ---------------------------------------------------------------------------------------------
# consequences


@login_required
@permission_required("funds.view_beneficiary", raise_exception=True)
def ineligible_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    township = None
    if request.GET.get("township", "").isdecimal():
        township = Division.objects.filter(pk=int(request.GET["township"])).first()
    rows = selectors.ineligible(year=year, township=township, user=request.user)
    if request.GET.get("format") == "zip":
        if township is None:
            messages.error(request, "请先选择乡镇")
            return redirect(f"{request.path}?year={year}")
        rows = list(rows)
        log_event(
            SecurityEvent.Kind.EXPORT,
            request=request,
            detail={"what": "告知书", "year": year, "rows": len(rows)},
        )
        return _download(
            documents.letters_zip(rows, year, actor=request.user, request=request),
            f"告知书-{township.name}-{year}.zip",
            "application/zip",
        )
    page = LazyPaginator(rows, PAGE).get_page(request.GET.get("page") or 1)
    return render(
        request,
        "funds/ineligible.html",
        {
            "page": page,
            "year": year,
            "township": township,
            "townships": list(townships_for(request.user)),
        },
    )


@login_required
@permission_required("funds.view_beneficiary", raise_exception=True)
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    b = _beneficiary(request, pk)
    if b.status == Beneficiary.Status.ACTIVE:
        raise Http404("该扶助对象资格正常，无需告知")
    year = _year(request)
    log_event(
        SecurityEvent.Kind.EXPORT, request=request, obj=b, detail={"what": "告知书", "rows": 1}
    )
    body = documents.letter_docx(b, year, actor=request.user, request=request)
    return _download(body, f"告知书-{b.person.name}.docx", DOCX)


@login_required
@permission_required("funds.export_beneficiary", raise_exception=True)
def platform_export(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    if request.method == "POST":
        try:
            marked = services.platform_mark(actor=request.user, year=year)
        except ValidationError as exc:
            _fail(request, exc)
            return redirect("funds-dashboard")
        content = documents.platform_file(year=year, user=request.user)
        log_event(
            SecurityEvent.Kind.EXPORT,
            request=request,
            detail={
                "what": "国家平台扶助对象",
                "year": year,
                "count": marked,
                "rows": selectors.platform_rows(year=year, user=request.user).count(),
            },
        )
        return _download(content, f"国家平台-{year}.csv", "text/csv")
    return render(request, "funds/platform.html", {"year": year})


@login_required
@permission_required("funds.view_recoveryentry", raise_exception=True)
def recovery_list(request: HttpRequest) -> HttpResponse:
    rows = [
        {**r, "outstanding": (r["owed"] or 0) - (r["repaid"] or 0)}
        for r in selectors.with_person_names(selectors.beneficiary_outstanding(request.user))
    ]
    if request.GET.get("open"):
        rows = [r for r in rows if r["outstanding"] > 0]
    return render(
        request,
        "funds/recoveries.html",
        {"rows": rows[:500], "summary": selectors.recoveries_outstanding(user=request.user)},
    )
